'use client';
/**
 * The pieces inspectors are built from, so they read alike: a titled section, a stat box (a big
 * number over its label), a table of labelled values, and a table of rows (tokens, merges,
 * vocabulary entries) that shows the first ones and pages on.
 */
import { useState, type ReactNode } from 'react';

/** A titled part of an inspector, set off from the one above by a rule. */
export function Section({ title, children, testId }: { title: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <section className="grid gap-2 border-t border-slate-100 pt-3 dark:border-slate-800" data-testid={testId}>
      <h3 className="text-sm font-semibold">{title}</h3>
      {children}
    </section>
  );
}

/** A big number over its label; numbers get thousands separators. `testId` names the number. */
export function Stat({ label, value, hint, testId }: { label: string; value: ReactNode; hint?: string; testId?: string }) {
  return (
    <div className="rounded-lg bg-slate-50 p-2 dark:bg-slate-800" title={hint}>
      <div className="text-lg font-semibold tabular-nums" data-testid={testId}>
        {typeof value === 'number' ? value.toLocaleString() : value}
      </div>
      <div className="text-xs text-slate-500 dark:text-slate-400">{label}</div>
    </div>
  );
}

/** Labelled values, one per row: [label, value, optional class for the value]. */
export function KeyValue({ rows }: { rows: readonly (readonly [label: string, value: ReactNode, className?: string])[] }) {
  return (
    <dl className="grid grid-cols-[8rem_1fr] gap-x-2 gap-y-1 text-sm">
      {rows.map(([label, value, className]) => (
        <div key={label} className="contents">
          <dt className="text-slate-500">{label}</dt>
          <dd className={className}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * Rows in a table (tokens, merges, vocabulary entries): the first `first`, and where `more` names
 * the button, 100 more at each press. `head` is the header row's cells; `row` draws one row (with
 * its key) from the item and its index.
 */
export function RowsTable<T>({
  head,
  rows,
  row,
  first = 60,
  more,
  bodyClassName,
  testId,
}: {
  head: ReactNode;
  rows: readonly T[];
  row: (r: T, index: number) => ReactNode;
  first?: number;
  more?: string;
  bodyClassName?: string;
  testId?: string;
}) {
  const [shown, setShown] = useState(first);
  return (
    <>
      <table className="w-full text-left text-xs" data-testid={testId}>
        <thead className="text-slate-500">
          <tr>{head}</tr>
        </thead>
        <tbody className={bodyClassName}>{rows.slice(0, shown).map(row)}</tbody>
      </table>
      {more && rows.length > shown && (
        <button type="button" className="btn justify-self-start" onClick={() => setShown((n) => n + 100)}>
          {more}
        </button>
      )}
    </>
  );
}

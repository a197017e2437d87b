'use client';
/**
 * "Is a token's ID its frequency?": the same merged tokens ranked two ways side by side (by ID,
 * which is merge order, and by how often each occurs after training), one token highlighted in
 * both columns and on the scatter when it is hovered or clicked.
 */
import { useMemo, useState } from 'react';
import { ScatterChart } from '@/components/ui/charts';
import { Section } from '@/components/ui/inspector-kit';
import type { ViewOf } from '@/nodes';
import { useLabelOf } from '@/components/ui/token-display';
import { BYTE_LEVEL } from '@/nodes/shared/token-text';

type BpeView = ViewOf<'bpe'>;
type Row = BpeView['headRows'][number];

/** Rows per column: enough to see the orders disagree, few enough to read side by side. */
const COLUMN_ROWS = 25;

function RankColumn({
  title,
  rows,
  value,
  chosen,
  onChoose,
  testId,
  labelOf,
}: {
  labelOf(token: string): string;
  title: string;
  rows: readonly Row[];
  value(r: Row): string;
  chosen: number | null;
  onChoose(id: number | null, sticky: boolean): void;
  testId: string;
}) {
  return (
    <div className="min-w-0">
      <h4 className="mb-1 text-xs font-semibold text-slate-500">{title}</h4>
      <ol className="grid gap-px font-mono text-xs" data-testid={testId} onMouseLeave={() => onChoose(null, false)}>
        {rows.map((r, i) => (
          <li key={r.id}>
            <button
              type="button"
              data-token-id={r.id}
              data-highlighted={chosen === r.id ? 'true' : undefined}
              aria-pressed={chosen === r.id}
              className={`flex w-full items-center gap-1 rounded px-1 text-left ${chosen === r.id ? 'bg-amber-200 dark:bg-amber-800' : 'hover:bg-slate-100 dark:hover:bg-slate-800'}`}
              onMouseEnter={() => onChoose(r.id, false)}
              onFocus={() => onChoose(r.id, false)}
              onClick={() => onChoose(r.id, true)}
            >
              <span className="w-5 text-right text-slate-400">{i + 1}.</span>
              <span className="truncate rounded border border-violet-200 bg-violet-50 px-1 whitespace-pre dark:border-violet-800 dark:bg-violet-950">{labelOf(r.merged)}</span>
              <span className="ml-auto text-slate-500">{value(r)}</span>
            </button>
          </li>
        ))}
      </ol>
    </div>
  );
}

export function IdVersusFrequency({ view }: { view: BpeView }) {
  const labelOf = useLabelOf([], BYTE_LEVEL);
  // A click pins a token; hovering shows another until the pointer leaves.
  const [pinned, setPinned] = useState<number | null>(null);
  const [hovered, setHovered] = useState<number | null>(null);
  const chosen = hovered ?? pinned;
  const byId = useMemo(() => [...view.headRows].sort((a, b) => a.id - b.id).slice(0, COLUMN_ROWS), [view.headRows]);
  const byFrequency = useMemo(
    () => [...view.headRows].sort((a, b) => b.frequency - a.frequency || a.id - b.id).slice(0, COLUMN_ROWS),
    [view.headRows],
  );
  const choose = (id: number | null, sticky: boolean) => {
    if (sticky) setPinned((p) => (p === id ? null : id));
    else setHovered(id);
  };
  const chosenRow = chosen === null ? undefined : view.headRows.find((r) => r.id === chosen);
  const rankOf = (rows: readonly Row[]) => (chosenRow ? rows.findIndex((r) => r.id === chosenRow.id) : -1);

  return (
    <Section title="Is a token’s ID its frequency? No: it is its merge order" testId="id-vs-frequency">
      {view.inversion && (
        <p data-testid="inversion-example">
          <b className="font-mono">{labelOf(view.inversion.earlier.merged)}</b> has ID {view.inversion.earlier.id} (merge #{view.inversion.earlier.rank}) and occurs{' '}
          {view.inversion.earlier.frequency.toLocaleString()} times; <b className="font-mono">{labelOf(view.inversion.later.merged)}</b> has the later ID{' '}
          {view.inversion.later.id} yet occurs {view.inversion.later.frequency.toLocaleString()} times. An ID records <i>when</i> a pair was merged (it was
          the most frequent pair at that moment), not how common the token is once training is over: later merges absorb earlier tokens.
        </p>
      )}
      {view.correlation !== null && (
        <p className="text-sm text-slate-600 dark:text-slate-300">
          Rank correlation between ID order and frequency order: {view.correlation.toFixed(2)} (1 would mean IDs are sorted by frequency).
        </p>
      )}
      <ScatterChart
        testId="id-frequency-scatter"
        points={view.scatter.map((p) => ({ x: p.id, y: p.frequency, label: labelOf(p.token) }))}
        highlight={chosenRow ? { x: chosenRow.id, y: chosenRow.frequency } : undefined}
        xLabel="token ID (merge order)"
        yLabel="frequency"
      />
      <p className="text-xs text-slate-500">
        The first {Math.min(view.headRows.length, COLUMN_ROWS)} merged tokens by each order. Point at a token (or click to keep it) to find it in the other
        column.
      </p>
      <div className="grid grid-cols-2 gap-3" data-testid="id-frequency-columns">
        <RankColumn labelOf={labelOf} title="Ranked by ID (merge order)" rows={byId} value={(r) => `ID ${r.id}`} chosen={chosen} onChoose={choose} testId="ranked-by-id" />
        <RankColumn labelOf={labelOf}
          title="Ranked by frequency"
          rows={byFrequency}
          value={(r) => `${r.frequency.toLocaleString()}×`}
          chosen={chosen}
          onChoose={choose}
          testId="ranked-by-frequency"
        />
      </div>
      {chosenRow && (
        <p className="text-xs" data-testid="id-frequency-chosen">
          <b className="font-mono whitespace-pre">{labelOf(chosenRow.merged)}</b>: ID {chosenRow.id} (merge #{chosenRow.rank}), occurs {chosenRow.frequency.toLocaleString()}{' '}
          times; {rankOf(byId) >= 0 ? `#${rankOf(byId) + 1} by ID` : `not in the first ${COLUMN_ROWS} by ID`},{' '}
          {rankOf(byFrequency) >= 0 ? `#${rankOf(byFrequency) + 1} by frequency` : `not in the first ${COLUMN_ROWS} by frequency`}.
        </p>
      )}
    </Section>
  );
}

'use client';
import type { InspectorProps } from '../types';
import { TokenText, useTokenViews } from '@/components/ui/token-display';
import { RowsTable } from '@/components/ui/inspector-kit';

export function DecodeInspector({ view }: InspectorProps<'decode'>) {
  const rt = view.roundTrip;
  const shown = view.tokens.slice(0, 200);
  const views = useTokenViews(
    shown.map((t) => t.piece),
    view.spelling,
    shown.filter((t) => t.bytes === '').map((t) => t.piece),
  );
  return (
    <div className="grid gap-4">
      <p>
        Decoding runs the pipeline backwards: each ID is looked up in the vocabulary, each token is turned back into its bytes, and all the
        bytes are read as UTF-8 at once (one character can be split across two byte-level tokens).
      </p>
      {rt && (
        <p
          data-testid="round-trip"
          className={`rounded-md p-2 text-sm ${rt.equal ? 'bg-emerald-50 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100' : 'bg-amber-50 text-amber-900 dark:bg-amber-950 dark:text-amber-100'}`}
        >
          {rt.equal
            ? '✓ Round trip exact: decoding gives back the original text, character for character.'
            : `✗ The decoded text differs from the original at character ${rt.index}: expected “${rt.expected}”, got “${rt.actual}”. ${rt.reason}.`}
        </p>
      )}
      <div>
        <h4 className="mb-1 text-sm font-semibold">Text</h4>
        <pre className="max-h-40 overflow-auto rounded-md bg-slate-50 p-2 text-sm whitespace-pre-wrap dark:bg-slate-800" data-testid="decoded-text">
          {view.text}
        </pre>
      </div>
      <RowsTable
        testId="decode-table"
        head={
          <>
            <th>ID</th>
            <th>token</th>
            <th>bytes</th>
          </>
        }
        rows={shown}
        first={200}
        bodyClassName="font-mono"
        row={(t, i) => (
          <tr key={i} className="border-t border-slate-100 dark:border-slate-800">
            <td>{t.id}</td>
            <td className="whitespace-pre">
              <TokenText view={views[i]!} />
            </td>
            <td>{t.bytes}</td>
          </tr>
        )}
      />
    </div>
  );
}

'use client';
import { useState } from 'react';
import { useNodeQuery } from '@/components/canvas/use-node-query';
import type { InspectorProps } from '../types';
import { TokenText, useTokenViews } from '@/components/ui/token-display';
import { RowsTable } from '@/components/ui/inspector-kit';
import type { TokenSpelling } from '@/nodes/shared/token-text';

/** A page of the vocabulary: each entry read on its own (entries are not a sequence). */
function VocabEntries({ rows, spelling }: { rows: { id: number; token: string }[]; spelling?: TokenSpelling }) {
  const views = useTokenViews(
    rows.map((r) => r.token),
    spelling,
    undefined,
    true,
  );
  return rows.map((r, i) => (
    <span key={r.id} className="chip" data-testid="vocab-entry">
      <TokenText view={views[i]!} /> <span className="text-slate-400">{r.id}</span>
    </span>
  ));
}

type Page = { total: number; page: number; rows: { id: number; token: string }[] };

export function IdsInspector({ nodeId, view }: InspectorProps<'ids'>) {
  const [query, setQuery] = useState('');
  const [page, setPage] = useState(0);
  const result = useNodeQuery<Page>(nodeId, 'ids', view.hasTokenizer ? { query, page } : null);
  const shown = result.data ?? view.firstPage;
  const shownRows = view.rows.slice(0, 200);
  const rowViews = useTokenViews(
    shownRows.map((r) => r.piece),
    view.spelling ?? undefined,
    shownRows.filter((r) => r.added).map((r) => r.piece),
  );
  return (
    <div className="grid gap-4">
      <p>
        A neural network computes with numbers: multiplications and sums. So each token is replaced by its <b>ID</b>, its position in
        the tokenizer’s vocabulary{view.vocabSize ? ` of ${view.vocabSize.toLocaleString()} entries` : ''}. The model then looks the ID up in
        its embedding table, one learned vector per ID. The IDs mean nothing outside this one vocabulary.
      </p>
      <div>
        <h4 className="mb-1 text-sm font-semibold">What encode() returns</h4>
        <pre className="overflow-x-auto rounded-md bg-slate-900 p-2 text-xs text-slate-100" data-testid="encode-returns">
          {view.encodeReturns}
        </pre>
        <p className="text-xs text-slate-500">
          {view.length} IDs{view.truncated ? `, ${view.truncated} cut by truncation` : ''}
          {view.padded ? `, ${view.padded} padding (attention_mask 0: the model ignores them)` : ''}.
        </p>
      </div>
      <RowsTable
        testId="ids-table"
        head={
          <>
            <th>position</th>
            <th>token</th>
            <th>ID</th>
            <th>mask</th>
          </>
        }
        rows={shownRows}
        first={200}
        bodyClassName="font-mono"
        row={(r, i) => (
          <tr key={i} className={`border-t border-slate-100 dark:border-slate-800 ${r.mask ? '' : 'opacity-50'}`}>
            <td>{i}</td>
            <td className="whitespace-pre">
              <TokenText view={rowViews[i]!} />
              {r.added && <span className="ml-1 font-sans text-[10px] text-slate-500">special</span>}
            </td>
            <td>{r.id}</td>
            <td>{r.mask}</td>
          </tr>
        )}
      />
      <section className="grid gap-2" data-testid="vocab-browser">
        <h4 className="text-sm font-semibold">Vocabulary browser</h4>
        {!view.hasTokenizer ? (
          <p className="text-sm text-slate-500">Wire the tokenizer into this node’s tokenizer input to browse its vocabulary.</p>
        ) : (
          <>
            <input
              aria-label="Search the vocabulary"
              className="field"
              placeholder="a token (love, ଭାଷା, Ġlove) or an ID (1842)"
              value={query}
              onChange={(e) => {
                setQuery(e.target.value);
                setPage(0);
              }}
            />
            {result.error && <p className="text-sm text-rose-600">{result.error}</p>}
            {shown && (
              <>
                <div className="flex flex-wrap gap-1">
                  <VocabEntries rows={shown.rows} spelling={view.spelling ?? undefined} />
                </div>
                <div className="flex items-center gap-2 text-xs text-slate-500">
                  <button type="button" className="btn" disabled={page === 0} onClick={() => setPage((p) => p - 1)}>
                    ←
                  </button>
                  page {page + 1} of {Math.max(1, Math.ceil(shown.total / 50))} · {shown.total.toLocaleString()} matches
                  <button type="button" className="btn" disabled={(page + 1) * 50 >= shown.total} onClick={() => setPage((p) => p + 1)}>
                    →
                  </button>
                </div>
              </>
            )}
          </>
        )}
      </section>
    </div>
  );
}

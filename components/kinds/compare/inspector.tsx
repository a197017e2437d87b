'use client';
import type { InspectorProps } from '../types';
import type { CompareCell } from '@/nodes/compare/align';
import { showWhitespace } from '@/nodes/shared/token-text';
import { TokenText, useTokenViews } from '@/components/ui/token-display';

/** One tokenizer's cells, its tokens read in order so bytes shared across tokens name their character. */
function RowCells({ cells }: { cells: CompareCell[] }) {
  const pieces = cells.flatMap((c) => c.pieces);
  const views = useTokenViews(pieces, undefined, ['[UNK]', '<unk>']);
  let at = 0;
  return cells.map((cell, i) => {
    const own = views.slice(at, (at += cell.pieces.length));
    return (
      <td key={i} colSpan={Math.max(1, cell.columnSpan)} className="rounded border border-emerald-200 bg-emerald-50 px-1 text-center align-top dark:border-emerald-800 dark:bg-emerald-950">
        <div className="whitespace-pre">
          {own.map((v, k) => (
            <span key={k}>
              {k > 0 && ' '}
              <TokenText view={v} />
            </span>
          ))}
        </div>
        <div className="text-[10px] text-slate-500">{cell.ids.join(' ')}</div>
      </td>
    );
  });
}

export function CompareInspector({ view }: InspectorProps<'compare'>) {
  return (
    <div className="grid gap-4">
      <p className="rounded-lg bg-sky-50 p-3 text-base dark:bg-sky-950" data-testid="same-ids-answer">
        {view.sameIdsAnswer}
      </p>
      <div className="overflow-x-auto">
        <table className="border-separate border-spacing-0.5 text-xs" data-testid="compare-grid">
          <thead>
            <tr>
              <th />
              {view.columns.map((c, i) => (
                <th key={i} className="px-1 font-mono font-normal whitespace-pre text-slate-500">
                  {showWhitespace(c.text)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {view.rows.map((row) => (
              <tr key={row.label} data-testid={`compare-row-${row.label}`}>
                <th className="pr-2 text-left whitespace-nowrap">{row.label}</th>
                <RowCells cells={row.cells} />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {/* At the inspector's width: numbers right-aligned in tabular figures, headers that wrap, the IDs on a row of their own. */}
      <table className="w-full border-collapse text-sm [&_td]:px-2 [&_td]:py-1.5 [&_th]:px-2 [&_th]:py-1" data-testid="compare-stats">
        <thead className="text-xs leading-tight text-slate-500">
          <tr className="align-bottom">
            <th className="text-left font-medium">tokenizer</th>
            <th className="text-right font-medium" title="Tokens that stand for the text; the special tokens a tokenizer adds are counted apart">
              text tokens
            </th>
            <th className="text-right font-medium">+ special</th>
            <th className="text-right font-medium" title="Characters of the text per text token">
              chars / token
            </th>
            <th className="text-right font-medium" title="Text tokens per word of the text (words: runs between spaces)">
              tokens / word
            </th>
          </tr>
        </thead>
        {view.rows.map((row, i) => {
          const kinds = view.kinds[i];
          return (
            <tbody key={row.label} className="border-t border-slate-200 dark:border-slate-700">
              <tr className="align-top tabular-nums">
                <td className="font-medium [overflow-wrap:anywhere]">{row.label}</td>
                <td className="text-right" data-testid={`compare-text-tokens-${row.label}`}>
                  {kinds?.textTokens.toLocaleString() ?? row.textTokenCount}
                </td>
                <td className="text-right" title={row.added.map((a) => a.piece).join(' ')}>
                  {row.added.length > 0 ? `+${row.added.length}` : '—'}
                </td>
                <td className="text-right">{kinds?.charsPerToken?.toFixed(2) ?? '—'}</td>
                <td className="text-right" data-testid={`compare-tokens-per-word-${row.label}`}>
                  {kinds?.tokensPerWord?.toFixed(2) ?? '—'}
                </td>
              </tr>
              <tr>
                <td colSpan={5} className="!pt-0 font-mono text-xs text-slate-600 dark:text-slate-300">
                  <span className="text-slate-400">IDs </span>
                  <span className="[overflow-wrap:anywhere]" data-testid={`compare-ids-${row.label}`}>
                    {kinds?.ids.join(' ')}
                  </span>
                  {kinds && (kinds.unknown > 0 || kinds.bytes > 0) && (
                    <div className="font-sans text-amber-700 dark:text-amber-300">
                      {kinds.unknown > 0 && `${kinds.unknown} unknown `}
                      {kinds.bytes > 0 && `${kinds.bytes} byte tokens`}
                    </div>
                  )}
                </td>
              </tr>
            </tbody>
          );
        })}
      </table>
      <p className="text-xs text-slate-500">
        Text tokens stand for the text; “+ special” counts the tokens a tokenizer adds around it ([CLS], [SEP], &lt;s&gt;). Characters
        per token divides the text’s characters by its text tokens, so both columns leave the special tokens out.
      </p>
      <p className="text-sm" data-testid="compare-per-word">
        {view.whole.perWordAnswer}
      </p>
      {view.truncated && (
        <p className="text-xs text-slate-500">
          The grid and the IDs show the first 2,000 characters; the counts are over the whole text.
        </p>
      )}
      {view.kinds.some((k) => k.onlyHere) && (
        <section className="grid gap-1 border-t border-slate-100 pt-3 dark:border-slate-800" data-testid="compare-only-here">
          <h3 className="text-sm font-semibold">Pieces only one of them learned</h3>
          <p className="text-xs text-slate-500">Compared by the text a piece stands for (Ġthe, the and ▁the are all “the”), longest first.</p>
          {view.kinds.map((k) =>
            k.onlyHere ? (
              <p key={k.label} className="text-xs" data-testid={`compare-only-${k.label}`}>
                <span className="font-semibold">{k.label}:</span> <span className="font-mono">{k.onlyHere.join(' · ') || '(none)'}</span>
              </p>
            ) : null,
          )}
        </section>
      )}
    </div>
  );
}

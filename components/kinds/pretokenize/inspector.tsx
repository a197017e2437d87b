'use client';
import { memo, useCallback, useMemo } from 'react';
import { SpanText, TokenChip } from '@/components/ui/token-display';
import { ChipList } from '@/components/ui/chip-list';
import { viewOfPiece } from '@/nodes/shared/token-text';
import type { InspectorProps } from '../types';

/**
 * One piece with its offsets. Memoised on plain values: only the chips at and after an edit have
 * other values (later ones move by the edit's length), so the chips before it are not rendered
 * again. Keyed by position, not by offset and piece: every chip after an edit moves, and an
 * offset key would build each of them anew where a positional one updates two text nodes.
 */
const PieceChip = memo(function PieceChip({ scope, text, shown, start, end }: { scope: string; text: string; shown: string; start: number; end: number }) {
  const view = useMemo(() => viewOfPiece(text, shown), [text, shown]);
  const span = useMemo(() => ({ scope, start, end }), [scope, start, end]);
  return (
    <span className="grid text-center" data-testid="piece">
      <TokenChip view={view} span={span} title={`characters ${start}–${end}`} />
      <span className="text-[9px] text-slate-400">
        {start}–{end}
      </span>
    </span>
  );
});

type ShownPiece = InspectorProps<'pretokenize'>['view']['pieces'][number];

export function PretokenizeInspector({ nodeId, view }: InspectorProps<'pretokenize'>) {
  const renderPiece = useCallback(
    (p: ShownPiece, i: number) => <PieceChip key={i} scope={nodeId} text={p.text} shown={p.shown} start={p.start} end={p.end} />,
    [nodeId],
  );
  return (
    <div className="grid gap-4">
      <p>
        BPE never looks at the whole text at once. First the text is cut into <b>pieces</b>, roughly words; BPE then learns and
        applies merges inside each piece, never across two. The cutting rule decides what a token can be.
      </p>
      <div className="rounded-md bg-slate-50 p-2 text-sm dark:bg-slate-800">
        <b>{view.label}.</b> {view.explain}
      </div>
      {view.mode === 'bytelevel' && (
        <div className="grid gap-2 text-sm" data-testid="bytelevel-explainer">
          <p>
            <b>What is Ġ?</b> GPT-2 works on bytes, but its vocabulary is written as text, so each of the 256 bytes gets a printable
            stand-in. Bytes that are already printable stand for themselves; the others (space, newline, control bytes) are shifted
            to U+0100 and up. The space byte 0x20 becomes <b>Ġ</b> (U+0120). Because GPT-2 keeps the space with the next word, “ love”
            is shown as “Ġlove”: a different token from “love” at the start of a line.
          </p>
          {view.legend.length > 0 && (
            <table className="w-full text-left text-xs">
              <thead className="text-slate-500">
                <tr>
                  <th>shown as</th>
                  <th>byte</th>
                  <th>meaning</th>
                </tr>
              </thead>
              <tbody className="font-mono">
                {view.legend.map((row) => (
                  <tr key={row.char} className="border-t border-slate-100 dark:border-slate-800">
                    <td>{row.char}</td>
                    <td>{row.byte}</td>
                    <td className="font-sans">{row.meaning}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
      <div>
        <h4 className="mb-1 text-sm font-semibold">
          {view.count.toLocaleString()} pieces, {view.distinct.toLocaleString()} distinct
        </h4>
        <ChipList
          items={view.pieces}
          renderChip={renderPiece}
          attributes={{ 'data-testid': 'pieces', 'data-count': view.count, 'data-text-length': view.textLength, 'data-last-end': view.pieces.at(-1)?.end ?? 0 }}
        />
        {view.count > view.pieces.length && (
          <p className="mt-1 text-xs text-slate-500">Showing the first {view.pieces.length.toLocaleString()} pieces.</p>
        )}
        <SpanText text={view.source} scope={nodeId} />
      </div>
    </div>
  );
}

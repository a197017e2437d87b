'use client';
/** The Unigram node's body on the canvas: its size, the first tokens, characters per token. */
import { TokenChip } from '@/components/ui/token-display';
import type { BodyProps } from '../types';

export function UnigramBody({ view: v }: BodyProps<'unigram'>) {
  if (!v) return <p className="text-xs text-slate-500">…</p>;
  return (
    <div className="grid gap-1 text-xs">
      <span>Trained: {v.training.vocabSize.toLocaleString()} pieces from {(v.rounds[0]?.size ?? 0).toLocaleString()} seeds</span>
      <div className="flex max-h-16 flex-wrap gap-0.5 overflow-hidden">
        {v.pieces.slice(0, 14).map((p, i) => (
          <TokenChip key={i} piece={p.piece} id={p.id} kind={p.kind} />
        ))}
      </div>
      <span className="text-slate-500">
        {v.tokenCount.toLocaleString()} tokens · {v.tokenCount ? (v.charCount / v.tokenCount).toFixed(2) : '—'} chars/token
      </span>
    </div>
  );
}

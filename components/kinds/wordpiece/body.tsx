'use client';
/** The WordPiece node's body on the canvas: its size, the first tokens, characters per token. */
import { TokenChips } from '@/components/ui/token-display';
import { WORDPIECE } from '@/nodes/shared/token-text';
import type { BodyProps } from '../types';

export function WordpieceBody({ view: v }: BodyProps<'wordpiece'>) {
  if (!v) return <p className="text-xs text-slate-500">…</p>;
  return (
    <div className="grid gap-1 text-xs">
      <span>Trained: {v.training.vocabSize.toLocaleString()} tokens, {v.training.merges.toLocaleString()} merges</span>
      <TokenChips tokens={v.pieces.slice(0, 14)} spelling={WORDPIECE} className="max-h-16 overflow-hidden" />
      <span className="text-slate-500">
        {v.tokenCount.toLocaleString()} tokens · {v.tokenCount ? (v.charCount / v.tokenCount).toFixed(2) : '—'} chars/token
      </span>
    </div>
  );
}

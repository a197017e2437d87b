'use client';
/** The BPE node's body on the canvas: what is worth seeing without opening the inspector. */
import { TokenChips } from '@/components/ui/token-display';
import { BYTE_LEVEL } from '@/nodes/shared/token-text';
import { useLab } from '@/components/canvas/store';
import type { BodyProps } from '../types';

export function BpeBody({ id, view: v }: BodyProps<'bpe'>) {
  if (!v) return <p className="text-xs text-slate-500">…</p>;
  return (
    <div className="grid gap-1 text-xs">
      <span>
        {v.training ? 'Trained' : 'GPT-2 merges'}: {v.vocabSize.toLocaleString()} tokens, {v.mergeCount.toLocaleString()} merges
      </span>
      <TokenChips tokens={v.pieces.slice(0, 14)} scope={id} spelling={BYTE_LEVEL} className="max-h-16 overflow-hidden" />
      <span className="text-slate-500">
        {v.tokenCount.toLocaleString()} tokens · {v.tokenCount ? (v.charCount / v.tokenCount).toFixed(2) : '—'} chars/token
      </span>
      {v.hint && (
        <p data-testid="bpe-hint" className="rounded bg-amber-50 px-1.5 py-1 text-amber-900 dark:bg-amber-950 dark:text-amber-100">
          {v.hint}{' '}
          <button
            type="button"
            className="nodrag underline"
            data-testid="bpe-use-gpt2"
            onClick={() => useLab.getState().updateParams(id, { source: 'gpt2' })}
          >
            Use GPT-2’s merges
          </button>
        </p>
      )}
      {v.faithful && (
        <span className={v.faithful.equal ? 'text-emerald-700' : 'text-amber-700'}>{v.faithful.equal ? '✓ same IDs as GPT-2' : '✗ differs from GPT-2'}</span>
      )}
    </div>
  );
}

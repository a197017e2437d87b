'use client';
/** The Fine-tune node's body on the canvas: what is worth seeing without opening the inspector. */
import type { BodyProps } from '../types';

export function FinetuneBody({ view: v }: BodyProps<'finetune'>) {
  if (!v) return <p className="text-xs text-slate-500">…</p>;
  const first = v.history[0]!;
  const last = v.history[v.history.length - 1]!;
  return (
    <div className="grid gap-1 text-xs" data-testid="finetune-body">
      <span>
        loss {first.fineTuneLoss.toFixed(2)} → {last.fineTuneLoss.toFixed(2)} · {v.steps} steps
      </span>
      <span className={v.watch.identical ? 'text-emerald-700' : 'text-rose-700'}>{v.watch.identical ? '✓ IDs unchanged' : '✗ IDs changed'}</span>
    </div>
  );
}

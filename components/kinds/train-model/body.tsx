'use client';
/**
 * The Train model node's body on the canvas: its size, where its held-out loss stands against the
 * bigram, and that loss per character, so two models on different tokenizers side by side on the
 * canvas compare at a glance (a loss per token depends on how much text a token holds).
 */
import type { BodyProps } from '../types';

export function TrainModelBody({ view: v }: BodyProps<'train-model'>) {
  if (!v) return <p className="text-xs text-slate-500">…</p>;
  const heldOut = v.history.filter((h) => h.heldOutLoss !== null);
  const [first, last] = [heldOut[0], heldOut.at(-1)];
  const beaten = last !== undefined && last.heldOutLoss! < v.baselines.bigram;
  return (
    <div className="grid gap-1 text-xs" data-testid="train-model-body">
      <span className="text-slate-500">
        {v.layers} × {v.width} · vocab {v.vocabSize.toLocaleString('en')} · {v.stepsDone} steps
      </span>
      {first && last && (
        <span>
          held-out {first.heldOutLoss!.toFixed(2)} → {last.heldOutLoss!.toFixed(2)}{' '}
          <span className={beaten ? 'text-emerald-700' : 'text-slate-500'}>{beaten ? '(below the bigram)' : `(bigram ${v.baselines.bigram.toFixed(2)})`}</span>
        </span>
      )}
      {last && (
        <span className="tabular-nums" data-testid="train-model-per-char">
          {(last.heldOutLoss! / v.charsPerToken).toFixed(3)} nats per character ({v.charsPerToken.toFixed(2)} characters a token)
        </span>
      )}
    </div>
  );
}

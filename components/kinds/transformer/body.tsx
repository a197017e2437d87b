'use client';
/** The Transformer node's body on the canvas: what is worth seeing without opening the inspector. */
import { TokenText, useTokenViews } from '@/components/ui/token-display';
import { formatMs } from '@/components/ui/format';
import type { BodyProps } from '../types';
import { HeldRunPanel } from '@/components/ui/held-run';

/** The top next tokens, each read on its own (a candidate has no neighbours to borrow bytes from). */
function Candidates({ candidates }: { candidates: { token: string; prob: number }[] }) {
  const views = useTokenViews(candidates.map((c) => c.token), undefined, undefined, true);
  return candidates.map((c, i) => (
    <div key={i} className="flex justify-between gap-2">
      <TokenText view={views[i]!} className="truncate" />
      <span className="text-slate-500">{(c.prob * 100).toFixed(1)}%</span>
    </div>
  ));
}

export function TransformerBody({ id, view: v }: BodyProps<'transformer'>) {
  if (!v) return <p className="text-xs text-slate-500">Loads the model on first run…</p>;
  if (v.held) return <HeldRunPanel nodeId={id} held={v.held} kind="transformer" compact />;
  return (
    <div className="grid gap-1 text-[11px]" data-testid="transformer-body">
      {v.warning && <span className="text-amber-700" data-testid="transformer-body-warning">⚠ IDs from {v.idsTokenizer}, model reads {v.modelTokenizer}</span>}
      <Candidates candidates={v.topK[0]?.candidates.slice(0, 3) ?? []} />
      <span className="text-slate-500 dark:text-slate-400">
        next token · {v.backend} · {formatMs(v.runMs)}
      </span>
    </div>
  );
}

'use client';
/** The N-gram node's body on the canvas: what is worth seeing without opening the inspector. */
import { useLabelOf } from '@/components/ui/token-display';
import { PLAIN } from '@/nodes/shared/token-text';
import type { BodyProps } from '../types';

export function NgramBody({ view: v }: BodyProps<'ngram'>) {
  const labelOf = useLabelOf([], v?.spelling ?? PLAIN);
  if (!v) return <p className="text-xs text-slate-500">…</p>;
  const best = v.prediction.next[0];
  return (
    <div className="grid gap-1 text-[11px]">
      {v.top.slice(0, 3).map((g, i) => (
        <div key={i} className="flex justify-between gap-2">
          <span className="truncate font-mono">{g.units.map(labelOf).join(' ')}</span>
          <span className="text-slate-500">×{g.count}</span>
        </div>
      ))}
      <span className="text-slate-500 dark:text-slate-400">
        {v.unitCount.toLocaleString()} {v.level === 'word' ? 'words' : 'tokens'} · n = {v.n}
        {best && ` · next: ${labelOf(best.unit)} ${(best.probability * 100).toFixed(1)}%`}
      </span>
    </div>
  );
}

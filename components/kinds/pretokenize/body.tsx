'use client';
/** The Pretokenize node's body on the canvas: what is worth seeing without opening the inspector. */
import { MODE_INFO } from '@/nodes/pretokenize/explain';
import { PRETOKENIZE_MODES } from '@/nodes/pretokenize/pretokenize';
import { TokenChip, spanIn } from '@/components/ui/token-display';
import { viewOfPiece } from '@/nodes/shared/token-text';
import { useLab } from '@/components/canvas/store';
import type { BodyProps } from '../types';

export function PretokenizeBody({ id, params, view: v }: BodyProps<'pretokenize'>) {
  const updateParams = useLab((s) => s.updateParams);
  return (
    <div className="grid gap-2">
      <select
        aria-label="Pretokenize mode"
        className="nodrag field text-xs"
        value={String(params.mode)}
        onChange={(e) => updateParams(id, { mode: e.target.value })}
      >
        {PRETOKENIZE_MODES.map((m) => (
          <option key={m} value={m}>
            {MODE_INFO[m].label}
          </option>
        ))}
      </select>
      {v && (
        <>
          <div className="flex max-h-20 flex-wrap gap-1 overflow-hidden">
            {v.pieces.slice(0, 24).map((p, i) => (
              <TokenChip key={i} view={viewOfPiece(p.text, p.shown)} span={spanIn(id, p)} />
            ))}
          </div>
          <span className="text-[11px] text-slate-500 dark:text-slate-400">
            {v.count.toLocaleString()} pieces · {v.distinct.toLocaleString()} distinct
          </span>
        </>
      )}
    </div>
  );
}

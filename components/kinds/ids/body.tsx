'use client';
/** The IDs node's body on the canvas: what is worth seeing without opening the inspector. */
import type { BodyProps } from '../types';

export function IdsBody({ view: v }: BodyProps<'ids'>) {
  if (!v) return <p className="text-xs text-slate-500">…</p>;
  return (
    <div className="grid gap-1 text-xs">
      <span className="truncate font-mono" data-testid="ids-body">
        [{v.rows.slice(0, 12).map((r) => r.id).join(', ')}
        {v.length > 12 ? ', …' : ''}]
      </span>
      <span className="text-slate-500">{v.length} IDs</span>
    </div>
  );
}

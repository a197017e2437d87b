'use client';
/** The Decode node's body on the canvas: what is worth seeing without opening the inspector. */
import type { BodyProps } from '../types';

export function DecodeBody({ view: v }: BodyProps<'decode'>) {
  if (!v) return <p className="text-xs text-slate-500">…</p>;
  return (
    <div className="grid gap-1 text-xs">
      <span className="line-clamp-3 whitespace-pre-wrap">{v.text}</span>
      {v.roundTrip && <span className={v.roundTrip.equal ? 'text-emerald-700' : 'text-amber-700'}>{v.roundTrip.equal ? '✓ round trip exact' : '✗ differs from the original'}</span>}
    </div>
  );
}

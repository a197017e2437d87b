'use client';
/** The Clean node's body on the canvas: what is worth seeing without opening the inspector. */
import type { BodyProps } from '../types';

export function CleanBody({ view: v }: BodyProps<'clean'>) {
  if (!v) return <p className="text-xs text-slate-500">…</p>;
  const active = v.steps.map((s) => s.name);
  return (
    <div className="grid gap-1 text-xs">
      <span className="text-slate-600 dark:text-slate-300">{active.length ? active.join(' · ') : 'No cleaning steps on'}</span>
      <span className="text-slate-500 dark:text-slate-400">
        {v.changes.length === 0 ? 'No characters changed' : `${v.changes.length}${v.changes.length >= 60 ? '+' : ''} changes`}
        {v.loneSurrogates.length > 0 && <span className="text-rose-600"> · {v.loneSurrogates.length} lone surrogates</span>}
      </span>
    </div>
  );
}

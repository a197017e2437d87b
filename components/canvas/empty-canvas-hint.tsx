'use client';
/** What an empty canvas says to do first. */
import { useLab } from './store';

export function EmptyCanvasHint({ onOpenTemplates }: { onOpenTemplates(): void }) {
  const empty = useLab((s) => s.nodes.length === 0);
  const readOnly = useLab((s) => s.readOnly);
  if (!empty || readOnly) return null;
  return (
    <div className="pointer-events-none absolute inset-0 z-10 grid place-items-center" data-testid="empty-canvas-hint">
      <p className="pointer-events-auto rounded-xl border border-dashed border-slate-300 bg-white/90 px-5 py-4 text-center text-sm text-slate-600 shadow-sm dark:border-slate-600 dark:bg-slate-900/90 dark:text-slate-300">
        Drag a node from the left, or{' '}
        <button type="button" className="font-medium text-sky-700 underline dark:text-sky-300" onClick={onOpenTemplates}>
          open a template
        </button>
        .
      </p>
    </div>
  );
}

/** A horizontal bar for a fraction 0..1 (probabilities, relative changes); an empty bar for 0. */
export function Bar({ fraction, tone }: { fraction: number; tone: 'sky' | 'violet' }) {
  return (
    <div className="h-3 w-full rounded bg-slate-100 dark:bg-slate-800">
      <div
        className={tone === 'sky' ? 'h-3 rounded bg-sky-500 dark:bg-sky-400' : 'h-3 rounded bg-violet-500 dark:bg-violet-400'}
        style={{ width: `${Math.max(fraction > 0 ? 1 : 0, Math.min(1, fraction) * 100)}%` }}
      />
    </div>
  );
}

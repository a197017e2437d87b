'use client';
/**
 * The class's answers to a prediction question as bars, without names: one bar per choice
 * (all of them, even at zero), per number or per token answered. After the reveal the true
 * answer's bar is green.
 */
import type { LiveHistogram } from '@/server/live/live-state';

export function AnswerHistogram({ histogram, large = false }: { histogram: LiveHistogram; large?: boolean }) {
  const max = Math.max(1, ...histogram.bins.map((b) => b.count));
  return (
    <figure className="grid gap-1" data-testid="live-histogram" aria-label="Answers so far">
      <figcaption className={large ? 'text-base text-slate-300' : 'text-xs text-slate-500'}>
        {histogram.total} {histogram.total === 1 ? 'answer' : 'answers'}
      </figcaption>
      {histogram.total === 0 && histogram.bins.length === 0 && <p className="text-sm text-slate-500">No answers yet.</p>}
      {histogram.bins.map((bin) => (
        <div key={`${bin.value}|${bin.label}`} className="grid grid-cols-[minmax(4rem,10rem)_1fr_2.5rem] items-center gap-2" data-testid="live-bin" data-value={bin.value}>
          <span className={`truncate font-mono ${large ? 'text-lg' : 'text-xs'}`} title={bin.label}>
            {bin.label}
          </span>
          <span className="h-4 rounded bg-slate-700/30">
            <span
              className={`block h-4 rounded ${bin.correct === true ? 'bg-emerald-500' : bin.correct === false ? 'bg-slate-400' : 'bg-sky-500'}`}
              style={{ width: `${(bin.count / max) * 100}%` }}
            />
          </span>
          <span className={`text-right tabular-nums ${large ? 'text-lg' : 'text-xs'}`} data-testid="live-bin-count">
            {bin.count}
          </span>
        </div>
      ))}
    </figure>
  );
}

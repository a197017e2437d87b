import { barWidthPercent } from './scales';

const TONE = {
  sky: 'h-3 rounded bg-sky-500 dark:bg-sky-400',
  violet: 'h-3 rounded bg-violet-500 dark:bg-violet-400',
  fuchsia: 'h-3 rounded bg-fuchsia-500 dark:bg-fuchsia-400',
} as const;

/**
 * A horizontal bar for a fraction 0..1 of its track (probabilities on an absolute 0–100 % scale,
 * relative changes); an empty bar for 0.
 */
export function Bar({ fraction, tone, testId }: { fraction: number; tone: keyof typeof TONE; testId?: string }) {
  const width = barWidthPercent(fraction);
  return (
    <div className="h-3 w-full rounded bg-slate-100 dark:bg-slate-800">
      <div className={TONE[tone]} style={{ width: `${width}%` }} data-testid={testId} data-width={width} />
    </div>
  );
}

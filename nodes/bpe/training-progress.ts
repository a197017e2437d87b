/**
 * Progress of a BPE training as a learner reads it: how much of the corpus has been read, how
 * many words counted, how many merges made, and about how long is left.
 *
 *   const tracker = new TrainingProgress(hooks, 100_000_000, 'bytes');
 *   tracker.counted(12_000_000, 2_100_000);
 *   // hooks.progress(0.036, '12 MB of 100 MB read · 2,100,000 words counted · about 40 s left', {...})
 *
 * Time left is a straight-line estimate from the rate so far: while counting, of the counting
 * still to do (merging is not known yet, and the line says "then merging"); while merging, of
 * the merges still to make. Reports are throttled to about four a second.
 *
 * Not handled here: the training itself (train-bpe.ts), where the report is shown (the node).
 */
import type { LongRunHooks } from './types';

/** Share of the progress bar given to counting words. */
export const COUNTING_SHARE = 0.3;
const REPORT_EVERY_MS = 250;

/** The figures behind a progress line, for a view that draws its own. */
export interface TrainingProgressData {
  phase: 'counting' | 'merging' | 'done';
  /** Bytes (streamed corpus) or characters (text) read so far, and in all when known. */
  read: number;
  total: number | null;
  unit: 'bytes' | 'characters';
  words: number;
  uniqueWords: number;
  merges: number;
  targetMerges: number;
  /** Seconds left in the current phase, when there is a rate to go by. */
  secondsLeft: number | null;
}

function size(n: number, unit: 'bytes' | 'characters'): string {
  if (unit === 'characters') return `${n.toLocaleString('en-US')} characters`;
  if (n < 1e6) return `${(n / 1e3).toFixed(n < 1e4 ? 1 : 0)} kB`;
  return `${(n / 1e6).toFixed(n < 1e7 ? 1 : 0)} MB`;
}

function seconds(s: number): string {
  if (s < 1) return 'under a second';
  if (s < 90) return `${Math.round(s)} s`;
  return `${Math.round(s / 60)} min`;
}

/** The line a node shows for a report. */
export function describeProgress(p: TrainingProgressData): string {
  const left = p.secondsLeft === null ? '' : p.secondsLeft < 1 ? ' · under a second left' : ` · about ${seconds(p.secondsLeft)} left`;
  if (p.phase === 'counting') {
    const read = p.total === null ? `${size(p.read, p.unit)} read` : `${size(p.read, p.unit)} of ${size(p.total, p.unit)} read`;
    return `${read} · ${p.words.toLocaleString('en-US')} words counted${left}${p.secondsLeft === null ? '' : ', then merging'}`;
  }
  const words = `${p.words.toLocaleString('en-US')} words (${p.uniqueWords.toLocaleString('en-US')} different)`;
  // Trained, but the node still encodes the text and builds its views: the line stays until the node is done.
  if (p.phase === 'done') return `${words} · ${p.merges.toLocaleString('en-US')} merges made · preparing the results`;
  return `${words} · ${p.merges.toLocaleString('en-US')} of ${p.targetMerges.toLocaleString('en-US')} merges${left}`;
}

export class TrainingProgress {
  private readonly data: TrainingProgressData;
  private readonly started = Date.now();
  private mergeStarted = 0;
  private lastReport = 0;

  constructor(
    private readonly hooks: LongRunHooks,
    total: number | null,
    unit: 'bytes' | 'characters',
  ) {
    this.data = { phase: 'counting', read: 0, total, unit, words: 0, uniqueWords: 0, merges: 0, targetMerges: 0, secondsLeft: null };
  }

  /** After a chunk: `read` bytes or characters so far, `words` occurrences counted. */
  counted(read: number, words: number): void {
    const d = this.data;
    d.read = read;
    d.words = words;
    const elapsed = (Date.now() - this.started) / 1000;
    d.secondsLeft = d.total !== null && read > 0 && elapsed > 0.5 ? (elapsed * (d.total - read)) / read : null;
    this.report(d.total ? (COUNTING_SHARE * read) / d.total : 0);
  }

  /** Counting is over: `words` occurrences of `uniqueWords` different words. */
  startMerging(words: number, uniqueWords: number, targetMerges: number): void {
    Object.assign(this.data, { phase: 'merging', words, uniqueWords, targetMerges, merges: 0, secondsLeft: null });
    if (this.data.total !== null) this.data.read = this.data.total;
    this.mergeStarted = Date.now();
    this.report(COUNTING_SHARE, true);
  }

  merged(merges: number): void {
    const d = this.data;
    d.merges = merges;
    const elapsed = (Date.now() - this.mergeStarted) / 1000;
    d.secondsLeft = merges > 0 && elapsed > 0.5 ? (elapsed * (d.targetMerges - merges)) / merges : null;
    this.report(COUNTING_SHARE + ((1 - COUNTING_SHARE) * merges) / Math.max(1, d.targetMerges));
  }

  done(merges: number): void {
    Object.assign(this.data, { phase: 'done', merges, secondsLeft: 0 });
    this.report(1, true);
  }

  /** The latest figures (a copy). */
  snapshot(): TrainingProgressData {
    return { ...this.data };
  }

  private report(fraction: number, force = false): void {
    if (!this.hooks.progress) return;
    const now = Date.now();
    if (!force && now - this.lastReport < REPORT_EVERY_MS) return;
    this.lastReport = now;
    const d = { ...this.data };
    this.hooks.progress(fraction, describeProgress(d), d);
  }
}

/**
 * Teaching data derived from a trained BPE tokenizer, for its inspector:
 * - the merge timeline (merge k joins left + right into token 256+k, with the pair's count then);
 * - replays of the first k merges on the user's text (the slider) and the compression curve
 *   (tokens per character against vocabulary size) those replays give;
 * - ID against frequency, with the rank correlation between the two orders;
 * - encode traces: one word's merges, step by step, in rank order.
 *
 *   replay(model, 'aaabdaaabac', 1)  // with merge 0 = (a, a): ['aa', 'a', 'b', 'd', 'aa', 'a', 'b', 'a', 'c']
 *
 * Not handled here: training (train-bpe.ts), drawing (components/kinds/bpe).
 */
import type { BpeModel, TrainedBpe, TrainedMerge } from './types';
import { BpeEncoder } from './encode-bpe';
import { traceBpePiece, type BpeTrace } from './trace-bpe';

export interface MergeRow {
  rank: number;
  id: number;
  left: string;
  right: string;
  merged: string;
  count: number;
  frequency: number;
}

export interface ReplayFrame {
  merges: number;
  vocabSize: number;
  tokens: string[];
  tokenCount: number;
  tokensPerChar: number;
}

/** The model cut down to its first k merges; ids of the merges kept are unchanged. */
export function truncateMerges(model: BpeModel, k: number): BpeModel {
  return { ...model, merges: model.merges.slice(0, k) };
}

export function replay(model: BpeModel, text: string, k: number): string[] {
  const encoder = new BpeEncoder(truncateMerges(model, k), { cacheSize: 0 });
  return encoder.encode(text).map((id) => model.tokens[id]!);
}

/** Evenly spaced merge counts from 0 to the total, always including both ends. */
export function checkpoints(total: number, frames: number): number[] {
  if (total === 0) return [0];
  const set = new Set<number>();
  for (let i = 0; i < frames; i++) set.add(Math.round((i * total) / (frames - 1)));
  return [...set].sort((a, b) => a - b);
}

export function replayFrames(model: BpeModel, text: string, frames = 24, tokensShown = 400): ReplayFrame[] {
  const chars = [...text].length || 1;
  const base = model.tokens.length - model.merges.length;
  return checkpoints(model.merges.length, frames).map((k) => {
    const tokens = replay(model, text, k);
    return {
      merges: k,
      vocabSize: base + k,
      tokens: tokens.slice(0, tokensShown),
      tokenCount: tokens.length,
      tokensPerChar: tokens.length / chars,
    };
  });
}

export function mergeRows(merges: readonly TrainedMerge[], tokens: readonly string[]): MergeRow[] {
  return merges.map((m, rank) => ({ rank, id: m.id, left: m.left, right: m.right, merged: tokens[m.id]!, count: m.count, frequency: m.frequency }));
}

/**
 * Spearman's rank correlation between merge order (ID) and frequency, over merged tokens.
 * 1 would mean "ID order is frequency order" (most frequent first); BPE gives much less.
 */
export function idFrequencyCorrelation(merges: readonly TrainedMerge[]): number | null {
  const n = merges.length;
  if (n < 3) return null;
  const byFreq = merges.map((m, i) => ({ i, f: m.frequency })).sort((a, b) => b.f - a.f || a.i - b.i);
  const freqRank = new Array<number>(n);
  byFreq.forEach((x, r) => (freqRank[x.i] = r));
  let d2 = 0;
  for (let i = 0; i < n; i++) d2 += (i - freqRank[i]!) ** 2;
  return 1 - (6 * d2) / (n * (n * n - 1));
}

/**
 * A pair of merged tokens that shows "ID ≠ frequency": the lower ID is the rarer token. Prefers
 * a token spelled "un"/"Ġun" when the corpus has one (a classic example of ID order against frequency).
 */
export function inversionExample(rows: readonly MergeRow[]): { earlier: MergeRow; later: MergeRow } | null {
  const un = rows.find((r) => r.merged === 'un' || r.merged === 'Ġun');
  const candidates = un ? [un, ...rows] : rows;
  for (const a of candidates) {
    const later = rows.find((b) => b.id > a.id && b.frequency > a.frequency * 2 && b.frequency >= 3);
    if (later) return { earlier: a, later };
  }
  return null;
}

/**
 * The tracing encoder and the traces already made, per model: building an encoder for GPT-2's
 * 50,000 merges takes longer than a keystroke's whole budget, and the same words come back at
 * every keystroke. A trace depends only on the model and the word. Bounded: cleared when full.
 */
const tracers = new WeakMap<BpeModel, { encoder: BpeEncoder; traces: Map<string, BpeTrace> }>();
const TRACES_KEPT = 4096;

export function traceWords(model: BpeModel, words: readonly string[]): BpeTrace[] {
  let tracer = tracers.get(model);
  if (!tracer) tracers.set(model, (tracer = { encoder: new BpeEncoder(model, { cacheSize: 0 }), traces: new Map() }));
  const { encoder, traces } = tracer;
  return words.map((w) => {
    let trace = traces.get(w);
    if (!trace) {
      if (traces.size >= TRACES_KEPT) traces.clear();
      traces.set(w, (trace = traceBpePiece(encoder, w)));
    }
    return trace;
  });
}

export function summarizeTraining(trained: TrainedBpe) {
  return {
    vocabSize: trained.tokens.length,
    merges: trained.merges.length,
    specialTokens: trained.specialTokens,
    stoppedBecause: trained.stoppedBecause,
    uniqueWords: trained.uniqueWords,
    totalWords: trained.totalWords,
    pattern: trained.pattern,
  };
}

/**
 * The model state of Unigram training between EM steps, and the two steps that change it: the
 * M-step (SentencePiece's Bayesian, digamma-based re-estimation) and pruning by likelihood loss.
 * Split from train-unigram.ts, which runs them in order; same float32 arithmetic as there.
 *
 * Not handled here: the E-step (em.ts), seeds and the final vocabulary (train-unigram.ts).
 */
import type { LongRunHooks } from '../bpe/types';
import type { WordLattices } from './em';
import { UNK_PENALTY } from './lattice';

const f = Math.fround;
const PIECES_PER_CHECKPOINT = 2000;

/** A word or piece with its count or score. */
export type Scored = [string, number];
/** A piece of the model being trained: text, score, and its index among the seeds. */
export type ModelPiece = [string, number, number];

/** SentencePiece's Digamma (asymptotic series after shifting x to >= 7). */
export function digamma(x: number): number {
  let result = 0;
  for (; x < 7; ++x) result -= 1 / x;
  x -= 1 / 2;
  const xx = 1 / x;
  const xx2 = xx * xx;
  const xx4 = xx2 * xx2;
  result += Math.log(x) + (1 / 24) * xx2 - (7 / 960) * xx4 + (31 / 8064) * xx4 * xx2 - (127 / 30720) * xx4 * xx4;
  return result;
}


/** Model state between EM steps: pieces with scores, and where each seed piece went. */
export class Pieces {
  readonly scores: Float32Array;
  readonly minScore: number;
  readonly unkScore: number;
  /** current[seed]: the piece's index in this model, or -1 once pruned. */
  readonly current: Int32Array;
  constructor(
    readonly list: ModelPiece[],
    seedCount: number,
  ) {
    this.scores = new Float32Array(list.length);
    this.current = new Int32Array(seedCount).fill(-1);
    let min = Infinity;
    for (let i = 0; i < list.length; i++) {
      const [, score, seed] = list[i]!;
      this.scores[i] = score;
      if (score < min) min = score;
      this.current[seed] = i;
    }
    this.minScore = f(min);
    this.unkScore = f(this.minScore - UNK_PENALTY);
  }
}

/** The M-step: drop pieces expected less than 0.5 times; score = digamma(count) - digamma(sum). */
export function mStep(list: readonly ModelPiece[], expected: Float32Array): ModelPiece[] {
  const kept: ModelPiece[] = [];
  let sum = 0;
  for (let i = 0; i < list.length; i++) {
    const freq = expected[i]!;
    if (freq < 0.5) continue;
    kept.push([list[i]![0], freq, list[i]![2]]);
    sum = f(sum + freq);
  }
  const logSum = f(digamma(sum));
  for (const p of kept) p[1] = f(digamma(p[1]) - logSum);
  return kept;
}

/**
 * PruneSentencePieces: keep the pieces whose removal would cost the corpus most likelihood.
 * `words` and `pieces` hold the lattices of the corpus's words and of the seed pieces (by seed
 * index), both kept to this model. SentencePiece's F (the share of words whose best path holds
 * the piece, counted per occurrence) is the piece's Viterbi frequency divided by the word total:
 * the same float32 sums in the same order.
 */
export async function prune(
  model: Pieces,
  counts: ArrayLike<number>,
  words: WordLattices,
  pieces: WordLattices,
  desired: number,
  shrinkingFactor: number,
  hooks: LongRunHooks,
): Promise<ModelPiece[]> {
  const list = model.list;
  const n = list.length;
  const { scores, unkScore } = model;
  const alwaysKeep = new Uint8Array(n).fill(1);
  const alternatives: (Int32Array | null)[] = new Array<Int32Array | null>(n).fill(null);
  for (let i = 0; i < n; i++) {
    if (i % PIECES_PER_CHECKPOINT === PIECES_PER_CHECKPOINT - 1) await hooks.checkpoint?.();
    const seed = list[i]![2];
    if (pieces.length(seed) === 1) continue; // one path only: always keep, no alternatives
    if (pieces.viterbi(seed, scores, unkScore) >= 2) alwaysKeep[i] = 0;
    else alternatives[i] = pieces.path.slice(0, pieces.viterbi(seed, scores, unkScore, true));
  }
  await hooks.checkpoint?.();

  const freq = new Float32Array(n);
  let vsum = 0;
  for (let w = 0; w < words.words; w++) {
    const count = counts[w]!;
    vsum = f(vsum + count);
    const length = words.viterbi(w, scores, unkScore);
    for (let j = 0; j < length; j++) {
      const id = words.path[j]!;
      freq[id] = f(freq[id]! + count);
    }
    if (w % PIECES_PER_CHECKPOINT === PIECES_PER_CHECKPOINT - 1) await hooks.checkpoint?.();
  }
  let sumD = 0;
  for (const x of freq) sumD += x;
  const sum = f(sumD);
  const logSum = f(Math.log(sum));
  const kept: ModelPiece[] = [];
  const candidates: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    if (freq[i] === 0 || !alwaysKeep[i]) continue;
    const alt = alternatives[i];
    if (!alt || alt.length === 0) {
      kept.push(list[i]!);
      continue;
    }
    const F = f(freq[i]! / vsum);
    const logProbSp = f(Math.log(freq[i]!) - logSum);
    const logSumAlt = f(Math.log(f(sum + f(freq[i]! * f(n - 1)))));
    let logProbAlt = 0;
    for (const a of alt) logProbAlt = f(logProbAlt + (Math.log(f(freq[a]! + freq[i]!)) - logSumAlt));
    candidates.push([i, f(F * f(logProbSp - logProbAlt))]);
  }
  const prunedSize = Math.max(desired, Math.trunc(f(shrinkingFactor * n)));
  candidates.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  for (const [i] of candidates) {
    if (kept.length === prunedSize) break;
    kept.push(list[i]!);
  }
  return kept;
}

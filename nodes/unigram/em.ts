/**
 * The E-step and the corpus-wide Viterbi of Unigram training, over every word at once, with the
 * same float32 arithmetic and the same order of operations as lattice.ts (and SentencePiece).
 *
 *   const words = new WordLattices(wordCps, seedTrie, 16);   // once: every seed piece in every word
 *   words.eStep(current, scores, unkScore, counts, expected)  // each EM step: no trie lookups
 *
 * Why not lattice.ts per word: pieces only disappear during training, so the pieces that fit a
 * word are found once, against the seed vocabulary, and each step only asks which of them are
 * still there. Forward values depend only on a node's start and backward values only on its end
 * (SentencePiece computes the same number for every node at a position), so both are kept per
 * position. Viterbi stays per node, as there, because rounding could make two paths tie.
 *
 * Not handled here: pruning's per-piece second-best paths (lattice.ts), the M-step.
 */
import type { PieceTrie } from './lattice';

const f = Math.fround;

function logSumExp(x: number, y: number, init: boolean): number {
  if (init) return y;
  const vmin = Math.min(x, y);
  const vmax = Math.max(x, y);
  if (vmax > f(vmin + 50)) return vmax;
  return f(vmax + Math.log(Math.exp(f(vmin - vmax)) + 1.0));
}

export class WordLattices {
  /** Word w's nodes are nodeSeed/nodeStart/nodeLength[first[w] .. first[w + 1]), by start then length. */
  private readonly first: Int32Array;
  private readonly nodeSeed: Int32Array;
  private readonly nodeStart: Int32Array;
  private readonly nodeLength: Int32Array;
  private readonly size: Int32Array;
  /** Scratch, by position: forward and backward values; table[pos * L + length - 1] = node (or -1). */
  private alpha = new Float32Array(64);
  private beta = new Float32Array(64);
  private table = new Int32Array(64 * 16);
  private best = new Float32Array(64 * 16);
  private prev = new Int32Array(64 * 16);

  constructor(
    words: readonly Int32Array[],
    seeds: PieceTrie,
    private readonly maxLength: number,
  ) {
    this.first = new Int32Array(words.length + 1);
    this.size = Int32Array.from(words, (w) => w.length);
    const seed: number[] = [];
    const start: number[] = [];
    const length: number[] = [];
    words.forEach((cps, w) => {
      this.first[w] = seed.length;
      for (let pos = 0; pos < cps.length; pos++) {
        seeds.prefixes(cps, pos, (id, len) => {
          seed.push(id);
          start.push(pos);
          length.push(len);
        });
      }
    });
    this.first[words.length] = seed.length;
    this.nodeSeed = Int32Array.from(seed);
    this.nodeStart = Int32Array.from(start);
    this.nodeLength = Int32Array.from(length);
  }

  /**
   * Fills the table of word w with the nodes still in the vocabulary (current[seed] >= 0), and
   * returns for each position whether a one-character piece covers it (else an unknown node).
   */
  private fill(w: number, current: Int32Array): number {
    const n = this.size[w]!;
    const L = this.maxLength;
    if (this.table.length < n * L) {
      this.table = new Int32Array(n * L * 2);
      this.best = new Float32Array(n * L * 2);
      this.prev = new Int32Array(n * L * 2);
    }
    if (this.alpha.length < n + 1) {
      this.alpha = new Float32Array((n + 1) * 2);
      this.beta = new Float32Array((n + 1) * 2);
    }
    this.table.fill(-1, 0, n * L);
    for (let k = this.first[w]!; k < this.first[w + 1]!; k++) {
      if (current[this.nodeSeed[k]!]! >= 0) this.table[this.nodeStart[k]! * L + this.nodeLength[k]! - 1] = k;
    }
    return n;
  }

  /** The id and score of the node at (pos, length) in the filled table, or null. */
  private idOf(pos: number, length: number, current: Int32Array): number {
    const k = this.table[pos * this.maxLength + length - 1]!;
    if (k >= 0) return current[this.nodeSeed[k]!]!;
    return length === 1 && this.table[pos * this.maxLength]! < 0 ? -2 : -1; // -2: the unknown node
  }

  get words(): number {
    return this.size.length;
  }

  /**
   * Forward-backward on words from … to - 1: adds count × marginal to expected[id] (unknown nodes to id 0,
   * as SentencePiece's trainer does) and returns the objective (negative log likelihood per word).
   */
  eStep(
    range: { from: number; to: number; objective: number },
    current: Int32Array,
    scores: Float32Array,
    unkScore: number,
    counts: ArrayLike<number>,
    expected: Float32Array,
    allFreq: number,
  ): number {
    let objective = range.objective;
    const L = this.maxLength;
    for (let w = range.from; w < range.to; w++) {
      const n = this.fill(w, current);
      const A = this.alpha;
      const B = this.beta;
      A[0] = 0;
      // alpha[p]: over the nodes ending at p, by start ascending.
      for (let p = 1; p <= n; p++) {
        let value = 0;
        let init = true;
        for (let s = Math.max(0, p - L); s < p; s++) {
          const id = this.idOf(s, p - s, current);
          if (id === -1) continue;
          const score = id === -2 ? unkScore : scores[id]!;
          value = logSumExp(value, f(score + A[s]!), init);
          init = false;
        }
        A[p] = value;
      }
      // beta[p]: over the nodes starting at p, by length ascending, the unknown node last.
      B[n] = 0;
      for (let p = n - 1; p >= 0; p--) {
        let value = 0;
        let init = true;
        const longest = Math.min(L, n - p);
        for (let len = 1; len <= longest; len++) {
          const k = this.table[p * L + len - 1]!;
          if (k < 0) continue;
          value = logSumExp(value, f(scores[current[this.nodeSeed[k]!]!]! + B[p + len]!), init);
          init = false;
        }
        if (this.table[p * L]! < 0) value = logSumExp(value, f(unkScore + B[p + 1]!), init);
        B[p] = value;
      }
      const z = A[n]!;
      const freq = f(counts[w]!);
      for (let p = 0; p < n; p++) {
        const longest = Math.min(L, n - p);
        for (let len = 1; len <= longest; len++) {
          const k = this.table[p * L + len - 1]!;
          if (k < 0) continue;
          const id = current[this.nodeSeed[k]!]!;
          expected[id] = f(expected[id]! + freq * Math.exp(f(f(f(A[p]! + scores[id]!) + B[p + len]!) - z)));
        }
        if (this.table[p * L]! < 0) expected[0] = f(expected[0]! + freq * Math.exp(f(f(f(A[p]! + unkScore) + B[p + 1]!) - z)));
      }
      objective = f(objective - f(f(freq * z) / f(allFreq)));
    }
    return objective;
  }

  /** Calls found(id) for each piece of word w's best segmentation (unknown characters as id 0). */
  viterbi(w: number, current: Int32Array, scores: Float32Array, unkScore: number, found: (id: number) => void): void {
    const n = this.fill(w, current);
    const L = this.maxLength;
    const { best, prev } = this;
    // best/prev per node slot pos * L + len - 1; a node's candidates end where it starts.
    let eosPrev = -1;
    for (let p = 0; p <= n; p++) {
      // Nodes starting at p (the EOS at p = n), by length ascending, unknown last.
      const starting = p === n ? 1 : Math.min(L, n - p) + 1;
      for (let r = 0; r < starting; r++) {
        let slot: number;
        let score: number;
        if (p === n) {
          slot = -1;
          score = 0;
        } else if (r < starting - 1) {
          const k = this.table[p * L + r]!;
          if (k < 0) continue;
          slot = p * L + r;
          score = scores[current[this.nodeSeed[k]!]!]!;
        } else {
          if (this.table[p * L]! >= 0) continue;
          slot = p * L; // the unknown node takes the empty one-character slot
          score = unkScore;
        }
        let bestScore = 0;
        let bestFrom = -2;
        if (p === 0) {
          bestScore = f(0 + score);
          bestFrom = -1;
        } else {
          for (let s = Math.max(0, p - L); s < p; s++) {
            const len = p - s;
            if (this.idOf(s, len, current) === -1) continue;
            const candidate = f(best[s * L + len - 1]! + score);
            if (bestFrom === -2 || candidate > bestScore) {
              bestScore = candidate;
              bestFrom = s * L + len - 1;
            }
          }
        }
        if (slot < 0) eosPrev = bestFrom;
        else {
          best[slot] = bestScore;
          prev[slot] = bestFrom;
        }
      }
    }
    const path: number[] = [];
    for (let slot = eosPrev; slot >= 0; slot = prev[slot]!) path.push(slot);
    for (let i = path.length - 1; i >= 0; i--) {
      const slot = path[i]!;
      const k = this.table[slot]!;
      found(k >= 0 ? current[this.nodeSeed[k]!]! : 0);
    }
  }
}

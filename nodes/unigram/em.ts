/**
 * The E-step and the Viterbi of Unigram training, over many words at once, with the same float32
 * arithmetic and the same order of operations as lattice.ts (and SentencePiece).
 *
 *   const words = new WordLattices(wordCps, seedTrie, current);   // once: every seed piece in every word
 *   words.keep(model.current)                            // after each M-step or pruning
 *   words.eStep(range, scores, unkScore, counts, expected, allFreq)
 *   words.viterbi(w, scores, unkScore)                   // best path, ids in words.path
 *
 * Why not lattice.ts per word: pieces only disappear during training, so the pieces that fit a
 * word are found once, against the seed vocabulary, kept in flat arrays by word, start and
 * length, and dropped as the model loses them; no step allocates. Forward values depend only on
 * a node's start and backward values only on its end (SentencePiece computes the same number for
 * every node at a position), so both are kept per position. Sums run in lattice.ts's order: the
 * forward value at a position adds the nodes ending there by start, the backward value the nodes
 * starting there by length, the unknown node last. Viterbi stays per node, as there, because
 * rounding could make two paths tie; a node's candidates are pushed to it by start, so ties go
 * to the first, as there.
 *
 * A position no live piece of length one covers gets an unknown node (id 0 in the sums, as
 * SentencePiece's trainer counts it).
 *
 * Not handled here: the M-step and pruning's choice (em-steps.ts).
 */
import type { PieceTrie } from './lattice';

const f = Math.fround;

function logSumExp(x: number, y: number): number {
  const vmin = Math.min(x, y);
  const vmax = Math.max(x, y);
  if (vmax > f(vmin + 50)) return vmax;
  return f(vmax + Math.log(Math.exp(f(vmin - vmax)) + 1.0));
}

export class WordLattices {
  /** Word w's nodes are k = first[w] … first[w + 1] - 1, by start then length. */
  private readonly first: Int32Array;
  private readonly size: Int32Array;
  private nodeSeed: Int32Array;
  private nodeStart: Int32Array;
  private nodeLength: Int32Array;
  /** The node's piece in the current model (keep() sets it). */
  private nodeId: Int32Array;
  private readonly mostNodes: number;
  // Scratch: per position (alpha, beta, the first node at or after it, whether it has a single),
  // per node (Viterbi: best score, previous node; unknown node p is mostNodes + p, EOS is last).
  private readonly alpha: Float32Array;
  private readonly beta: Float32Array;
  private readonly set: Uint8Array;
  private readonly from: Int32Array;
  private readonly single: Uint8Array;
  private readonly best: Float32Array;
  private readonly prev: Int32Array;
  private readonly reached: Uint8Array;
  /** The last viterbi()'s piece ids, first to last (unknown characters as 0). */
  readonly path: Int32Array;

  constructor(words: readonly Int32Array[], seeds: PieceTrie, current: Int32Array) {
    this.first = new Int32Array(words.length + 1);
    this.size = Int32Array.from(words, (w) => w.length);
    let capacity = 1024;
    let seed = new Int32Array(capacity);
    let start = new Int32Array(capacity);
    let length = new Int32Array(capacity);
    const ids = new Int32Array(Math.max(1, seeds.longest));
    const lengths = new Int32Array(Math.max(1, seeds.longest));
    let count = 0;
    let longestWord = 0;
    let mostNodes = 0;
    for (let w = 0; w < words.length; w++) {
      const cps = words[w]!;
      this.first[w] = count;
      longestWord = Math.max(longestWord, cps.length);
      for (let pos = 0; pos < cps.length; pos++) {
        const found = seeds.prefixesInto(cps, pos, ids, lengths);
        if (count + found > capacity) {
          capacity *= 2;
          seed = grow(seed, capacity);
          start = grow(start, capacity);
          length = grow(length, capacity);
        }
        for (let j = 0; j < found; j++, count++) {
          seed[count] = ids[j]!;
          start[count] = pos;
          length[count] = lengths[j]!;
        }
      }
      mostNodes = Math.max(mostNodes, count - this.first[w]!);
    }
    this.first[words.length] = count;
    this.nodeSeed = seed.slice(0, count);
    this.nodeStart = start.slice(0, count);
    this.nodeLength = length.slice(0, count);
    this.nodeId = new Int32Array(count);
    this.mostNodes = mostNodes;
    this.alpha = new Float32Array(longestWord + 1);
    this.beta = new Float32Array(longestWord + 1);
    this.set = new Uint8Array(longestWord + 1);
    this.from = new Int32Array(longestWord + 2);
    this.single = new Uint8Array(longestWord + 1);
    this.best = new Float32Array(mostNodes + longestWord + 1);
    this.prev = new Int32Array(mostNodes + longestWord + 1);
    this.reached = new Uint8Array(mostNodes + longestWord + 1);
    this.path = new Int32Array(longestWord);
    this.keep(current);
  }

  get words(): number {
    return this.size.length;
  }

  /** Word w's length in code points. */
  length(w: number): number {
    return this.size[w]!;
  }

  /** Drops the nodes of pieces the model no longer has (current[seed] < 0); ids from current. */
  keep(current: Int32Array): void {
    let to = 0;
    for (let w = 0; w < this.size.length; w++) {
      const end = this.first[w + 1]!;
      const from = this.first[w]!;
      this.first[w] = to;
      for (let k = from; k < end; k++) {
        const id = current[this.nodeSeed[k]!]!;
        if (id < 0) continue;
        this.nodeSeed[to] = this.nodeSeed[k]!;
        this.nodeStart[to] = this.nodeStart[k]!;
        this.nodeLength[to] = this.nodeLength[k]!;
        this.nodeId[to] = id;
        to++;
      }
    }
    this.first[this.size.length] = to;
    if (to < this.nodeSeed.length / 2) {
      this.nodeSeed = this.nodeSeed.slice(0, to);
      this.nodeStart = this.nodeStart.slice(0, to);
      this.nodeLength = this.nodeLength.slice(0, to);
      this.nodeId = this.nodeId.slice(0, to);
    }
  }

  /** from[p] = word w's first node starting at or after p (p = 0 … n); single[p] = a one-character node starts at p. */
  private index(w: number): number {
    const n = this.size[w]!;
    const end = this.first[w + 1]!;
    const { from, single, nodeStart, nodeLength } = this;
    let k = this.first[w]!;
    for (let p = 0; p <= n; p++) {
      from[p] = k;
      single[p] = 0;
      while (k < end && nodeStart[k] === p) {
        if (nodeLength[k] === 1) single[p] = 1;
        k++;
      }
    }
    return n;
  }

  /**
   * Forward-backward on words from … to - 1: adds count × marginal to expected[id] (unknown nodes
   * to id 0) and returns the objective (negative log likelihood per word) added to range.objective.
   */
  eStep(
    range: { from: number; to: number; objective: number },
    scores: Float32Array,
    unkScore: number,
    counts: ArrayLike<number>,
    expected: Float32Array,
    allFreq: number,
  ): number {
    let objective = range.objective;
    const { alpha: A, beta: B, set, from, single, nodeLength: len, nodeId: id } = this;
    for (let w = range.from; w < range.to; w++) {
      const n = this.index(w);
      // alpha: each node pushes to the position it ends at, starts ascending.
      A[0] = 0;
      set.fill(0, 1, n + 1);
      for (let p = 0; p < n; p++) {
        const here = A[p]!;
        for (let k = from[p]!; k < from[p + 1]!; k++) {
          const e = p + len[k]!;
          const v = f(scores[id[k]!]! + here);
          if (set[e]) A[e] = logSumExp(A[e]!, v);
          else {
            A[e] = v;
            set[e] = 1;
          }
        }
        if (!single[p]) {
          const v = f(unkScore + here);
          if (set[p + 1]) A[p + 1] = logSumExp(A[p + 1]!, v);
          else {
            A[p + 1] = v;
            set[p + 1] = 1;
          }
        }
      }
      // beta: over the nodes starting at p, by length, the unknown node last.
      B[n] = 0;
      for (let p = n - 1; p >= 0; p--) {
        let value = 0;
        let init = true;
        for (let k = from[p]!; k < from[p + 1]!; k++) {
          const v = f(scores[id[k]!]! + B[p + len[k]!]!);
          value = init ? v : logSumExp(value, v);
          init = false;
        }
        if (!single[p]) {
          const v = f(unkScore + B[p + 1]!);
          value = init ? v : logSumExp(value, v);
        }
        B[p] = value;
      }
      const z = A[n]!;
      const freq = f(counts[w]!);
      for (let p = 0; p < n; p++) {
        for (let k = from[p]!; k < from[p + 1]!; k++) {
          const i = id[k]!;
          expected[i] = f(expected[i]! + freq * Math.exp(f(f(f(A[p]! + scores[i]!) + B[p + len[k]!]!) - z)));
        }
        if (!single[p]) expected[0] = f(expected[0]! + freq * Math.exp(f(f(f(A[p]! + unkScore) + B[p + 1]!) - z)));
      }
      objective = f(objective - f(f(freq * z) / f(allFreq)));
    }
    return objective;
  }

  /**
   * Word w's best segmentation; with skipWhole, the best one without the node covering the whole
   * word (pruning's second best). Returns its length; the ids are path[0 … length - 1].
   */
  viterbi(w: number, scores: Float32Array, unkScore: number, skipWhole = false): number {
    const n = this.index(w);
    const { from, single, prev, reached, nodeLength: len, nodeId: id } = this;
    // Slots: node k at k - base, the unknown node at p at U + p, EOS at U + n.
    const base = this.first[w]!;
    const U = this.mostNodes;
    const eos = U + n;
    reached.fill(0, 0, from[n]! - base);
    reached.fill(0, U, U + n + 1);
    for (let k = from[0]!; k < from[1]!; k++) this.start(k - base, scores[id[k]!]!);
    if (!single[0]) this.start(U, unkScore);
    for (let p = 0; p < n; p++) {
      // Each node starting at p (the unknown one last) offers itself to the nodes starting where it ends.
      const last = single[p] ? from[p + 1]! - 1 : from[p + 1]!;
      for (let k = from[p]!; k <= last; k++) {
        const isNode = k < from[p + 1]!;
        const l = isNode ? k - base : U + p;
        const e = isNode ? p + len[k]! : p + 1;
        if (e === n) {
          if (!(skipWhole && p === 0 && isNode)) this.relax(l, eos, 0);
          continue;
        }
        for (let r = from[e]!; r < from[e + 1]!; r++) this.relax(l, r - base, scores[id[r]!]!);
        if (!single[e]) this.relax(l, U + e, unkScore);
      }
    }
    let length = 0;
    for (let slot = prev[eos]!; slot >= 0; slot = prev[slot]!) length++;
    let i = length;
    for (let slot = prev[eos]!; slot >= 0; slot = prev[slot]!) this.path[--i] = slot >= U ? 0 : id[slot + base]!;
    return length;
  }

  /** A node at the start: its score after BOS. */
  private start(slot: number, score: number): void {
    this.best[slot] = f(0 + score);
    this.prev[slot] = -1;
    this.reached[slot] = 1;
  }

  /** Node l offers itself as r's predecessor; the first best stays. */
  private relax(l: number, r: number, score: number): void {
    const candidate = f(this.best[l]! + score);
    if (!this.reached[r] || candidate > this.best[r]!) {
      this.best[r] = candidate;
      this.prev[r] = l;
      this.reached[r] = 1;
    }
  }
}

function grow(a: Int32Array, capacity: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(capacity);
  b.set(a);
  return b;
}

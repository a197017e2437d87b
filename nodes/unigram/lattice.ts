/**
 * The Unigram lattice of one word: every vocabulary piece that fits at every position, with
 * Viterbi (the best segmentation), forward-backward (each piece's expected count, EM's E-step)
 * and the second-best path (what a piece would be replaced by if it were pruned).
 *
 *   pieces ▁ t h e ▁th ▁the he, word '▁the':
 *   begin 0: ▁, ▁th, ▁the    begin 1: t    begin 2: h, he    begin 3: e
 *   viterbi() -> [▁the] when log p(▁the) beats every split, e.g. ▁th + e
 *
 * Arithmetic is float32 where SentencePiece's is (Math.fround after each float operation,
 * doubles where it converts to double), so expected counts and scores match spm_train's.
 * Nodes are in SentencePiece's order (by start, then length), and ties go to the first, as there.
 * A position no piece of length one covers gets an unknown node (score: lowest score - 10).
 *
 * Not handled here: which pieces exist (train-unigram.ts), normalisation (spm-text.ts).
 */

import { PairTable } from '../bpe/pair-table';

const f = Math.fround;
export const UNK_PENALTY = 10;

/** Pieces by code points, for common-prefix search. */
export class PieceTrie {
  private readonly edges: PairTable;
  private readonly values: number[] = [-1];
  longest = 0;

  constructor(pieces: readonly string[]) {
    let chars = 0;
    for (const piece of pieces) chars += piece.length;
    this.edges = new PairTable(Math.max(1 << 12, chars));
    for (let id = 0; id < pieces.length; id++) this.add(pieces[id]!, id);
  }

  add(piece: string, id: number): void {
    let node = 0;
    let length = 0;
    for (let i = 0; i < piece.length; i++) {
      const cp = piece.codePointAt(i)!;
      if (cp > 0xffff) i++;
      let child = this.edges.get(node, cp);
      if (child < 0) {
        child = this.values.length;
        this.values.push(-1);
        this.edges.set(node, cp, child);
      }
      node = child;
      length++;
    }
    if (length > 0) this.values[node] = id;
    if (length > this.longest) this.longest = length;
  }

  /** Writes the id and length of each piece that starts cps[from..], shortest first; returns how many. */
  prefixesInto(cps: ArrayLike<number>, from: number, ids: Int32Array, lengths: Int32Array): number {
    let node = 0;
    let found = 0;
    for (let k = from; k < cps.length; k++) {
      const child = this.edges.get(node, cps[k]!);
      if (child < 0) break;
      node = child;
      const id = this.values[node]!;
      if (id >= 0) {
        ids[found] = id;
        lengths[found++] = k - from + 1;
      }
    }
    return found;
  }

  /** Calls found(id, length) for each piece that starts cps[from..], shortest first. */
  prefixes(cps: ArrayLike<number>, from: number, found: (id: number, length: number) => void): void {
    let node = 0;
    for (let k = from; k < cps.length; k++) {
      const child = this.edges.get(node, cps[k]!);
      if (child < 0) return;
      node = child;
      const id = this.values[node]!;
      if (id >= 0) found(id, k - from + 1);
    }
  }
}

/** LogSumExp as SentencePiece computes it (float result, double inside). */
function logSumExp(x: number, y: number, init: boolean): number {
  if (init) return y;
  const vmin = Math.min(x, y);
  const vmax = Math.max(x, y);
  if (vmax > f(vmin + 50)) return vmax;
  return f(vmax + Math.log(Math.exp(f(vmin - vmax)) + 1.0));
}

export class Lattice {
  /** Node 0 is BOS, node 1 is EOS; the others are pieces. */
  readonly start: number[] = [0, 0];
  readonly length: number[] = [0, 0];
  readonly id: number[] = [-1, -1];
  readonly score: number[] = [0, 0];
  readonly beginNodes: number[][];
  readonly endNodes: number[][];

  constructor(
    readonly cps: ArrayLike<number>,
    trie: PieceTrie,
    scores: ArrayLike<number>,
    unk: { id: number; score: number },
  ) {
    const n = cps.length;
    this.start[1] = n;
    this.beginNodes = Array.from({ length: n + 1 }, () => []);
    this.endNodes = Array.from({ length: n + 1 }, () => []);
    this.endNodes[0]!.push(0);
    this.beginNodes[n]!.push(1);
    for (let pos = 0; pos < n; pos++) {
      let single = false;
      trie.prefixes(cps, pos, (id, length) => {
        this.insert(pos, length, id, scores[id]!);
        if (length === 1) single = true;
      });
      if (!single) this.insert(pos, 1, unk.id, unk.score);
    }
  }

  private insert(pos: number, length: number, id: number, score: number): void {
    const node = this.start.length;
    this.start.push(pos);
    this.length.push(length);
    this.id.push(id);
    this.score.push(score);
    this.beginNodes[pos]!.push(node);
    this.endNodes[pos + length]!.push(node);
  }

  get size(): number {
    return this.cps.length;
  }

  /** The best path (piece nodes, BOS/EOS left out) and its score; `skip` is a node to leave out. */
  viterbi(skip = -1): { nodes: number[]; score: number } | null {
    const count = this.start.length;
    const best = new Float32Array(count);
    const prev = new Int32Array(count).fill(-1);
    const reached = new Uint8Array(count);
    reached[0] = 1;
    for (let pos = 0; pos <= this.size; pos++) {
      for (const r of this.beginNodes[pos]!) {
        if (r === skip) continue;
        let bestScore = 0;
        let bestNode = -1;
        for (const l of this.endNodes[pos]!) {
          if (!reached[l]) continue;
          const s = f(best[l]! + this.score[r]!);
          if (bestNode < 0 || s > bestScore) {
            bestNode = l;
            bestScore = s;
          }
        }
        if (bestNode < 0) continue;
        prev[r] = bestNode;
        best[r] = bestScore;
        reached[r] = 1;
      }
    }
    if (!reached[1]) return null;
    const nodes: number[] = [];
    for (let node = prev[1]!; node > 1; node = prev[node]!) nodes.push(node);
    nodes.reverse();
    return { nodes, score: best[1]! };
  }

  /** Adds freq × each node's marginal probability to expected[id] (float32); returns freq × log Z. */
  populateMarginal(freq: number, expected: Float32Array): number {
    const count = this.start.length;
    const alpha = new Float32Array(count);
    const beta = new Float32Array(count);
    const n = this.size;
    for (let pos = 0; pos <= n; pos++) {
      const ends = this.endNodes[pos]!;
      for (const r of this.beginNodes[pos]!) {
        for (let k = 0; k < ends.length; k++) {
          const l = ends[k]!;
          alpha[r] = logSumExp(alpha[r]!, f(this.score[l]! + alpha[l]!), k === 0);
        }
      }
    }
    for (let pos = n; pos >= 0; pos--) {
      const begins = this.beginNodes[pos]!;
      for (const l of this.endNodes[pos]!) {
        for (let k = 0; k < begins.length; k++) {
          const r = begins[k]!;
          beta[l] = logSumExp(beta[l]!, f(this.score[r]! + beta[r]!), k === 0);
        }
      }
    }
    const z = alpha[1]!;
    const ff = f(freq);
    for (let pos = 0; pos < n; pos++) {
      for (const node of this.beginNodes[pos]!) {
        const id = this.id[node]!;
        if (id < 0) continue;
        expected[id] = f(expected[id]! + ff * Math.exp(f(f(f(alpha[node]! + this.score[node]!) + beta[node]!) - z)));
      }
    }
    return f(ff * z);
  }
}

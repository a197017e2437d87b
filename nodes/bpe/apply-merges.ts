/**
 * Applying merges to one piece's symbols: the ids of its bytes, rewritten in place until no
 * adjacent pair has a merge, the lowest rank first (every occurrence of it, left to right).
 * This is GPT-2's `bpe()` and HF's BPE model with ignore_merges=false; the encoder (encode-bpe.ts)
 * calls `applyMerges` on each piece its cache has not seen.
 *
 *   symbols 'a a a' with the merge (a, a) at rank 0  ->  'aa a' (returns 2)
 *
 * Speed: a piece of up to LONG_PIECE symbols is scanned whole for its best pair at each step
 * (short pieces are nearly all of them, and a scan of a few ids beats any bookkeeping); a longer
 * one uses a heap, so a 100 kB run of one letter is not quadratic. Both give the same result
 * (tests/unit/nodes/bpe/encode-bpe.test.ts checks both paths against gpt-tokenizer).
 *
 * Not handled here: turning text into byte ids, caching pieces (encode-bpe.ts, piece-cache.ts).
 */
import type { PairTable } from './pair-table';

/** Pieces with more bytes than this are merged with a heap instead of repeated scans. */
const LONG_PIECE = 64;

/**
 * Merges symbols[0, n) in place and returns the new length. `ranks` gives a pair's merge rank
 * (or -1), `mergedIds[rank]` the id that merge makes.
 */
export function applyMerges(symbols: Int32Array, n: number, ranks: PairTable, mergedIds: Int32Array): number {
  return n > LONG_PIECE ? mergeWithHeap(symbols, n, ranks, mergedIds) : mergeByScanning(symbols, n, ranks, mergedIds);
}

/**
 * Merges symbols[0, n) in place and returns the new length: find the lowest-ranked adjacent
 * pair, merge all its occurrences left to right, repeat. 'a a a' with merge (a,a) gives 'aa a'.
 */
function mergeByScanning(symbols: Int32Array, n: number, ranks: PairTable, mergedIds: Int32Array): number {
  while (n > 1) {
    let bestRank = 0x7fffffff;
    for (let i = 0; i + 1 < n; i++) {
      const rank = ranks.get(symbols[i]!, symbols[i + 1]!);
      if (rank >= 0 && rank < bestRank) bestRank = rank;
    }
    if (bestRank === 0x7fffffff) break;
    const merged = mergedIds[bestRank]!;
    let write = 0;
    for (let read = 0; read < n; ) {
      if (read + 1 < n && ranks.get(symbols[read]!, symbols[read + 1]!) === bestRank) {
        symbols[write++] = merged;
        read += 2;
      } else {
        symbols[write++] = symbols[read++]!;
      }
    }
    n = write;
  }
  return n;
}

/**
 * Same result as mergeByScanning in O(n log n): symbols form a linked list; a min-heap holds
 * candidate merges keyed by (rank, position) and stale candidates are skipped when popped.
 * This is HF's Word::merge_all.
 */
function mergeWithHeap(symbols: Int32Array, n: number, ranks: PairTable, mergedIds: Int32Array): number {
  const next = new Int32Array(n);
  const prev = new Int32Array(n);
  const alive = new Uint8Array(n).fill(1);
  for (let i = 0; i < n; i++) {
    next[i] = i + 1 < n ? i + 1 : -1;
    prev[i] = i - 1;
  }
  // Min-heap of candidate merges as parallel arrays of (rank, position).
  let heapRank = new Int32Array(n);
  let heapPos = new Int32Array(n);
  let size = 0;
  const less = (i: number, j: number) =>
    heapRank[i]! < heapRank[j]! || (heapRank[i] === heapRank[j] && heapPos[i]! < heapPos[j]!);
  const swap = (i: number, j: number) => {
    const r = heapRank[i]!;
    heapRank[i] = heapRank[j]!;
    heapRank[j] = r;
    const p = heapPos[i]!;
    heapPos[i] = heapPos[j]!;
    heapPos[j] = p;
  };
  const push = (rank: number, pos: number) => {
    if (size === heapRank.length) {
      const r = new Int32Array(size * 2);
      r.set(heapRank);
      heapRank = r;
      const p = new Int32Array(size * 2);
      p.set(heapPos);
      heapPos = p;
    }
    let i = size++;
    heapRank[i] = rank;
    heapPos[i] = pos;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(i, parent)) break;
      swap(i, parent);
      i = parent;
    }
  };
  const pop = () => {
    size--;
    swap(0, size);
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      if (child + 1 < size && less(child + 1, child)) child++;
      if (!less(child, i)) break;
      swap(i, child);
      i = child;
    }
  };
  for (let i = 0; i + 1 < n; i++) {
    const rank = ranks.get(symbols[i]!, symbols[i + 1]!);
    if (rank >= 0) push(rank, i);
  }
  while (size > 0) {
    const rank = heapRank[0]!;
    const pos = heapPos[0]!;
    pop();
    if (!alive[pos]) continue;
    const right = next[pos]!;
    if (right < 0 || ranks.get(symbols[pos]!, symbols[right]!) !== rank) continue; // stale
    symbols[pos] = mergedIds[rank]!;
    alive[right] = 0;
    const after = next[right]!;
    next[pos] = after;
    if (after >= 0) prev[after] = pos;
    const before = prev[pos]!;
    if (before >= 0) {
      const r = ranks.get(symbols[before]!, symbols[pos]!);
      if (r >= 0) push(r, before);
    }
    if (after >= 0) {
      const r = ranks.get(symbols[pos]!, symbols[after]!);
      if (r >= 0) push(r, pos);
    }
  }
  let write = 0;
  for (let i = 0; i >= 0; i = next[i]!) symbols[write++] = symbols[i]!;
  return write;
}

/**
 * A suffix array and the internal nodes of the suffix tree it implies, in the order esaxx (the
 * library SentencePiece seeds Unigram with) lists them. An internal node is a substring that
 * occurs at least twice and is followed by two different characters (or ends the text), so it
 * stands for every frequent substring worth a seed piece.
 *
 *   const t = Int32Array.from('banana', (c) => c.charCodeAt(0));
 *   suffixArray(t)              // [5, 3, 1, 0, 4, 2]  (a, ana, anana, banana, na, nana)
 *   suffixTreeNodes(t, sa)      // nodes 'a' (3×, at SA[0..3)), 'ana' (2×), 'na' (2×), and the root
 *
 * Written by hand because no npm package gives esaxx's node order, and SentencePiece breaks ties
 * between equally good seeds by that order. The suffix array is built by prefix doubling with
 * radix sorts, O(n log n) (esaxx uses SA-IS, O(n); both give the one suffix array there is).
 *
 * Not handled here: which nodes make good pieces (train-unigram.ts).
 */

/** Sorts the suffixes of t (values >= 0). Shorter suffix first when one is a prefix of another. */
export function suffixArray(t: Int32Array): Int32Array {
  const n = t.length;
  const sa = new Int32Array(n);
  if (n === 0) return sa;
  let rank = new Int32Array(n);
  let next = new Int32Array(n);
  const tmp = new Int32Array(n);
  // Initial ranks: the values, compressed.
  const values = Int32Array.from(new Set(t)).sort();
  const index = new Map<number, number>();
  values.forEach((v, i) => index.set(v, i));
  for (let i = 0; i < n; i++) rank[i] = index.get(t[i]!)!;
  let classes = values.length;
  let count = new Int32Array(Math.max(classes, n) + 1);
  for (let i = 0; i < n; i++) count[rank[i]!]!++;
  for (let c = 1; c < classes; c++) count[c]! += count[c - 1]!;
  for (let i = n - 1; i >= 0; i--) sa[--count[rank[i]!]!] = i;

  for (let k = 1; classes < n; k <<= 1) {
    // Order by the second key (rank of i + k; missing counts as smallest), then stable by the first.
    let p = 0;
    for (let i = n - k; i < n; i++) tmp[p++] = i;
    for (let j = 0; j < n; j++) if (sa[j]! >= k) tmp[p++] = sa[j]! - k;
    count = new Int32Array(classes + 1);
    for (let i = 0; i < n; i++) count[rank[i]!]!++;
    for (let c = 1; c < classes; c++) count[c]! += count[c - 1]!;
    for (let j = n - 1; j >= 0; j--) sa[--count[rank[tmp[j]!]!]!] = tmp[j]!;
    next[sa[0]!] = 0;
    classes = 1;
    for (let j = 1; j < n; j++) {
      const a = sa[j - 1]!;
      const b = sa[j]!;
      const ra = a + k < n ? rank[a + k]! : -1;
      const rb = b + k < n ? rank[b + k]! : -1;
      if (rank[a] !== rank[b] || ra !== rb) classes++;
      next[b] = classes - 1;
    }
    [rank, next] = [next, rank];
  }
  return sa;
}

export interface SuffixTreeNodes {
  /** Node i covers suffixes sa[left[i]] … sa[right[i] - 1]: its substring occurs right - left times. */
  left: Int32Array;
  right: Int32Array;
  /** The substring's length. */
  depth: Int32Array;
  count: number;
}

/** esaxx's suffixtree(): internal nodes from the LCP array with a stack, in esaxx's order. */
export function suffixTreeNodes(t: Int32Array, sa: Int32Array): SuffixTreeNodes {
  const n = t.length;
  const left = new Int32Array(Math.max(1, n));
  const right = new Int32Array(Math.max(1, n));
  const depth = new Int32Array(Math.max(1, n));
  if (n === 0) return { left, right, depth, count: 0 };
  // Kasai: PLCP[i] = longest common prefix of suffix i and the suffix before it in sa.
  const before = new Int32Array(n);
  before[sa[0]!] = sa[n - 1]!;
  for (let i = 1; i < n; i++) before[sa[i]!] = sa[i - 1]!;
  const plcp = new Int32Array(n);
  let h = 0;
  for (let i = 0; i < n; i++) {
    const j = before[i]!;
    while (i + h < n && j + h < n && t[i + h] === t[j + h]) h++;
    plcp[i] = h;
    if (h > 0) h--;
  }
  const lcp = new Int32Array(n);
  for (let i = 0; i < n; i++) lcp[i] = plcp[sa[i]!]!;
  lcp[0] = -1;

  const stackPos: number[] = [-1];
  const stackDepth: number[] = [-1];
  let count = 0;
  for (let i = 0; ; i++) {
    let curPos = i;
    const curDepth = i === n ? -1 : lcp[i]!;
    while (stackDepth[stackDepth.length - 1]! > curDepth) {
      const candPos = stackPos[stackPos.length - 1]!;
      if (i - candPos > 1) {
        left[count] = candPos;
        right[count] = i;
        depth[count] = stackDepth[stackDepth.length - 1]!;
        count++;
      }
      curPos = candPos;
      stackPos.pop();
      stackDepth.pop();
    }
    if (stackDepth[stackDepth.length - 1]! < curDepth) {
      stackPos.push(curPos);
      stackDepth.push(curDepth);
    }
    if (i === n) break;
    stackPos.push(i);
    stackDepth.push(n - sa[i]! + 1);
  }
  return { left, right, depth, count };
}

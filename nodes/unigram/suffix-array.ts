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
 * between equally good seeds by that order; nor is there a maintained npm SA-IS. The suffix array
 * is built by SA-IS (Nong, Zhang & Chan 2009), O(n) on Int32Arrays, as esaxx's sais does: there is
 * only one suffix array, so any correct construction gives esaxx's.
 *
 * Not handled here: which nodes make good pieces (train-unigram.ts).
 */

/** Sorts the suffixes of t (values >= 0). Shorter suffix first when one is a prefix of another. */
export function suffixArray(t: Int32Array): Int32Array {
  const n = t.length;
  if (n === 0) return new Int32Array(0);
  // Values compressed to 1…K-1 in order, and a unique smallest sentinel 0 appended: the classic
  // SA-IS input, whose first entry (the sentinel's suffix) is dropped at the end.
  let max = 0;
  for (let i = 0; i < n; i++) if (t[i]! > max) max = t[i]!;
  const rank = new Int32Array(max + 1);
  for (let i = 0; i < n; i++) rank[t[i]!] = 1;
  let K = 1;
  for (let v = 0; v <= max; v++) if (rank[v]) rank[v] = K++;
  const s = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) s[i] = rank[t[i]!]!;
  const sa = new Int32Array(n + 1);
  sais(s, sa, n + 1, K);
  return sa.subarray(1);
}

// SA-IS in small functions of one loop each: V8 optimises each on its own while it runs,
// where one long function would be recompiled at every loop it had not reached yet.

/** sType[i] = 1 where suffix i is S-type (smaller than suffix i + 1). */
function classify(s: Int32Array, n: number, sType: Uint8Array): void {
  sType[n - 1] = 1;
  for (let i = n - 2; i >= 0; i--) sType[i] = s[i]! < s[i + 1]! || (s[i] === s[i + 1] && sType[i + 1] === 1) ? 1 : 0;
}

const isLms = (sType: Uint8Array, i: number) => i > 0 && sType[i] === 1 && sType[i - 1] === 0;

function count(s: Int32Array, n: number, counts: Int32Array): void {
  for (let i = 0; i < n; i++) counts[s[i]!]!++;
}

/** Bucket starts (end = false) or ends (end = true) of each value, from the counts. */
function buckets(counts: Int32Array, K: number, end: boolean, bkt: Int32Array): void {
  let sum = 0;
  for (let c = 0; c < K; c++) {
    sum += counts[c]!;
    bkt[c] = end ? sum : sum - counts[c]!;
  }
}

function placeLms(s: Int32Array, sa: Int32Array, n: number, sType: Uint8Array, bkt: Int32Array): void {
  for (let i = 1; i < n; i++) if (isLms(sType, i)) sa[--bkt[s[i]!]!] = i;
}

function induceL(s: Int32Array, sa: Int32Array, n: number, sType: Uint8Array, bkt: Int32Array): void {
  for (let i = 0; i < n; i++) {
    const j = sa[i]! - 1;
    if (j >= 0 && sType[j] === 0) sa[bkt[s[j]!]!++] = j;
  }
}

function induceS(s: Int32Array, sa: Int32Array, n: number, sType: Uint8Array, bkt: Int32Array): void {
  for (let i = n - 1; i >= 0; i--) {
    const j = sa[i]! - 1;
    if (j >= 0 && sType[j] === 1) sa[--bkt[s[j]!]!] = j;
  }
}

/** Induces the L-type suffixes from the S-type ones placed, then the S-type from the L-type. */
function induce(s: Int32Array, sa: Int32Array, n: number, K: number, sType: Uint8Array, counts: Int32Array, bkt: Int32Array): void {
  buckets(counts, K, false, bkt);
  induceL(s, sa, n, sType, bkt);
  buckets(counts, K, true, bkt);
  induceS(s, sa, n, sType, bkt);
}

/** Moves the sorted LMS positions to sa[0 .. n1); returns n1. */
function compactLms(sa: Int32Array, n: number, sType: Uint8Array): number {
  let n1 = 0;
  for (let i = 0; i < n; i++) if (isLms(sType, sa[i]!)) sa[n1++] = sa[i]!;
  return n1;
}

/** Names the sorted LMS substrings (equal ones share a name) into sa[n1 + pos / 2]; returns the count of names. */
function nameLms(s: Int32Array, sa: Int32Array, n1: number, sType: Uint8Array): number {
  let name = 0;
  let prev = -1;
  for (let i = 0; i < n1; i++) {
    const pos = sa[i]!;
    let diff = prev < 0;
    for (let d = 0; !diff; d++) {
      if (s[pos + d] !== s[prev + d] || sType[pos + d] !== sType[prev + d]) diff = true;
      else if (d > 0 && (isLms(sType, pos + d) || isLms(sType, prev + d))) break;
    }
    if (diff) {
      name++;
      prev = pos;
    }
    sa[n1 + (pos >> 1)] = name - 1;
  }
  return name;
}

/** The names, in text order, to sa's tail. */
function gatherNames(sa: Int32Array, n: number, n1: number): void {
  for (let i = n - 1, j = n - 1; i >= n1; i--) if (sa[i]! >= 0) sa[j--] = sa[i]!;
}

/** sa1 (ranks of the reduced string's suffixes) to LMS positions, with s1 as scratch. */
function lmsFromRanks(sa1: Int32Array, s1: Int32Array, n: number, n1: number, sType: Uint8Array): void {
  for (let i = 1, j = 0; i < n; i++) if (isLms(sType, i)) s1[j++] = i;
  for (let i = 0; i < n1; i++) sa1[i] = s1[sa1[i]!]!;
}

function placeSortedLms(s: Int32Array, sa: Int32Array, n1: number, bkt: Int32Array): void {
  for (let i = n1 - 1; i >= 0; i--) {
    const j = sa[i]!;
    sa[i] = -1;
    sa[--bkt[s[j]!]!] = j;
  }
}

function ranksOfUnique(sa1: Int32Array, s1: Int32Array, n1: number): void {
  for (let i = 0; i < n1; i++) sa1[s1[i]!] = i;
}

/** SA-IS on s[0..n), values in 0…K-1, s[n - 1] = 0 the unique smallest; writes sa[0..n). */
function sais(s: Int32Array, sa: Int32Array, n: number, K: number): void {
  const sType = new Uint8Array(n);
  classify(s, n, sType);
  const counts = new Int32Array(K);
  count(s, n, counts);
  const bkt = new Int32Array(K);

  // 1. Sort the LMS substrings: LMS positions at their bucket ends, then induce.
  buckets(counts, K, true, bkt);
  sa.fill(-1, 0, n);
  placeLms(s, sa, n, sType, bkt);
  induce(s, sa, n, K, sType, counts, bkt);

  // 2. Name them; the reduced string goes to sa's tail.
  const n1 = compactLms(sa, n, sType);
  sa.fill(-1, n1, n);
  const names = nameLms(s, sa, n1, sType);
  gatherNames(sa, n, n1);

  // 3. Sort the reduced string (recursively while names repeat), then map back to positions.
  const s1 = sa.subarray(n - n1, n);
  const sa1 = sa.subarray(0, n1);
  if (names < n1) sais(s1, sa1, n1, names);
  else ranksOfUnique(sa1, s1, n1);
  lmsFromRanks(sa1, s1, n, n1, sType);

  // 4. The sorted LMS suffixes at their bucket ends, then induce the whole array.
  sa.fill(-1, n1, n);
  buckets(counts, K, true, bkt);
  placeSortedLms(s, sa, n1, bkt);
  induce(s, sa, n, K, sType, counts, bkt);
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

/**
 * Unigram's seed vocabulary, as SentencePiece makes it: every required character, then the
 * frequent substrings (internal nodes of the suffix tree of all sentences that are valid pieces),
 * best by occurrences × length, up to seedSize, ties to the earlier node in esaxx's order.
 *
 *   corpus '▁the▁cat' + '▁the▁hat' (two sentences): words ▁the ×2 (followed by ▁), ▁cat ▁hat
 *   (ending a sentence); nodes 'at' (2 × 2 = 4), '▁the' (2 × 4 = 8), … → seeds by score: the
 *   characters, then ▁the, …
 *
 * Why unique words and not the whole corpus: a valid piece never crosses a word (it holds no NUL
 * separator and '▁' only first), so the nodes that matter are found in a shorter text, each
 * unique word once, weighted by how often it occurs, written with what follows it in the corpus
 * ('▁' when another word follows, the sentence end otherwise). A substring is a node when its
 * occurrences are followed by two different characters; that set of followers, and the weighted
 * number of occurrences, are the same in both texts. esaxx's node order among them is the same
 * too, since it depends only on the strings: a node comes after its extensions, otherwise in
 * code point order. On 5 MB of English that text is about a tenth of the corpus.
 *
 * Not handled here: which characters are required (train-unigram.ts), EM.
 */
import type { ModelPiece } from './em-steps';
import { SPACE_CODE, compareCodePoints, isValidPiece, type PieceRules } from './spm-text';
import { suffixArray, suffixTreeNodes } from './suffix-array';

const f = Math.fround;

/** A word of the corpus: how often it occurs, and how often of those it ends a sentence. */
export interface CorpusWord {
  cps: Int32Array;
  count: number;
  ends: number;
}

/** Seeds in spm's order: [piece, log(score / Σ scores) in float32, index]. */
export function seedPieces(words: readonly CorpusWord[], required: ReadonlyMap<number, number>, rules: PieceRules, seedSize: number): ModelPiece[] {
  // The unique-word text: each word once per follower kind, then a NUL; weights per position.
  let total = 0;
  for (const w of words) total += (w.count > w.ends ? w.cps.length + 2 : 0) + (w.ends > 0 ? w.cps.length + 1 : 0);
  const text = new Int32Array(total);
  const weight = new Float64Array(total);
  let at = 0;
  const write = (cps: Int32Array, followed: boolean, times: number) => {
    const from = at;
    text.set(cps, at);
    at += cps.length;
    if (followed) text[at++] = SPACE_CODE;
    text[at++] = 0;
    weight.fill(times, from, at);
  };
  for (const w of words) {
    if (w.count > w.ends) write(w.cps, true, w.count - w.ends);
    if (w.ends > 0) write(w.cps, false, w.ends);
  }

  const sa = suffixArray(text);
  const tree = suffixTreeNodes(text, sa);
  // occurrences[i] = Σ weights of the suffixes sa[0 .. i).
  const occurrences = new Float64Array(total + 1);
  for (let i = 0; i < total; i++) occurrences[i + 1] = occurrences[i]! + weight[sa[i]!]!;
  const substrings: [number, number][] = [];
  for (let i = 0; i < tree.count; i++) {
    const length = tree.depth[i]!;
    if (length <= 1 || length > rules.maxPieceLength) continue;
    const offset = sa[tree.left[i]!]!;
    if (!isValidPiece(text, rules, offset, offset + length)) continue;
    substrings.push([i, (occurrences[tree.right[i]!]! - occurrences[tree.left[i]!]!) * length]);
  }
  substrings.sort((a, b) => b[1] - a[1] || a[0] - b[0]);

  const seeds: ModelPiece[] = [...required]
    .map(([cp, count]): ModelPiece => [String.fromCodePoint(cp), f(count), 0])
    .sort((a, b) => (a[1] !== b[1] ? b[1] - a[1] : compareCodePoints(a[0], b[0])));
  for (const [i, score] of substrings) {
    if (seeds.length === seedSize) break;
    const offset = sa[tree.left[i]!]!;
    seeds.push([stringOf(text, offset, offset + tree.depth[i]!), f(score), 0]);
  }
  seeds.forEach((s, i) => (s[2] = i));
  let sum = 0;
  for (const s of seeds) sum = f(sum + s[1]);
  const logSum = f(Math.log(sum));
  for (const s of seeds) s[1] = f(Math.log(s[1]) - logSum);
  return seeds;
}

function stringOf(cps: Int32Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) s += String.fromCodePoint(cps[i]!);
  return s;
}

/**
 * Unigram training, SentencePiece's algorithm step for step as spm_train 0.1.97 runs it with
 * --model_type=unigram --num_threads=1 --normalization_rule_name=identity: start big, then prune.
 *
 *   const uni = await trainUnigram(corpus, { vocabSize: 1000 });
 *   uni.rounds.map(r => r.size)   // e.g. [23504, 9811, 7610, 5707, 5580, …, 1100] (seed, EM, prune, …)
 *   uni.pieces.slice(0, 4)        // <unk>, <s>, </s>, then '▁the' (the highest score) …
 *
 * 1. Sentences are the corpus's lines, normalised (spm-text.ts). Characters are counted; the most
 *    frequent ones covering `characterCoverage` of the text are required, the rest become U+2585.
 * 2. Seeds: every character, then the frequent substrings: internal nodes of the suffix tree of
 *    all sentences (suffix-array.ts) that are valid pieces, best by occurrences × length, up to
 *    seedSize. Scores start as log(share of that coverage).
 * 3. Sentences are cut into words at '▁' and counted. EM: the E-step runs forward-backward on each
 *    word's lattice (lattice.ts) for each piece's expected count; the M-step drops pieces expected
 *    less than 0.5 times and sets score = digamma(count) - digamma(total), the Bayesian (DP) EM
 *    that favours sparse vocabularies.
 * 4. After every two EM steps, prune: a piece whose best segmentation is itself and whose second
 *    best is other pieces loses F × (log p(piece) - Σ log p(alternatives)) of likelihood if removed;
 *    keep the pieces with the highest loss, shrinking by `shrinkingFactor`, until 1.1 × vocabSize.
 * 5. Final: the required characters (a missing one gets the lowest score + 0.0001 steps), then the
 *    best-scoring pieces up to vocabSize, sorted by score; ids 0–2 are <unk> <s> </s>.
 *
 * SentencePiece's corners kept: float32 arithmetic where it uses float; unknown nodes count as id 0
 * in the E-step and in pruning; the pruning loss uses the vocabulary size where the number of
 * alternatives was meant; empty sentences are removed by swapping in the last one; ties in sorted
 * lists go to the smaller string (code point order) or the earlier suffix-tree node.
 *
 * Not handled here: NFKC normalisation (run Clean first), sampling (input_sentence_size), user
 * defined symbols, split_digits, treat_whitespace_as_suffix. Where the second-best path ties,
 * SentencePiece's A* search may pick a different one than this Viterbi without the piece.
 */
import type { LongRunHooks } from '../bpe/types';
import { WordLattices } from './em';
import { Pieces, mStep, prune, type ModelPiece, type Scored } from './em-steps';
import { UNK_CODE, compareCodePoints, isValidPiece, spmNormalize, spmWords, type PieceRules } from './spm-text';
import { suffixArray, suffixTreeNodes } from './suffix-array';
import type { TrainUnigramParams, TrainedUnigram, UnigramPiece, UnigramRound } from './types';

const f = Math.fround;
export const MIN_UNIGRAM_VOCAB = 8;
export const MAX_UNIGRAM_VOCAB = 200_000;
const META = ['<unk>', '<s>', '</s>'];
const WORDS_PER_CHECKPOINT = 2000;


/** Sorted(): higher value first, then the smaller key. */
const byScoreThenString = (a: Scored | ModelPiece, b: Scored | ModelPiece) => (a[1] !== b[1] ? b[1] - a[1] : compareCodePoints(a[0], b[0]));

const utf8Length = (s: string) => {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c < 0xdc00 ? 4 : c >= 0xdc00 && c < 0xe000 ? 0 : 3;
  }
  return n;
};

const codePoints = (s: string) => Int32Array.from(s, (c) => c.codePointAt(0)!);

function fromCodePoints(cps: ArrayLike<number>, from = 0, to = cps.length): string {
  let s = '';
  for (let i = from; i < to; i++) s += String.fromCodePoint(cps[i]!);
  return s;
}

export async function trainUnigram(corpus: string, params: TrainUnigramParams, hooks: LongRunHooks = {}): Promise<TrainedUnigram> {
  const { vocabSize } = params;
  if (!Number.isInteger(vocabSize) || vocabSize < MIN_UNIGRAM_VOCAB || vocabSize > MAX_UNIGRAM_VOCAB) {
    throw new RangeError(`vocabSize must be an integer from ${MIN_UNIGRAM_VOCAB} to ${MAX_UNIGRAM_VOCAB}, got ${vocabSize}`);
  }
  const rules: PieceRules = { maxPieceLength: params.maxPieceLength ?? 16, splitByUnicodeScript: params.splitByUnicodeScript ?? true };
  const coverage = f(params.characterCoverage ?? 0.9995);
  const seedSize = params.seedSize ?? 1_000_000;
  const shrinkingFactor = f(params.shrinkingFactor ?? 0.75);
  const subIterations = params.subIterations ?? 2;
  const maxSentenceLength = params.maxSentenceLength ?? 4192;
  const addDummyPrefix = params.addDummyPrefix ?? true;
  const byteFallback = params.byteFallback ?? false;
  const metaCount = META.length + (byteFallback ? 256 : 0);

  // 1. Sentences (one per line), normalised; empty ones swapped out as spm does.
  const sentences: string[] = [];
  for (const line of corpus.toWellFormed().split('\n')) {
    if (line === '' || utf8Length(line) > maxSentenceLength || line.includes('\u2585')) continue;
    sentences.push(spmNormalize(line, addDummyPrefix).replace(/<unk>|<s>|<\/s>/g, '\t'));
  }
  for (let i = 0; i < sentences.length; i++) {
    if (sentences[i] === '') {
      sentences[i] = sentences[sentences.length - 1]!;
      sentences.length--;
    }
  }
  if (sentences.length === 0) throw new Error('The corpus has no text to train on.');

  const charCount = new Map<number, number>();
  let allChars = 0;
  for (const s of sentences) {
    for (const c of s) {
      const cp = c.codePointAt(0)!;
      if (cp === 0) continue;
      charCount.set(cp, (charCount.get(cp) ?? 0) + 1);
      allChars++;
    }
  }
  const required = new Map<number, number>();
  let accumulated = 0;
  for (const [cp, count] of [...charCount].sort((a, b) => b[1] - a[1] || a[0] - b[0])) {
    if (f(accumulated / allChars) >= coverage) break;
    accumulated += count;
    if (cp === 9) continue;
    required.set(cp, count);
  }
  if (required.size + metaCount > vocabSize) {
    throw new Error(`The vocabulary must hold at least the ${required.size} characters the corpus needs (and ${metaCount} special pieces): raise the vocabulary size to ${required.size + metaCount} or lower the character coverage.`);
  }
  const cpsOf = sentences.map((s) => {
    const cps = codePoints(s);
    for (let i = 0; i < cps.length; i++) if (!required.has(cps[i]!)) cps[i] = UNK_CODE;
    return cps;
  });
  await hooks.checkpoint?.();

  // 2. Seed pieces.
  let total = 0;
  for (const cps of cpsOf) total += cps.length + 1;
  const text = new Int32Array(total);
  const seedChars = new Map<number, number>();
  let at = 0;
  for (const cps of cpsOf) {
    for (const c of cps) {
      text[at++] = c;
      if (c !== UNK_CODE) seedChars.set(c, (seedChars.get(c) ?? 0) + 1);
    }
    text[at++] = 0;
  }
  const sa = suffixArray(text);
  const tree = suffixTreeNodes(text, sa);
  const substrings: [number, number][] = [];
  for (let i = 0; i < tree.count; i++) {
    const length = tree.depth[i]!;
    if (length <= 1 || length > rules.maxPieceLength) continue;
    const offset = sa[tree.left[i]!]!;
    if (text.subarray(offset, offset + length).includes(0)) continue;
    if (!isValidPiece(text, rules, offset, offset + length)) continue;
    substrings.push([i, (tree.right[i]! - tree.left[i]!) * length]);
  }
  substrings.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const seeds: ModelPiece[] = [...seedChars]
    .map(([cp, count]): ModelPiece => [String.fromCodePoint(cp), f(count), 0])
    .sort(byScoreThenString);
  for (const [i, score] of substrings) {
    if (seeds.length === seedSize) break;
    const offset = sa[tree.left[i]!]!;
    seeds.push([fromCodePoints(text, offset, offset + tree.depth[i]!), f(score), 0]);
  }
  seeds.forEach((s, i) => (s[2] = i));
  let sum = 0;
  for (const s of seeds) sum = f(sum + s[1]);
  const logSum = f(Math.log(sum));
  for (const s of seeds) s[1] = f(Math.log(s[1]) - logSum);
  const seedCount = seeds.length;
  let model = new Pieces(seeds, seedCount);
  const rounds: UnigramRound[] = [{ step: 'seed', size: seeds.length, objective: null }];

  // 3. Words, counted, most frequent first.
  const wordCounts = new Map<string, number>();
  for (const cps of cpsOf) {
    for (const word of spmWords(fromCodePoints(cps))) wordCounts.set(word, (wordCounts.get(word) ?? 0) + 1);
  }
  const words: Scored[] = [...wordCounts].sort(byScoreThenString);
  const wordCps = words.map(([w]) => codePoints(w));
  let allFreq = 0;
  for (const [, c] of words) allFreq += c;
  wordCounts.clear();
  const counts = Float64Array.from(words, (w) => w[1]);
  const lattices = new WordLattices(wordCps, model.trie, rules.maxPieceLength);

  const desired = Math.trunc(vocabSize * 1.1);
  const expectedRounds = Math.max(1, Math.ceil(Math.log(seeds.length / desired) / Math.log(1 / shrinkingFactor)) + 1);
  let round = 0;
  for (;;) {
    for (let iter = 0; iter < subIterations; iter++) {
      const expected = new Float32Array(model.list.length);
      let objective = 0;
      for (let from = 0; from < words.length; from += WORDS_PER_CHECKPOINT) {
        const to = Math.min(words.length, from + WORDS_PER_CHECKPOINT);
        objective = lattices.eStep({ from, to, objective }, model.current, model.scores, model.unkScore, counts, expected, allFreq);
        await hooks.checkpoint?.();
      }
      model = new Pieces(mStep(model.list, expected), seedCount);
      rounds.push({ step: 'em', size: model.list.length, objective });
    }
    hooks.progress?.(Math.min(0.95, ++round / expectedRounds));
    await hooks.checkpoint?.();
    if (model.list.length <= desired) break;
    model = new Pieces(await prune(model, words, lattices, desired, shrinkingFactor, hooks), seedCount);
    rounds.push({ step: 'prune', size: model.list.length, objective: null });
  }

  // 5. Final pieces.
  const finalPieces = new Map<string, number>();
  const scoreOf = new Map(model.list.map(([piece, score]) => [piece, score]));
  let penalty = 0;
  for (const [cp] of [...required].sort((a, b) => b[1] - a[1] || a[0] - b[0])) {
    const s = String.fromCodePoint(cp);
    const known = scoreOf.get(s);
    if (known !== undefined) finalPieces.set(s, known);
    else {
      finalPieces.set(s, f(model.minScore + penalty));
      penalty = f(penalty + f(0.0001));
    }
  }
  for (const [piece, score] of [...model.list].sort(byScoreThenString)) {
    if (finalPieces.has(piece)) continue;
    if (finalPieces.size === vocabSize - metaCount) break;
    finalPieces.set(piece, score);
  }
  const pieces: UnigramPiece[] = [
    { piece: '<unk>', score: 0, kind: 'unknown' },
    { piece: '<s>', score: 0, kind: 'control' },
    { piece: '</s>', score: 0, kind: 'control' },
  ];
  if (byteFallback) {
    for (let b = 0; b < 256; b++) pieces.push({ piece: `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`, score: 0, kind: 'byte' });
  }
  for (const [piece, score] of [...finalPieces].sort(byScoreThenString)) pieces.push({ piece, score, kind: 'normal' });
  // As spm_train (hard_vocab_limit): a vocabulary the corpus cannot fill is refused, not shrunk.
  if (pieces.length < vocabSize) {
    throw new Error(`This corpus gives at most ${pieces.length.toLocaleString('en')} pieces: set the vocabulary size to ${pieces.length} or less, or train on more text.`);
  }
  hooks.progress?.(1);
  return {
    pieces, unkId: 0, bosId: 1, eosId: 2, byteFallback, addDummyPrefix,
    rounds, requiredChars: required.size, uniqueWords: words.length, sentences: sentences.length,
  };
}

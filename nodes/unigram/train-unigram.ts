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
 * 2. Sentences are cut into words at '▁' and counted (with how often each ends a sentence).
 * 3. Seeds: every character, then the frequent substrings: internal nodes of the suffix tree of
 *    all sentences (seed-pieces.ts, found over the unique words) that are valid pieces, best by
 *    occurrences × length, up to seedSize. Scores start as log(share of that coverage).
 * 4. EM: the E-step runs forward-backward on each word's lattice (em.ts) for each piece's expected
 *    count; the M-step drops pieces expected less than 0.5 times and sets score =
 *    digamma(count) - digamma(total), the Bayesian (DP) EM that favours sparse vocabularies.
 * 5. After every two EM steps, prune: a piece whose best segmentation is itself and whose second
 *    best is other pieces loses F × (log p(piece) - Σ log p(alternatives)) of likelihood if removed;
 *    keep the pieces with the highest loss, shrinking by `shrinkingFactor`, until 1.1 × vocabSize.
 * 6. Final: the required characters (a missing one gets the lowest score + 0.0001 steps), then the
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
import { PieceTrie } from './lattice';
import { seedPieces, type CorpusWord } from './seed-pieces';
import { SpmWordCounter, UNK_CHAR, compareCodePoints, type PieceRules } from './spm-text';
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

/** The code points of s (a loop: Int32Array.from(s, …) makes a string per character). */
function codePoints(s: string): Int32Array {
  let n = 0;
  for (let i = 0; i < s.length; n++) i += s.codePointAt(i)! > 0xffff ? 2 : 1;
  const cps = new Int32Array(n);
  for (let i = 0, k = 0; k < n; k++) {
    const cp = s.codePointAt(i)!;
    cps[k] = cp;
    i += cp > 0xffff ? 2 : 1;
  }
  return cps;
}

/** The sentence with every character outside the required ones replaced by U+2585. */
function coveredOnly(s: string, isRequired: Uint8Array): string {
  for (let i = 0; i < s.length; i++) {
    const cp = s.codePointAt(i)!;
    if (!isRequired[cp]) return Array.from(s, (c) => (isRequired[c.codePointAt(0)!] ? c : UNK_CHAR)).join('');
    if (cp > 0xffff) i++;
  }
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

  // 1. Sentences (one per line), normalised and cut into words at '▁', each word counted with how
  // often it ends a sentence. Empty sentences are swapped out as spm does (which can keep one).
  const counter = new SpmWordCounter(addDummyPrefix);
  const empty: boolean[] = [];
  for (const line of (corpus.isWellFormed() ? corpus : corpus.toWellFormed()).split('\n')) {
    if (line === '' || (line.length * 3 > maxSentenceLength && utf8Length(line) > maxSentenceLength) || line.includes(UNK_CHAR)) continue;
    empty.push(!counter.add(line));
  }
  let sentenceCount = empty.length;
  for (let i = 0; i < sentenceCount; i++) {
    if (empty[i]) empty[i] = empty[--sentenceCount]!;
  }
  if (sentenceCount === 0) throw new Error('The corpus has no text to train on.');
  const rawWords = counter.words;

  // Characters counted (every one is in exactly one word) in a table by code point.
  const charCount = new Uint32Array(0x110000);
  const seen: number[] = [];
  let allChars = 0;
  let allFreq = 0;
  for (const { word, count } of rawWords) {
    allFreq += count;
    for (let i = 0; i < word.length; i++) {
      const cp = word.codePointAt(i)!;
      if (cp > 0xffff) i++;
      if (cp === 0) continue;
      if (charCount[cp] === 0) seen.push(cp);
      charCount[cp]! += count;
      allChars += count;
    }
  }
  const required = new Map<number, number>();
  const isRequired = new Uint8Array(0x110000);
  let accumulated = 0;
  for (const cp of seen.sort((a, b) => charCount[b]! - charCount[a]! || a - b)) {
    const count = charCount[cp]!;
    if (f(accumulated / allChars) >= coverage) break;
    accumulated += count;
    if (cp === 9) continue;
    required.set(cp, count);
    isRequired[cp] = 1;
  }
  if (required.size + metaCount > vocabSize) {
    throw new Error(`The vocabulary must hold at least the ${required.size} characters the corpus needs (and ${metaCount} special pieces): raise the vocabulary size to ${required.size + metaCount} or lower the character coverage.`);
  }
  await hooks.checkpoint?.();

  // 2. The words with rarer characters as U+2585 (words that become the same are merged).
  const wordIndex = new Map<string, number>();
  const corpusWords: CorpusWord[] = [];
  for (const raw of rawWords) {
    const word = coveredOnly(raw.word, isRequired);
    let w = wordIndex.get(word);
    if (w === undefined) {
      w = corpusWords.length;
      wordIndex.set(word, w);
      corpusWords.push({ cps: codePoints(word), count: 0, ends: 0 });
    }
    corpusWords[w]!.count += raw.count;
    corpusWords[w]!.ends += raw.ends;
  }
  rawWords.length = 0;
  await hooks.checkpoint?.();

  // 3. Seed pieces: the characters, then the frequent substrings of the words (seed-pieces.ts).
  const seeds = seedPieces(corpusWords, required, rules, seedSize);
  const seedCount = seeds.length;
  let model = new Pieces(seeds, seedCount);
  const seedTrie = new PieceTrie(seeds.map((p) => p[0]));
  const rounds: UnigramRound[] = [{ step: 'seed', size: seeds.length, objective: null }];
  await hooks.checkpoint?.();

  // 4. EM over the words, most frequent first, each with its lattice of seed pieces (em.ts).
  const order = [...wordIndex].sort((a, b) => (corpusWords[b[1]]!.count - corpusWords[a[1]]!.count) || compareCodePoints(a[0], b[0]));
  wordIndex.clear();
  const counts = Float64Array.from(order, ([, w]) => corpusWords[w]!.count);
  const lattices = new WordLattices(order.map(([, w]) => corpusWords[w]!.cps), seedTrie, model.current);
  order.length = 0;
  corpusWords.length = 0;
  // The lattice of each seed piece by itself, for pruning (made when first needed).
  let pieceLattices: WordLattices | null = null;

  const desired = Math.trunc(vocabSize * 1.1);
  const expectedRounds = Math.max(1, Math.ceil(Math.log(seeds.length / desired) / Math.log(1 / shrinkingFactor)) + 1);
  let round = 0;
  for (;;) {
    for (let iter = 0; iter < subIterations; iter++) {
      const expected = new Float32Array(model.list.length);
      let objective = 0;
      for (let from = 0; from < counts.length; from += WORDS_PER_CHECKPOINT) {
        const to = Math.min(counts.length, from + WORDS_PER_CHECKPOINT);
        objective = lattices.eStep({ from, to, objective }, model.scores, model.unkScore, counts, expected, allFreq);
        await hooks.checkpoint?.();
      }
      model = new Pieces(mStep(model.list, expected), seedCount);
      lattices.keep(model.current);
      rounds.push({ step: 'em', size: model.list.length, objective });
    }
    hooks.progress?.(Math.min(0.95, ++round / expectedRounds));
    await hooks.checkpoint?.();
    if (model.list.length <= desired) break;
    pieceLattices ??= new WordLattices(seeds.map((p) => codePoints(p[0])), seedTrie, model.current);
    pieceLattices.keep(model.current);
    model = new Pieces(await prune(model, counts, lattices, pieceLattices, desired, shrinkingFactor, hooks), seedCount);
    lattices.keep(model.current);
    rounds.push({ step: 'prune', size: model.list.length, objective: null });
  }

  // 6. Final pieces.
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
    rounds, requiredChars: required.size, uniqueWords: counts.length, sentences: sentenceCount,
  };
}

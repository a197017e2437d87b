/**
 * WordPiece training, merge for merge the same as Hugging Face `tokenizers`' WordPieceTrainer:
 * BPE training on characters where every character after a word's first carries the
 * continuing-subword prefix, then the vocabulary is kept and the merges dropped.
 *
 *   // hug ×10, pug ×5, pun ×12, bun ×4, hugs ×5 (Hugging Face course's corpus)
 *   const wp = await trainWordPiece(corpus, { vocabSize: 18, text: null, specialTokens: ['[UNK]'] });
 *   wp.tokens.slice(0, 12)   // ['[UNK]', 'b','g','h','n','p','s','u', '##u','##g','##n','##s']
 *   wp.merges.map(m => `${m.merged}:${m.count}`)   // ['##ug:20','##un:16','hug:15','pun:12','pug:5','hugs:5']
 *
 * Note the score is the pair's count, as in HF's trainer, not the likelihood ratio
 * count(ab) / (count(a) × count(b)) of Google's original WordPiece papers.
 *
 * How: words come from BERT's normaliser and pre-tokenizer (bert-text.ts), counted once each.
 * The vocabulary starts with the special tokens, the alphabet sorted by code point, then the
 * prefixed characters ('##u') in the order the words show them. The merge loop is the BPE
 * trainer's (bpe/merge-state.ts: same queue, same tie-break: equal counts go to the smaller
 * (left id, right id)); a merged token is left + right without the right's prefix, so
 * 'h' + '##ug' is 'hug' and '##u' + '##g' is '##ug'.
 *
 * HF numbers the prefixed characters in the iteration order of a randomly seeded hash map, so two
 * HF runs on one corpus give different ids, and where counts tie even slightly different
 * vocabularies. `startOrder` takes the order of one HF run and then reproduces it id for id.
 *
 * Not handled here: HF's limit_alphabet, initial_alphabet, end_of_word_suffix, max_token_length.
 */
import { WordCounter, type WordTable } from '../bpe/count-words';
import { MergeState, type SpelledWords } from '../bpe/merge-state';
import type { LongRunHooks } from '../bpe/types';
import { BERT_TEXT_DEFAULTS, type BertTextOptions } from './bert-text';
import { countBertWordsWith } from './count-bert-words';
import type { TrainWordPieceParams, TrainedWordPiece, WordPieceMerge } from './types';

export const MIN_WORDPIECE_VOCAB = 1;
export const MAX_WORDPIECE_VOCAB = 200_000;

const CHUNK_CHARS = 1 << 16;
const MERGES_PER_CHECKPOINT = 2048;
const COUNTING_SHARE = 0.3;

/** Counts BERT words, normalising the corpus a few lines at a time: each unique word once, with its count. */
export async function countBertWords(corpus: string, text: BertTextOptions | null, hooks: LongRunHooks = {}): Promise<WordTable> {
  const counter = new WordCounter();
  const n = corpus.length;
  for (let start = 0; start < n; ) {
    const cut = corpus.indexOf('\n', Math.min(n, start + CHUNK_CHARS));
    const end = cut < 0 ? n : cut + 1;
    countBertWordsWith(counter, corpus.slice(start, end), text);
    start = end;
    hooks.progress?.((COUNTING_SHARE * start) / n);
    await hooks.checkpoint?.();
  }
  return counter.finish();
}

/** The code point at units[i] (a pair of surrogates read as one, a lone one as itself) and the units it takes. */
function codePointAt(units: Uint16Array, i: number, end: number): number {
  const hi = units[i]!;
  if (hi >= 0xd800 && hi <= 0xdbff && i + 1 < end) {
    const lo = units[i + 1]!;
    if (lo >= 0xdc00 && lo <= 0xdfff) return ((hi - 0xd800) << 10) + (lo - 0xdc00) + 0x10000;
  }
  return hi;
}


export async function trainWordPiece(
  corpus: string,
  params: TrainWordPieceParams,
  hooks: LongRunHooks = {},
): Promise<TrainedWordPiece> {
  const { vocabSize } = params;
  if (!Number.isInteger(vocabSize) || vocabSize < MIN_WORDPIECE_VOCAB || vocabSize > MAX_WORDPIECE_VOCAB) {
    throw new RangeError(`vocabSize must be an integer from ${MIN_WORDPIECE_VOCAB} to ${MAX_WORDPIECE_VOCAB}, got ${vocabSize}`);
  }
  const prefix = params.prefix ?? '##';
  const minFrequency = params.minFrequency ?? 0;
  const text = params.text === undefined ? BERT_TEXT_DEFAULTS : params.text;
  // Words are read from the counter's table by code unit: no string per word or per character
  // (on Odia, those strings were most of the time before the merges).
  const words = await countBertWords(corpus, text, hooks);
  const { units, start, length, count } = words;
  let totalWords = 0;
  for (let w = 0; w < words.size; w++) totalWords += count[w]!;

  const tokens: string[] = [];
  const tokenIds = new Map<string, number>();
  const addToken = (token: string): number => {
    let id = tokenIds.get(token);
    if (id === undefined) {
      id = tokens.length;
      tokens.push(token);
      tokenIds.set(token, id);
    }
    return id;
  };
  const specialTokens = [...new Set(params.specialTokens ?? [])].map((content) => ({ content, id: addToken(content) }));

  // The alphabet, then the prefixed characters, in the order given or in first-seen order.
  const alphabet = new Set<number>();
  const continuing = new Set<number>();
  for (let w = 0; w < words.size; w++) {
    const end = start[w]! + length[w]!;
    for (let i = start[w]!; i < end; ) {
      const cp = codePointAt(units, i, end);
      alphabet.add(cp);
      if (i > start[w]!) continuing.add(cp);
      i += cp > 0xffff ? 2 : 1;
    }
  }
  if (params.startOrder) {
    const expected = new Set(specialTokens.map((t) => t.content));
    for (const cp of alphabet) expected.add(String.fromCodePoint(cp));
    for (const cp of continuing) expected.add(prefix + String.fromCodePoint(cp));
    const given = new Set(params.startOrder);
    if (given.size !== expected.size || [...expected].some((t) => !given.has(t))) {
      throw new Error('startOrder must hold exactly the special tokens, the alphabet and the prefixed characters of this corpus.');
    }
    for (const token of params.startOrder) addToken(token);
  } else {
    for (const cp of [...alphabet].sort((a, b) => a - b)) addToken(String.fromCodePoint(cp));
  }

  // Each word spelled as token ids; a character's two ids (first in its word, or prefixed) are
  // looked up once per code point.
  const firstId = new Map<number, number>();
  const prefixedId = new Map<number, number>();
  const spelled: SpelledWords = {
    symbols: new Int32Array(Math.max(16, units.length)),
    wordStart: new Int32Array(words.size),
    wordLength: new Int32Array(words.size),
    wordCount: new Float64Array(words.size),
  };
  let used = 0;
  for (let w = 0; w < words.size; w++) {
    spelled.wordStart[w] = used;
    const end = start[w]! + length[w]!;
    for (let i = start[w]!; i < end; ) {
      const cp = codePointAt(units, i, end);
      const ids = i === start[w] ? firstId : prefixedId;
      let id = ids.get(cp);
      if (id === undefined) {
        id = addToken(ids === firstId ? String.fromCodePoint(cp) : prefix + String.fromCodePoint(cp));
        ids.set(cp, id);
      }
      spelled.symbols[used++] = id;
      i += cp > 0xffff ? 2 : 1;
    }
    spelled.wordLength[w] = used - spelled.wordStart[w]!;
    spelled.wordCount[w] = count[w]!;
  }
  const state = new MergeState(spelled);
  state.countPairs();
  await hooks.checkpoint?.();

  const merges: WordPieceMerge[] = [];
  const startSize = tokens.length;
  const target = Math.max(vocabSize - startSize, 1);
  let stoppedBecause: TrainedWordPiece['stoppedBecause'] = 'vocab-size';
  while (tokens.length < vocabSize) {
    if (state.heapSize === 0) {
      stoppedBecause = 'no-pairs-left';
      break;
    }
    const e = state.heapPop();
    const p = state.entryPair[e]!;
    const count = state.pairCount[p]!;
    if (state.entryCount[e] !== count) {
      state.entryCount[e] = count;
      state.heapPush(e);
      continue;
    }
    if (count < 1) {
      stoppedBecause = 'no-pairs-left';
      break;
    }
    if (minFrequency > count) {
      stoppedBecause = 'min-frequency';
      break;
    }
    const a = state.pairLeft[p]!;
    const b = state.pairRight[p]!;
    const left = tokens[a]!;
    const right = tokens[b]!;
    const merged = left + (right.startsWith(prefix) ? right.slice(prefix.length) : right);
    const id = addToken(merged);
    merges.push({ left, right, merged, id, count });

    const posStart = state.entryPosStart[e]!;
    const posEnd = posStart + state.entryPosLength[e]!;
    for (let k = posStart; k < posEnd; k++) state.mergeWord(state.positions[k]!, a, b, id);
    state.flushStep();

    if (merges.length % MERGES_PER_CHECKPOINT === 0) {
      hooks.progress?.(COUNTING_SHARE + ((1 - COUNTING_SHARE) * (tokens.length - startSize)) / target);
      await hooks.checkpoint?.();
    }
  }
  hooks.progress?.(1);
  return {
    tokens,
    prefix,
    unkToken: params.unkToken ?? '[UNK]',
    maxInputCharsPerWord: params.maxInputCharsPerWord ?? 100,
    specialTokens,
    text,
    merges,
    stoppedBecause,
    uniqueWords: words.size,
    totalWords,
  };
}

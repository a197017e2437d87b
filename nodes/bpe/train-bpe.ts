/**
 * Byte-level BPE training, merge for merge the same as Hugging Face `tokenizers`' BpeTrainer with
 * a ByteLevel pre-tokenizer (add_prefix_space=false) trained from files.
 *
 *   const bpe = await trainBpe('aaabdaaabac', { vocabSize: 259 });
 *   bpe.merges.map(m => m.left + '+' + m.right)   // ['a+a', 'a+b', 'aa+ab']
 *   bpe.merges.map(m => m.count)                  // [4, 2, 2]
 *
 * How (incremental, never recounting the corpus):
 * 1. Pre-tokenize line by line with GPT-2's pattern (gpt2-split.ts) and count each unique piece
 *    ("word") once. HF's train-from-files reads a file line by line too, so a whitespace run is
 *    cut at each '\n' it contains.
 * 2. Spell each unique word as byte tokens and count adjacent pairs, weighted by word count,
 *    remembering which words contain each pair.
 * 3. Repeatedly take the most frequent pair from a priority queue, add the joined token, and
 *    rewrite only the words that contain the pair, adjusting the counts of their neighbouring
 *    pairs. Stale queue entries are refreshed when they come out (lazy deletion).
 *
 * Tie-break rule (HF's): among pairs with the same count, the pair with the smaller
 * (left id, right id) goes first. Ids are: special tokens 0…k-1, then the 256 bytes in ByteLevel
 * character order (byte-alphabet.ts), then merged tokens in the order they were made. HF's
 * untrained vocabulary holds only the bytes the corpus uses, but in the same order, so ties
 * resolve identically.
 *
 * HF's bookkeeping is reproduced with its corners: the merged pair's own count is left as is; a
 * merge whose token string already exists reuses that id and adds no vocabulary entry; positions a
 * pair gains later go into a separate queue entry, so one pair could be merged twice. None of
 * these corners occurred in the corpora tested (nor in 20,000 small random ones). Where they would
 * and two entries of one pair had the same count, HF's order depends on its randomly seeded hash
 * maps; this trainer takes the older entry first.
 *
 * Pre-tokenization is GPT-2's pattern, or with `pattern: 'gpt2-marks'` the variant that keeps
 * combining marks in words (HF equivalent: a Split pre-tokenizer with GPT2_MARKS_PATTERN followed
 * by ByteLevel without its regex).
 *
 * Not handled here: other pre-tokenizers or normalization (run Clean first), HF options
 * continuing_subword_prefix, end_of_word_suffix, limit_alphabet, max_token_length. Special tokens
 * are not cut out of the corpus before training (HF's trainer does not either).
 */
import { BYTE_TO_CHAR } from '../pretokenize/byte-level';
import { BYTES_IN_VOCAB_ORDER } from './byte-alphabet';
import { gpt2PieceEnd, type SplitPattern } from './gpt2-split';
import { MergeState, type SpelledWords } from './merge-state';
import type { LongRunHooks, TrainBpeParams, TrainedBpe, TrainedMerge } from './types';
import { encodeUtf8Into, maxUtf8Length } from './utf8';

/** The vocabSize range the trainer accepts: from bytes only up to ids that fit in 16 bits. */
export const MIN_VOCAB_SIZE = 256;
export const MAX_VOCAB_SIZE = 65536;

/** How many pieces or merges between two checkpoints. */
const PIECES_PER_CHECKPOINT = 1 << 16;
const MERGES_PER_CHECKPOINT = 2048;
/** Share of the progress bar given to counting words. */
const COUNTING_SHARE = 0.3;

/**
 * Counts GPT-2 pre-tokens line by line.
 *
 *   await countWords('the cat\nthe dog')   // Map { 'the' => 2, ' cat' => 1, '\n' => 1, ' dog' => 1 }
 */
export async function countWords(
  corpus: string,
  pattern: SplitPattern = 'gpt2',
  hooks: LongRunHooks = {},
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const n = corpus.length;
  let lineEnd = 0;
  let pieces = 0;
  for (let start = 0; start < n; ) {
    if (start === lineEnd) {
      const newline = corpus.indexOf('\n', start);
      lineEnd = newline < 0 ? n : newline + 1;
    }
    const end = gpt2PieceEnd(corpus, start, lineEnd, pattern);
    const word = corpus.slice(start, end);
    counts.set(word, (counts.get(word) ?? 0) + 1);
    start = end;
    if (++pieces % PIECES_PER_CHECKPOINT === 0) {
      hooks.progress?.((COUNTING_SHARE * start) / n);
      await hooks.checkpoint?.();
    }
  }
  return counts;
}

/** Each unique word spelled as byte symbols (ids of the byte tokens), with its count. */
function spellBytes(words: Map<string, number>, byteToSymbol: Int32Array): SpelledWords {
  let totalChars = 0;
  for (const word of words.keys()) totalChars += word.length;
  let buffer = new Uint8Array(maxUtf8Length(0, 1 << 16));
  const spelled: SpelledWords = {
    symbols: new Int32Array(Math.max(16, totalChars * 3)),
    wordStart: new Int32Array(words.size),
    wordLength: new Int32Array(words.size),
    wordCount: new Float64Array(words.size),
  };
  let w = 0;
  let used = 0;
  for (const [word, count] of words) {
    if (maxUtf8Length(0, word.length) > buffer.length) buffer = new Uint8Array(maxUtf8Length(0, word.length));
    const length = encodeUtf8Into(word, 0, word.length, buffer);
    for (let i = 0; i < length; i++) spelled.symbols[used + i] = byteToSymbol[buffer[i]!]!;
    spelled.wordStart[w] = used;
    spelled.wordLength[w] = length;
    spelled.wordCount[w] = count;
    used += length;
    w++;
  }
  return spelled;
}


/**
 * Trains a byte-level BPE on `corpus` until the vocabulary (special tokens + 256 bytes + merged
 * tokens) reaches params.vocabSize, no pair is left, or the best pair is rarer than minFrequency.
 */
export async function trainBpe(corpus: string, params: TrainBpeParams, hooks: LongRunHooks = {}): Promise<TrainedBpe> {
  const { vocabSize } = params;
  if (!Number.isInteger(vocabSize) || vocabSize < MIN_VOCAB_SIZE || vocabSize > MAX_VOCAB_SIZE) {
    throw new RangeError(`vocabSize must be an integer from ${MIN_VOCAB_SIZE} to ${MAX_VOCAB_SIZE}, got ${vocabSize}`);
  }
  const minFrequency = params.minFrequency ?? 0;
  const pattern = params.pattern ?? 'gpt2';
  const words = await countWords(corpus, pattern, hooks);
  let totalWords = 0;
  for (const count of words.values()) totalWords += count;

  // Vocabulary: special tokens, then the bytes (a special token equal to a byte's character
  // takes that byte's place, as in HF), then merged tokens.
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
  const byteToSymbol = new Int32Array(256);
  for (const b of BYTES_IN_VOCAB_ORDER) byteToSymbol[b] = addToken(BYTE_TO_CHAR[b]!);

  const state = new MergeState(spellBytes(words, byteToSymbol));
  state.countPairs();
  await hooks.checkpoint?.();

  const merges: TrainedMerge[] = [];
  const startSize = tokens.length;
  const target = Math.max(vocabSize - startSize, 1);
  let stoppedBecause: TrainedBpe['stoppedBecause'] = 'vocab-size';
  while (tokens.length < vocabSize) {
    if (state.heapSize === 0) {
      stoppedBecause = 'no-pairs-left';
      break;
    }
    const e = state.heapPop();
    const p = state.entryPair[e]!;
    const count = state.pairCount[p]!;
    if (state.entryCount[e] !== count) {
      state.entryCount[e] = count; // stale: requeue with the current count
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
    const id = addToken(left + right);
    merges.push({ left, right, id, count, frequency: 0 });

    const posStart = state.entryPosStart[e]!;
    const posEnd = posStart + state.entryPosLength[e]!;
    for (let k = posStart; k < posEnd; k++) state.mergeWord(state.positions[k]!, a, b, id);
    state.flushStep();

    if (merges.length % MERGES_PER_CHECKPOINT === 0) {
      hooks.progress?.(COUNTING_SHARE + ((1 - COUNTING_SHARE) * (tokens.length - startSize)) / target);
      await hooks.checkpoint?.();
    }
  }

  // Final frequency of every token in the trainer's segmentation of the corpus.
  const frequency = new Float64Array(tokens.length);
  for (let w = 0; w < state.wordStart.length; w++) {
    const start = state.wordStart[w]!;
    const end = start + state.wordLength[w]!;
    for (let i = start; i < end; i++) frequency[state.symbols[i]!]! += state.wordCount[w]!;
  }
  for (const merge of merges) merge.frequency = frequency[merge.id]!;
  hooks.progress?.(1);

  return { tokens, merges, specialTokens, pattern, stoppedBecause, uniqueWords: words.size, totalWords };
}

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
 *    ("word") once, chunk by chunk (count-words.ts), so a corpus of any size needs only its
 *    unique-word table in memory (train-stream.ts reads one from a byte stream). HF's
 *    train-from-files reads a file line by line too, so a whitespace run is cut at each '\n'.
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
import { WordCounter, type WordTable } from './count-words';
import { MergeState, type SpelledWords } from './merge-state';
import { TrainingProgress } from './training-progress';
import type { LongRunHooks, TrainBpeParams, TrainedBpe, TrainedMerge } from './types';
import { encodeUtf16UnitsInto, maxUtf8Length } from './utf8';

/** The vocabSize range the trainer accepts: from bytes only up to ids that fit in 16 bits. */
export const MIN_VOCAB_SIZE = 256;
export const MAX_VOCAB_SIZE = 65536;

/** Code units of a string corpus counted between two checkpoints. */
const UNITS_PER_CHECKPOINT = 1 << 20;
const MERGES_PER_CHECKPOINT = 2048;
export function checkVocabSize(vocabSize: number): void {
  if (!Number.isInteger(vocabSize) || vocabSize < MIN_VOCAB_SIZE || vocabSize > MAX_VOCAB_SIZE) {
    throw new RangeError(`vocabSize must be an integer from ${MIN_VOCAB_SIZE} to ${MAX_VOCAB_SIZE}, got ${vocabSize}`);
  }
}

/** Each unique word spelled as byte symbols (ids of the byte tokens), with its count. */
function spellBytes(words: WordTable, byteToSymbol: Int32Array): SpelledWords {
  let buffer = new Uint8Array(maxUtf8Length(0, 1 << 16));
  const spelled: SpelledWords = {
    symbols: new Int32Array(Math.max(16, words.units.length * 3)),
    wordStart: new Int32Array(words.size),
    wordLength: new Int32Array(words.size),
    wordCount: new Float64Array(words.size),
  };
  let used = 0;
  for (let w = 0; w < words.size; w++) {
    const from = words.start[w]!;
    const to = from + words.length[w]!;
    if (maxUtf8Length(from, to) > buffer.length) buffer = new Uint8Array(maxUtf8Length(from, to));
    const length = encodeUtf16UnitsInto(words.units, from, to, buffer);
    for (let i = 0; i < length; i++) spelled.symbols[used + i] = byteToSymbol[buffer[i]!]!;
    spelled.wordStart[w] = used;
    spelled.wordLength[w] = length;
    spelled.wordCount[w] = words.count[w]!;
    used += length;
  }
  return spelled;
}

/**
 * Trains a byte-level BPE on `corpus` until the vocabulary (special tokens + 256 bytes + merged
 * tokens) reaches params.vocabSize, no pair is left, or the best pair is rarer than minFrequency.
 * The text is counted in slices, through the same WordCounter a streamed corpus goes through
 * (train-stream.ts), so both give the same words and merges.
 */
export async function trainBpe(corpus: string, params: TrainBpeParams, hooks: LongRunHooks = {}): Promise<TrainedBpe> {
  checkVocabSize(params.vocabSize);
  const tracker = new TrainingProgress(hooks, corpus.length, 'characters');
  const counter = new WordCounter(params.pattern ?? 'gpt2');
  for (let at = 0; at < corpus.length; at += UNITS_PER_CHECKPOINT) {
    counter.add(corpus.slice(at, at + UNITS_PER_CHECKPOINT));
    tracker.counted(Math.min(corpus.length, at + UNITS_PER_CHECKPOINT), counter.totalWords);
    await hooks.checkpoint?.();
  }
  return trainFromWords(counter.finish(), params, hooks, tracker);
}

/**
 * The merge phase on counted words: what trainBpe and trainBpeFromStream share.
 * `tracker` carries the counting phase's progress into the merges' reports.
 */
export async function trainFromWords(
  words: WordTable,
  params: TrainBpeParams,
  hooks: LongRunHooks = {},
  tracker: TrainingProgress = new TrainingProgress(hooks, null, 'bytes'),
): Promise<TrainedBpe> {
  const { vocabSize } = params;
  checkVocabSize(vocabSize);
  const minFrequency = params.minFrequency ?? 0;
  const pattern = params.pattern ?? 'gpt2';

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
  tracker.startMerging(words.total, words.size, target);
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
      tracker.merged(tokens.length - startSize);
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
  tracker.done(merges.length);

  return { tokens, merges, specialTokens, pattern, stoppedBecause, uniqueWords: words.size, totalWords: words.total };
}

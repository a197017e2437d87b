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
import { PairTable } from './pair-table';
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

function growInt32(a: Int32Array<ArrayBuffer>, need: number): Int32Array<ArrayBuffer> {
  if (need <= a.length) return a;
  const b = new Int32Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

function growFloat64(a: Float64Array<ArrayBuffer>, need: number): Float64Array<ArrayBuffer> {
  if (need <= a.length) return a;
  const b = new Float64Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

/**
 * The words as token sequences plus pair counts and the merge queue. Typed arrays throughout:
 * the corpus can have a million pair occurrences and the loop touches them many times.
 */
class MergeState {
  // Words: symbols of word w are symbols[wordStart[w] .. wordStart[w] + wordLength[w]).
  symbols: Int32Array;
  wordStart: Int32Array;
  wordLength: Int32Array;
  wordCount: Float64Array;

  // Pairs, indexed by pair number p.
  pairIndex = new PairTable(1 << 16);
  pairLeft = new Int32Array(1 << 16);
  pairRight = new Int32Array(1 << 16);
  pairCount = new Float64Array(1 << 16);
  pairs = 0;
  /** Step in which pair p last got a new position, and the last word it got. */
  pairStep = new Int32Array(1 << 16);
  pairLastWord = new Int32Array(1 << 16);
  pairNewPositions = new Int32Array(1 << 16);

  // Queue entries (HF's `Merge`): a pair, its count when queued, and the words to rewrite.
  entryPair = new Int32Array(1 << 16);
  entryCount = new Float64Array(1 << 16);
  entryPosStart = new Int32Array(1 << 16);
  entryPosLength = new Int32Array(1 << 16);
  entries = 0;
  positions = new Int32Array(1 << 20);
  positionsUsed = 0;

  heap = new Int32Array(1 << 16);
  heapSize = 0;

  // Positive changes of the current step (HF's `where_to_update`): pairs in first-seen order,
  // and (pair, word) records.
  step = 0;
  stepPairs: number[] = [];
  stepRecordPair = new Int32Array(1 << 12);
  stepRecordWord = new Int32Array(1 << 12);
  stepRecords = 0;

  constructor(words: Map<string, number>, byteToSymbol: Int32Array) {
    let totalChars = 0;
    for (const word of words.keys()) totalChars += word.length;
    const scratch = new Uint8Array(maxUtf8Length(0, 1 << 16));
    let buffer = scratch;
    this.symbols = new Int32Array(Math.max(16, totalChars * 3));
    this.wordStart = new Int32Array(words.size);
    this.wordLength = new Int32Array(words.size);
    this.wordCount = new Float64Array(words.size);
    let w = 0;
    let used = 0;
    for (const [word, count] of words) {
      if (maxUtf8Length(0, word.length) > buffer.length) buffer = new Uint8Array(maxUtf8Length(0, word.length));
      const length = encodeUtf8Into(word, 0, word.length, buffer);
      for (let i = 0; i < length; i++) this.symbols[used + i] = byteToSymbol[buffer[i]!]!;
      this.wordStart[w] = used;
      this.wordLength[w] = length;
      this.wordCount[w] = count;
      used += length;
      w++;
    }
  }

  pairOf(left: number, right: number): number {
    let p = this.pairIndex.get(left, right);
    if (p < 0) {
      p = this.pairs++;
      if (p >= this.pairLeft.length) {
        const need = p + 1;
        this.pairLeft = growInt32(this.pairLeft, need);
        this.pairRight = growInt32(this.pairRight, need);
        this.pairCount = growFloat64(this.pairCount, need);
        this.pairStep = growInt32(this.pairStep, need);
        this.pairLastWord = growInt32(this.pairLastWord, need);
        this.pairNewPositions = growInt32(this.pairNewPositions, need);
      }
      this.pairLeft[p] = left;
      this.pairRight[p] = right;
      this.pairCount[p] = 0;
      this.pairStep[p] = -1;
      this.pairLastWord[p] = -1;
      this.pairIndex.set(left, right, p);
    }
    return p;
  }

  /** Records that pair p gained an occurrence in word w during this step. */
  private notePositive(p: number, w: number): void {
    if (this.pairStep[p] !== this.step) {
      this.pairStep[p] = this.step;
      this.pairLastWord[p] = -1;
      this.pairNewPositions[p] = 0;
      this.stepPairs.push(p);
    }
    if (this.pairLastWord[p] === w) return;
    this.pairLastWord[p] = w;
    this.pairNewPositions[p]! += 1;
    const r = this.stepRecords++;
    if (r >= this.stepRecordPair.length) {
      this.stepRecordPair = growInt32(this.stepRecordPair, r + 1);
      this.stepRecordWord = growInt32(this.stepRecordWord, r + 1);
    }
    this.stepRecordPair[r] = p;
    this.stepRecordWord[r] = w;
  }

  /** Initial pair counts: every adjacent pair of every word, weighted by the word's count. */
  countPairs(): void {
    this.step = 0;
    const { symbols, wordStart, wordLength, wordCount } = this;
    for (let w = 0; w < wordStart.length; w++) {
      const start = wordStart[w]!;
      const end = start + wordLength[w]!;
      const count = wordCount[w]!;
      for (let i = start; i + 1 < end; i++) {
        const p = this.pairOf(symbols[i]!, symbols[i + 1]!);
        this.pairCount[p]! += count;
        this.notePositive(p, w);
      }
    }
    this.flushStep();
  }

  /**
   * Rewrites word w with every (a, b) replaced by token n, scanning left to right as HF's
   * Word::merge does, and applies the pair-count changes. 'x a b a b' -> 'x n n' removes
   * (x,a), (b,a) twice… and adds (x,n), (n,a), (n,n); the merged pair's own count is left as is.
   */
  mergeWord(w: number, a: number, b: number, n: number): void {
    const symbols = this.symbols;
    const start = this.wordStart[w]!;
    const end = start + this.wordLength[w]!;
    const count = this.wordCount[w]!;
    let read = start;
    let write = start;
    while (read < end) {
      const x = symbols[read]!;
      if (x === a && read + 1 < end && symbols[read + 1] === b) {
        if (write > start) {
          const before = symbols[write - 1]!;
          this.pairCount[this.pairOf(before, a)]! -= count;
          const p = this.pairOf(before, n);
          this.pairCount[p]! += count;
          this.notePositive(p, w);
        }
        if (read + 2 < end) {
          const after = symbols[read + 2]!;
          this.pairCount[this.pairOf(b, after)]! -= count;
          const p = this.pairOf(n, after);
          this.pairCount[p]! += count;
          this.notePositive(p, w);
        }
        symbols[write++] = n;
        read += 2;
      } else {
        symbols[write++] = x;
        read++;
      }
    }
    this.wordLength[w] = write - start;
  }

  /** Queues one entry per pair that gained positions this step (if its count is positive). */
  flushStep(): void {
    const { stepPairs } = this;
    // Lay out each pair's new positions contiguously, pairs in first-seen order.
    let cursor = this.positionsUsed;
    this.positions = growInt32(this.positions, cursor + this.stepRecords);
    for (const p of stepPairs) {
      const length = this.pairNewPositions[p]!;
      this.pairNewPositions[p] = cursor; // now: the next free slot of p
      cursor += length;
    }
    for (let r = 0; r < this.stepRecords; r++) {
      const p = this.stepRecordPair[r]!;
      this.positions[this.pairNewPositions[p]!++] = this.stepRecordWord[r]!;
    }
    let regionStart = this.positionsUsed;
    for (const p of stepPairs) {
      const regionEnd = this.pairNewPositions[p]!;
      if (this.pairCount[p]! > 0) this.pushEntry(p, regionStart, regionEnd - regionStart);
      regionStart = regionEnd;
    }
    this.positionsUsed = cursor;
    stepPairs.length = 0;
    this.stepRecords = 0;
    this.step++;
  }

  private pushEntry(p: number, posStart: number, posLength: number): void {
    const e = this.entries++;
    if (e >= this.entryPair.length) {
      this.entryPair = growInt32(this.entryPair, e + 1);
      this.entryCount = growFloat64(this.entryCount, e + 1);
      this.entryPosStart = growInt32(this.entryPosStart, e + 1);
      this.entryPosLength = growInt32(this.entryPosLength, e + 1);
    }
    this.entryPair[e] = p;
    this.entryCount[e] = this.pairCount[p]!;
    this.entryPosStart[e] = posStart;
    this.entryPosLength[e] = posLength;
    this.heapPush(e);
  }

  /** Queue order: higher count first, then smaller (left, right), then the older entry. */
  private before(e: number, f: number): boolean {
    const ce = this.entryCount[e]!;
    const cf = this.entryCount[f]!;
    if (ce !== cf) return ce > cf;
    const pe = this.entryPair[e]!;
    const pf = this.entryPair[f]!;
    if (pe !== pf) {
      const le = this.pairLeft[pe]!;
      const lf = this.pairLeft[pf]!;
      if (le !== lf) return le < lf;
      return this.pairRight[pe]! < this.pairRight[pf]!;
    }
    return e < f;
  }

  heapPush(e: number): void {
    this.heap = growInt32(this.heap, this.heapSize + 1);
    const heap = this.heap;
    let i = this.heapSize++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pe = heap[parent]!;
      if (!this.before(e, pe)) break;
      heap[i] = pe;
      i = parent;
    }
    heap[i] = e;
  }

  heapPop(): number {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap[--this.heapSize]!;
    const size = this.heapSize;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      if (child + 1 < size && this.before(heap[child + 1]!, heap[child]!)) child++;
      if (!this.before(heap[child]!, last)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
    return top;
  }
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

  const state = new MergeState(words, byteToSymbol);
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

/**
 * The merge loop's state, shared by the byte-level BPE and WordPiece trainers (both are HF's
 * BpeTrainer underneath): the words as symbol sequences, pair counts with the words each pair
 * occurs in, and the merge queue, all in typed arrays. The trainers decide what a symbol is
 * (a byte, or a character with or without `##`) and how a merged token is spelled.
 *
 *   const state = new MergeState(spelled);   // spelled: the words as symbol ids + counts
 *   state.countPairs();
 *   // pop the best entry, rewrite its words with mergeWord, then flushStep() (train-bpe.ts)
 *
 * Not handled here: the vocabulary (strings, ids), stopping rules, progress.
 */
import { PairTable } from './pair-table';

/** Words spelled as symbol ids: symbols of word w are symbols[wordStart[w] .. + wordLength[w]). */
export interface SpelledWords {
  symbols: Int32Array;
  wordStart: Int32Array;
  wordLength: Int32Array;
  wordCount: Float64Array;
}

export function growInt32(a: Int32Array<ArrayBuffer>, need: number): Int32Array<ArrayBuffer> {
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
export class MergeState {
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

  constructor(words: SpelledWords) {
    this.symbols = words.symbols;
    this.wordStart = words.wordStart;
    this.wordLength = words.wordLength;
    this.wordCount = words.wordCount;
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
    // Three loops in three methods: V8 compiles a long first loop on the fly (OSR) before the
    // code after it has run, and code compiled that way would fall back at every later call.
    const cursor = this.layOutPositions();
    this.fillPositions();
    this.queueStepPairs();
    this.positionsUsed = cursor;
    this.stepPairs.length = 0;
    this.stepRecords = 0;
    this.step++;
  }

  /** Lays out each pair's new positions contiguously, pairs in first-seen order; gives the end. */
  private layOutPositions(): number {
    let cursor = this.positionsUsed;
    this.positions = growInt32(this.positions, cursor + this.stepRecords);
    for (const p of this.stepPairs) {
      const length = this.pairNewPositions[p]!;
      this.pairNewPositions[p] = cursor; // now: the next free slot of p
      cursor += length;
    }
    return cursor;
  }

  private fillPositions(): void {
    for (let r = 0; r < this.stepRecords; r++) {
      const p = this.stepRecordPair[r]!;
      this.positions[this.pairNewPositions[p]!++] = this.stepRecordWord[r]!;
    }
  }

  private queueStepPairs(): void {
    let regionStart = this.positionsUsed;
    for (const p of this.stepPairs) {
      const regionEnd = this.pairNewPositions[p]!;
      if (this.pairCount[p]! > 0) this.pushEntry(p, regionStart, regionEnd - regionStart);
      regionStart = regionEnd;
    }
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

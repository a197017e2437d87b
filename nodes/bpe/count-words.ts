/**
 * Counting GPT-2 pre-tokens ("words") chunk by chunk, for BPE training on corpora of any size.
 *
 *   const counter = new WordCounter();
 *   counter.add('the cat\nthe d');     // counts 'the', ' cat', '\n', 'the'; keeps ' d' back
 *   counter.add('og');
 *   const table = counter.finish();    // ' dog' counted once the end is known
 *   table.size                         // 4 unique words: 'the' ×2, ' cat', '\n', ' dog'
 *
 * Line by line, as HF's train-from-files reads a file: a whitespace run is cut at each '\n' it
 * contains. A chunk may end anywhere: inside a word, between '\r' and '\n', between the two
 * halves of a surrogate pair (the caller's TextDecoder, in stream mode, already keeps a UTF-8
 * character whole). The counter keeps back the piece that could still grow (the last few code
 * units, see SAFE_MARGIN) and counts it when the next chunk arrives, so the words are exactly
 * those of the whole text. Memory is the unique-word table plus one chunk and its carry-over.
 * A single piece longer than a chunk (megabytes of letters without a space) is carried and
 * rescanned with every chunk until it ends; HF holds such a line whole too.
 *
 * Why a hand-written table and not Map<string, number>: a Map needs one JS string per
 * occurrence (`text.slice(start, end)`, hashed, then dropped), and a slice of 13+ code units is
 * a view that keeps its whole chunk alive. Here a word is looked up by hashing its code units in
 * place, and a new word's code units are copied into one Uint16Array arena: no string is made
 * while counting, and no chunk is retained by the table.
 *
 * Not handled here: other pre-tokenizers (run Clean first), decoding bytes (train-stream.ts),
 * the merges (train-bpe.ts).
 */
import { gpt2PieceEnd, type SplitPattern } from './gpt2-split';

/**
 * A piece that ends at least this many code units before the end of what has arrived is final:
 * the scanner looks at most two code units past a piece's end (the contractions 're/'ve/'ll, a
 * space before a word, a surrogate's low half), so nothing still to come can change it.
 */
const SAFE_MARGIN = 3;

/** The unique words, their UTF-16 code units in one arena, in first-seen order. */
export interface WordTable {
  /** Number of unique words. */
  size: number;
  /** Total occurrences. */
  total: number;
  /** Word w is units[start[w] .. start[w] + length[w]). */
  units: Uint16Array;
  start: Int32Array;
  length: Int32Array;
  count: Float64Array;
}

export class WordCounter {
  private readonly pattern: SplitPattern;
  private carry = '';
  private finished = false;

  private units = new Uint16Array(1 << 16);
  private unitsUsed = 0;
  private wordStart = new Int32Array(1 << 12);
  private wordLength = new Int32Array(1 << 12);
  private wordHash = new Int32Array(1 << 12);
  private wordCount = new Float64Array(1 << 12);
  private words = 0;
  private occurrences = 0;
  /** Open addressing: slot -> word id + 1 (0 = empty). */
  private slots = new Int32Array(1 << 13);
  private mask = (1 << 13) - 1;

  constructor(pattern: SplitPattern = 'gpt2') {
    this.pattern = pattern;
  }

  /** Unique words counted so far. */
  get uniqueWords(): number {
    return this.words;
  }

  /** Word occurrences counted so far. */
  get totalWords(): number {
    return this.occurrences;
  }

  /** Counts the words of `chunk` that are final; the rest waits for the next chunk or finish(). */
  add(chunk: string): void {
    if (this.finished) throw new Error('WordCounter.add after finish');
    if (chunk === '') return;
    const text = this.carry === '' ? chunk : this.carry + chunk;
    const kept = this.scan(text, false);
    // A slice may be a view that keeps this chunk alive, but only until the next add replaces it.
    this.carry = text.slice(kept);
  }

  /** Counts the carry-over (the corpus has ended) and gives the table. */
  finish(): WordTable {
    if (!this.finished) {
      this.finished = true;
      if (this.carry !== '') this.scan(this.carry, true);
      this.carry = '';
    }
    return {
      size: this.words,
      total: this.occurrences,
      units: this.units.subarray(0, this.unitsUsed),
      start: this.wordStart.subarray(0, this.words),
      length: this.wordLength.subarray(0, this.words),
      count: this.wordCount.subarray(0, this.words),
    };
  }

  /** Counts the pieces of `text`; returns where the uncounted rest starts (text.length at the end). */
  private scan(text: string, atEnd: boolean): number {
    const n = text.length;
    const pattern = this.pattern;
    let start = 0;
    while (start < n) {
      const newline = text.indexOf('\n', start);
      if (newline < 0 && !atEnd) {
        // The last line goes on in the next chunk: count only the pieces that cannot change.
        const safe = n - SAFE_MARGIN;
        while (start < n) {
          const end = gpt2PieceEnd(text, start, n, pattern);
          if (end > safe) return start;
          this.countPiece(text, start, end);
          start = end;
        }
        return n;
      }
      const lineEnd = newline < 0 ? n : newline + 1;
      while (start < lineEnd) {
        const end = gpt2PieceEnd(text, start, lineEnd, pattern);
        this.countPiece(text, start, end);
        start = end;
      }
    }
    return n;
  }

  /**
   * Counts text[start, end) as one word, hashed in place (no string made), and gives its id (ids
   * count up from 0 in first-seen order). Public for trainers with their own pre-tokenizer
   * (WordPiece's BERT words, Unigram's words) that want this table.
   */
  countPiece(text: string, start: number, end: number): number {
    this.occurrences++;
    let hash = 0x811c9dc5 ^ (end - start);
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
    const { slots, mask, units, wordStart, wordLength, wordHash } = this;
    const length = end - start;
    let slot = (hash ^ (hash >>> 15)) & mask;
    for (;;) {
      const id = slots[slot]! - 1;
      if (id < 0) break;
      if (wordHash[id] === hash && wordLength[id] === length) {
        let at = wordStart[id]!;
        let i = start;
        while (i < end && units[at] === text.charCodeAt(i)) {
          at++;
          i++;
        }
        if (i === end) {
          this.wordCount[id]! += 1;
          return id;
        }
      }
      slot = (slot + 1) & mask;
    }
    return this.insert(text, start, end, hash, slot);
  }

  private insert(text: string, start: number, end: number, hash: number, slot: number): number {
    const id = this.words++;
    const length = end - start;
    if (id >= this.wordStart.length) {
      const size = this.wordStart.length * 2;
      this.wordStart = grow(this.wordStart, new Int32Array(size));
      this.wordLength = grow(this.wordLength, new Int32Array(size));
      this.wordHash = grow(this.wordHash, new Int32Array(size));
      this.wordCount = grow(this.wordCount, new Float64Array(size));
    }
    if (this.unitsUsed + length > this.units.length) {
      this.units = grow(this.units, new Uint16Array(Math.max(this.units.length * 2, this.unitsUsed + length)));
    }
    const units = this.units;
    let at = this.unitsUsed;
    for (let i = start; i < end; i++) units[at++] = text.charCodeAt(i);
    this.wordStart[id] = this.unitsUsed;
    this.wordLength[id] = length;
    this.wordHash[id] = hash;
    this.wordCount[id] = 1;
    this.unitsUsed = at;
    this.slots[slot] = id + 1;
    if (this.words * 2 > this.mask) this.rehash();
    return id;
  }

  private rehash(): void {
    const capacity = this.slots.length * 2;
    const slots = new Int32Array(capacity);
    const mask = capacity - 1;
    for (let id = 0; id < this.words; id++) {
      const hash = this.wordHash[id]!;
      let slot = (hash ^ (hash >>> 15)) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = id + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

function grow<T extends Int32Array | Float64Array | Uint16Array>(from: T, to: T): T {
  to.set(from as never);
  return to;
}

/** Word w of a table as a string (tests, teaching views; training never needs it). */
export function wordAt(table: WordTable, w: number): string {
  const start = table.start[w]!;
  const end = start + table.length[w]!;
  let out = '';
  for (let at = start; at < end; at += 4096) out += String.fromCharCode(...table.units.subarray(at, Math.min(end, at + 4096)));
  return out;
}

/**
 * Counts GPT-2 pre-tokens line by line.
 *
 *   countWords('the cat\nthe dog')   // Map { 'the' => 2, ' cat' => 1, '\n' => 1, ' dog' => 1 }
 */
export function countWords(corpus: string, pattern: SplitPattern = 'gpt2'): Map<string, number> {
  const counter = new WordCounter(pattern);
  counter.add(corpus);
  const table = counter.finish();
  const counts = new Map<string, number>();
  for (let w = 0; w < table.size; w++) counts.set(wordAt(table, w), table.count[w]!);
  return counts;
}

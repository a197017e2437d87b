/**
 * A bounded cache from a slice of text (one pre-token) to its token ids, keyed by the slice itself
 * without ever creating the substring.
 *
 *   const cache = new PieceCache(1000);
 *   const text = 'the cat the';
 *   let slot = cache.find(text, 0, 3);          // negative: not cached
 *   slot = cache.insert(slot, text, 0, 3, Int32Array.of(1169), 1);
 *   cache.find(text, 8, 11) === slot            // the second 'the' hits
 *
 * Encoding calls this once per pre-token (about one per 5 characters of English). A Map would
 * need `text.slice()` and V8's string hashing for every call; this hashes UTF-16 code units in
 * place (FNV-1a) and compares the candidate against a copy kept in a Uint16Array pool. When it
 * holds `maxEntries` pieces it is emptied whole, which bounds memory without LRU bookkeeping.
 *
 * Not handled here: computing the ids (encode-bpe.ts), pieces longer than MAX_CACHED_LENGTH code
 * units (the caller just does not cache them).
 */

export const MAX_CACHED_LENGTH = 128;

function hashRange(text: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}

export class PieceCache {
  private readonly maxEntries: number;
  private readonly mask: number;
  /** Per slot: hash, key start in `chars`, key length (0 = empty), value start in `ids`, value length. */
  private readonly slotHash: Int32Array;
  private readonly slotKeyStart: Int32Array;
  private readonly slotKeyLength: Int32Array;
  private readonly slotValueStart: Int32Array;
  private readonly slotValueLength: Int32Array;
  private chars: Uint16Array;
  private charsUsed = 0;
  /** Token ids of all cached pieces; read a hit with values(), valueStart() and valueLength(). */
  ids: Int32Array;
  private idsUsed = 0;
  private entries = 0;
  private lastHash = 0;

  constructor(maxEntries: number) {
    this.maxEntries = Math.max(1, maxEntries);
    let capacity = 16;
    while (capacity < this.maxEntries * 2) capacity *= 2;
    this.mask = capacity - 1;
    this.slotHash = new Int32Array(capacity);
    this.slotKeyStart = new Int32Array(capacity);
    this.slotKeyLength = new Int32Array(capacity);
    this.slotValueStart = new Int32Array(capacity);
    this.slotValueLength = new Int32Array(capacity);
    this.chars = new Uint16Array(this.maxEntries * 8);
    this.ids = new Int32Array(this.maxEntries * 4);
  }

  /** Slot holding text[start, end), or a negative number to pass to insert(). */
  find(text: string, start: number, end: number): number {
    const h = hashRange(text, start, end);
    this.lastHash = h;
    const length = end - start;
    const chars = this.chars;
    for (let slot = h & this.mask; ; slot = (slot + 1) & this.mask) {
      const keyLength = this.slotKeyLength[slot]!;
      if (keyLength === 0) return -1 - slot;
      if (keyLength !== length || this.slotHash[slot] !== h) continue;
      let i = 0;
      const keyStart = this.slotKeyStart[slot]!;
      while (i < length && chars[keyStart + i] === text.charCodeAt(start + i)) i++;
      if (i === length) return slot;
    }
  }

  valueStart(slot: number): number {
    return this.slotValueStart[slot]!;
  }

  valueLength(slot: number): number {
    return this.slotValueLength[slot]!;
  }

  /**
   * Stores ids[0, count) for text[start, end), which find() just reported missing (`missing` is
   * its result), and returns the slot. Empties the cache first if it is full.
   */
  insert(missing: number, text: string, start: number, end: number, ids: Int32Array, count: number): number {
    const length = end - start;
    let slot = -1 - missing;
    if (this.entries >= this.maxEntries) {
      this.clear();
      slot = this.find(text, start, end);
      slot = -1 - slot;
    }
    if (this.charsUsed + length > this.chars.length) {
      const chars = new Uint16Array(Math.max(this.chars.length * 2, this.charsUsed + length));
      chars.set(this.chars);
      this.chars = chars;
    }
    if (this.idsUsed + count > this.ids.length) {
      const grown = new Int32Array(Math.max(this.ids.length * 2, this.idsUsed + count));
      grown.set(this.ids);
      this.ids = grown;
    }
    for (let i = 0; i < length; i++) this.chars[this.charsUsed + i] = text.charCodeAt(start + i);
    this.ids.set(ids.subarray(0, count), this.idsUsed);
    this.slotHash[slot] = this.lastHash;
    this.slotKeyStart[slot] = this.charsUsed;
    this.slotKeyLength[slot] = length;
    this.slotValueStart[slot] = this.idsUsed;
    this.slotValueLength[slot] = count;
    this.charsUsed += length;
    this.idsUsed += count;
    this.entries++;
    return slot;
  }

  clear(): void {
    this.slotKeyLength.fill(0);
    this.charsUsed = 0;
    this.idsUsed = 0;
    this.entries = 0;
  }
}

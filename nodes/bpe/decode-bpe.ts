/**
 * Decoding token ids back to text (ids -> bytes -> UTF-8 text), and explaining a failed round trip.
 *
 *   const decoder = new BpeDecoder(gpt2Model);
 *   decoder.decode([40, 1842, 399, 19930])              // 'I love NLP'
 *   checkRoundTrip('a\uD800b', decoder.decode(encoder.encode('a\uD800b')))
 *   // { equal: false, index: 1, expected: '\uD800', actual: '\uFFFD',
 *   //   reason: 'lone surrogate U+D800 has no UTF-8 encoding; it was encoded as U+FFFD' }
 *
 * A byte-level token is a byte string, not text: a Hindi or emoji character can be split across
 * two tokens, and a single token may be half a character. So ids become one byte array first and
 * are UTF-8 decoded once at the end; bytes that are not valid UTF-8 (a cut-off sequence) become
 * U+FFFD, as in every GPT-2 decoder. Special tokens decode to their literal content.
 *
 * Not handled here: skipping special tokens, cleanup of spaces before punctuation (BERT-style).
 */
import { byteLevelToBytes } from '../pretokenize/byte-level';
import type { BpeModel } from './types';

export class BpeDecoder {
  /** Bytes of all tokens, back to back; token id's bytes are bytes[offsets[id], offsets[id + 1]). */
  private readonly bytes: Uint8Array;
  private readonly offsets: Int32Array;
  private readonly textDecoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

  constructor(model: BpeModel) {
    const special = new Set(model.specialTokens.map((s) => s.id));
    const encoder = new TextEncoder();
    const perToken = model.tokens.map((token, id) => (special.has(id) ? encoder.encode(token) : byteLevelToBytes(token)));
    this.offsets = new Int32Array(perToken.length + 1);
    let total = 0;
    perToken.forEach((b, id) => {
      this.offsets[id] = total;
      total += b.length;
    });
    this.offsets[perToken.length] = total;
    this.bytes = new Uint8Array(total);
    perToken.forEach((b, id) => this.bytes.set(b, this.offsets[id]!));
  }

  /** The bytes of one token. */
  tokenBytes(id: number): Uint8Array {
    this.checkId(id);
    return this.bytes.subarray(this.offsets[id]!, this.offsets[id + 1]!);
  }

  private checkId(id: number): void {
    if (!Number.isInteger(id) || id < 0 || id + 1 >= this.offsets.length) {
      throw new RangeError(`token id ${id} is not in the vocabulary (0…${this.offsets.length - 2})`);
    }
  }

  /** Ids to the raw bytes they stand for. Throws on an id outside the vocabulary. */
  decodeToBytes(ids: ArrayLike<number>): Uint8Array {
    let total = 0;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      this.checkId(id);
      total += this.offsets[id + 1]! - this.offsets[id]!;
    }
    const out = new Uint8Array(total);
    let at = 0;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const start = this.offsets[id]!;
      const end = this.offsets[id + 1]!;
      for (let j = start; j < end; j++) out[at++] = this.bytes[j]!;
    }
    return out;
  }

  /** Ids to text; invalid UTF-8 becomes U+FFFD. */
  decode(ids: ArrayLike<number>): string {
    return this.textDecoder.decode(this.decodeToBytes(ids));
  }
}

export type RoundTripResult =
  | { equal: true }
  | {
      equal: false;
      /** First differing UTF-16 index. */
      index: number;
      /** The character of the original and of the decoded text there ('' past the end). */
      expected: string;
      actual: string;
      reason: string;
    };

function codePointAt(text: string, index: number): string {
  const cp = text.codePointAt(index);
  return cp === undefined ? '' : String.fromCodePoint(cp);
}

function isLoneSurrogate(text: string, index: number): boolean {
  const c = text.charCodeAt(index);
  if (c >= 0xd800 && c <= 0xdbff) {
    const next = text.charCodeAt(index + 1);
    return !(next >= 0xdc00 && next <= 0xdfff);
  }
  if (c >= 0xdc00 && c <= 0xdfff) {
    const before = text.charCodeAt(index - 1);
    return !(before >= 0xd800 && before <= 0xdbff);
  }
  return false;
}

const hex = (char: string) => 'U+' + char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');

/**
 * Compares a text with what came back from decode(encode(text)): equal, or the first differing
 * position and why.
 */
export function checkRoundTrip(original: string, decoded: string): RoundTripResult {
  if (original === decoded) return { equal: true };
  let index = 0;
  while (index < original.length && index < decoded.length && original.charCodeAt(index) === decoded.charCodeAt(index)) {
    index++;
  }
  // Report whole characters: step back if we stopped inside a surrogate pair.
  const c = original.charCodeAt(index);
  if (index > 0 && c >= 0xdc00 && c <= 0xdfff && !isLoneSurrogate(original, index)) index--;
  const expected = codePointAt(original, index);
  const actual = codePointAt(decoded, index);
  let reason: string;
  if (isLoneSurrogate(original, index) && actual === '\uFFFD') {
    reason = `lone surrogate ${hex(expected)} has no UTF-8 encoding; it was encoded as U+FFFD`;
  } else if (actual === '\uFFFD') {
    reason = 'the bytes here are not valid UTF-8 (ids that cut a character in half, or missing ids), so U+FFFD was decoded';
  } else if (actual === '') {
    reason = `decoded text ends here; ${original.length - index} code units of the original are missing`;
  } else if (expected === '') {
    reason = `decoded text goes on for ${decoded.length - index} code units past the end of the original`;
  } else {
    reason = `different character: ${hex(expected)} became ${hex(actual)}; the ids do not encode this text`;
  }
  return { equal: false, index, expected, actual, reason };
}

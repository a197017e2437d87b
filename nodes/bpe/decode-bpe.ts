/**
 * Decoding BPE token ids back to text (ids -> bytes -> UTF-8 text).
 *
 *   const decoder = new BpeDecoder(gpt2Model);
 *   decoder.decode([40, 1842, 399, 19930])              // 'I love NLP'
 *
 * A byte-level token is a byte string, not text: a Hindi or emoji character can be split across
 * two tokens, and a single token may be half a character. So ids become one byte array first and
 * are UTF-8 decoded once at the end; bytes that are not valid UTF-8 (a cut-off sequence) become
 * U+FFFD, as in every GPT-2 decoder. Special tokens decode to their literal content.
 *
 * Not handled here: skipping special tokens and explaining a failed round trip (the Decode node's
 * algorithm, nodes/decode/decode.ts), cleanup of spaces before punctuation (BERT-style).
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

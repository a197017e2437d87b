/**
 * The Decode node's algorithm: ids → tokens → bytes → text with any tokenizer, and the round
 * trip check that explains where decode(encode(text)) differs from the text.
 *
 *   await decodeWith(gpt2, [40, 1842, 399, 19930], resources)
 *   // { text: 'I love NLP', tokens: [{ id: 40, piece: 'I', bytes: '49' }, { id: 1842, piece: 'Ġlove', bytes: '20 6C 6F 76 65' }, …] }
 *   checkRoundTrip('a\uD800b', decoded)
 *   // { equal: false, index: 1, expected: '\uD800', actual: '\uFFFD',
 *   //   reason: 'lone surrogate U+D800 has no UTF-8 encoding; it was encoded as U+FFFD' }
 *
 * Not handled here: how each tokenizer kind turns ids into bytes (bpe/decode-bpe.ts, and
 * transformers.js for pretrained ones, behind nodes/shared/tokenizer-ref.ts).
 */
import type { Resources } from '../engine/define-node';
import { codecFor, specialTokensOf, type TokenizerRef } from '../shared/tokenizer-ref';

export interface DecodedToken {
  id: number;
  piece: string;
  /** The token's bytes, hex, e.g. "20 6C 6F 76 65"; empty for tokens that stand for no text. */
  bytes: string;
}

export interface Decoded {
  text: string;
  tokens: DecodedToken[];
}

/** "00" … "FF": a keystroke re-decodes every token, and formatting each byte anew was a third of Decode's time. */
const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).toUpperCase().padStart(2, '0'));

function hexBytes(bytes: ArrayLike<number>): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += i === 0 ? HEX[bytes[i]!]! : ' ' + HEX[bytes[i]!]!;
  return out;
}

/** ids → tokens → bytes → text. Throws with a clear message on an id outside the vocabulary. */
export async function decodeWith(
  ref: TokenizerRef,
  allIds: readonly number[],
  resources: Resources,
  options: { skipSpecial?: boolean; tokenLimit?: number } = {},
): Promise<Decoded> {
  const tokenLimit = options.tokenLimit ?? 2000;
  const specialIds = new Set(specialTokensOf(ref).map((t) => t.id));
  const ids = options.skipSpecial ? allIds.filter((id) => !specialIds.has(id)) : allIds;
  const codec = await codecFor(ref, resources);
  const size = codec.vocabSize;
  const bad = ids.find((id) => !Number.isInteger(id) || id < 0 || id >= size);
  if (bad !== undefined) throw new Error(`ID ${bad} is not in the vocabulary of ${ref.label} (IDs 0–${size - 1}).`);
  return {
    text: codec.decode(ids),
    tokens: ids.slice(0, tokenLimit).map((id) => ({ id, piece: codec.piece(id), bytes: hexBytes(codec.tokenBytes(id)) })),
  };
}

/**
 * An ID outside the vocabulary almost always means the IDs were made by another tokenizer than
 * the one Decode was given: say which made them and which Decode has, so the fix is plain.
 */
export function withProvenance(error: unknown, madeBy: string, given: string): string {
  const message = error instanceof Error ? error.message : String(error);
  if (madeBy === given || !/not in .*vocabulary/.test(message)) return message;
  return `${message} These IDs were made by ${madeBy}, but this Decode node is given ${given}: connect its tokenizer input to the ${madeBy} tokenizer that made them.`;
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

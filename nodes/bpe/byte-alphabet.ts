/**
 * The order of the 256 byte tokens in byte-level BPE vocabularies.
 *
 * GPT-2's encoder.json and HF's trainer both list the byte tokens sorted by their ByteLevel
 * stand-in character (byte-level.ts), not by byte value: first the printable bytes '!'…'~',
 * '¡'…'¬', '®'…'ÿ' (188 of them), then the 68 remapped ones 'Ā' (byte 0) … 'Ń' (byte 0xAD).
 *
 *   BYTES_IN_VOCAB_ORDER[0] === 0x21      // '!' is token 0 in GPT-2
 *   BYTE_RANK[0x20] === 220               // ' ' ('Ġ') is token 220 in GPT-2
 *
 * Not handled here: the mapping itself (byte-level.ts), special tokens.
 */
import { BYTE_TO_CHAR } from '../pretokenize/byte-level';

/** Bytes sorted by the code point of their ByteLevel character. */
export const BYTES_IN_VOCAB_ORDER: readonly number[] = Array.from({ length: 256 }, (_, b) => b).sort(
  (a, b) => BYTE_TO_CHAR[a]!.charCodeAt(0) - BYTE_TO_CHAR[b]!.charCodeAt(0),
);

/** BYTE_RANK[b]: position of byte b in BYTES_IN_VOCAB_ORDER. */
export const BYTE_RANK: Uint8Array = (() => {
  const rank = new Uint8Array(256);
  BYTES_IN_VOCAB_ORDER.forEach((b, i) => (rank[b] = i));
  return rank;
})();

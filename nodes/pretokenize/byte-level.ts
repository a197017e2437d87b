/**
 * GPT-2's byte-to-character mapping ("ByteLevel").
 *
 * Byte-level BPE works on bytes, but vocab files are text, so every byte 0..255 is given a
 * printable stand-in character. Printable Latin-1 bytes map to themselves; the other 68
 * (control characters, space, 0x7F..0xA0, 0xAD) map to U+0100 onwards in byte order. Space
 * (0x20) is the 33rd of those, so it becomes U+0120 'Ġ'; newline (0x0A) becomes U+010A 'Ċ'.
 *
 *   toByteLevel(' love') === 'Ġlove'
 *   fromByteLevel('Ġlove') === ' love'
 *
 * Not handled here: splitting text into pieces (pretokenize.ts).
 */

function buildByteToChar(): string[] {
  const printable = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  const table: string[] = new Array(256);
  let next = 0;
  for (let b = 0; b < 256; b++) {
    table[b] = String.fromCharCode(printable(b) ? b : 256 + next++);
  }
  return table;
}

/** BYTE_TO_CHAR[b] is the printable stand-in for byte b. */
export const BYTE_TO_CHAR: readonly string[] = buildByteToChar();

/** Inverse of BYTE_TO_CHAR. */
export const CHAR_TO_BYTE: ReadonlyMap<string, number> = new Map(BYTE_TO_CHAR.map((c, b) => [c, b]));

const encoder = new TextEncoder();

/** UTF-8 encode (lone surrogates become U+FFFD's bytes, as TextEncoder does), then map each byte. */
export function toByteLevel(text: string): string {
  // ASCII needs no encoder: one byte per code unit (the common case for words).
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) return toByteLevelSlow(text);
    out += BYTE_TO_CHAR[c]!;
  }
  return out;
}

function toByteLevelSlow(text: string): string {
  const bytes = encoder.encode(text);
  let out = '';
  for (const b of bytes) out += BYTE_TO_CHAR[b]!;
  return out;
}

/** Map stand-in characters back to bytes. Throws on a character that is not a stand-in. */
export function byteLevelToBytes(shown: string): Uint8Array {
  const out = new Uint8Array(shown.length);
  for (let i = 0; i < shown.length; i++) {
    const b = CHAR_TO_BYTE.get(shown[i]!);
    if (b === undefined) throw new Error(`'${shown[i]}' is not a ByteLevel character`);
    out[i] = b;
  }
  return out;
}

export function fromByteLevel(shown: string): string {
  return new TextDecoder().decode(byteLevelToBytes(shown));
}

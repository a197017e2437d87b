/**
 * A UTF-8 byte stream cut into its characters, with each character's byte range, following the
 * WHATWG decoder: a bad sequence is cut at its maximal valid prefix, so a byte called invalid
 * here is one TextDecoder would turn into U+FFFD. Hand-written because TextDecoder gives the
 * text, not which bytes made each character, which the token views need.
 *
 *   decodeStream([0x61, 0xE0, 0xAC, 0x9C, 0xFF])
 *     // [{ start: 0, end: 1, char: 'a' }, { start: 1, end: 4, char: 'ଜ' }, { start: 4, end: 5, char: null }]
 *
 * Not handled here: what a token shows (token-text.ts).
 */

/** One decoded unit of a byte stream: a character or one invalid byte run, with its byte range. */
export interface Decoded {
  start: number;
  end: number;
  char: string | null;
}

/** Length of the UTF-8 sequence starting at `at`, 0 if it is not a valid one (WHATWG rules). */
function sequenceLength(bytes: readonly number[], at: number): number {
  const lead = bytes[at]!;
  if (lead < 0x80) return 1;
  let need: number;
  let low = 0x80;
  let high = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) need = 1;
  else if (lead >= 0xe0 && lead <= 0xef) {
    need = 2;
    if (lead === 0xe0) low = 0xa0;
    if (lead === 0xed) high = 0x9f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    need = 3;
    if (lead === 0xf0) low = 0x90;
    if (lead === 0xf4) high = 0x8f;
  } else return 0;
  for (let k = 1; k <= need; k++) {
    const b = bytes[at + k];
    if (b === undefined || b < low || b > high) return 0;
    low = 0x80;
    high = 0xbf;
  }
  return need + 1;
}

/** Characters of a byte stream with their byte ranges; a byte that starts no valid character is its own unit. */
export function decodeStream(bytes: readonly number[]): Decoded[] {
  const out: Decoded[] = [];
  let at = 0;
  while (at < bytes.length) {
    const length = sequenceLength(bytes, at);
    if (length === 0) {
      out.push({ start: at, end: at + 1, char: null });
      at++;
    } else {
      out.push({ start: at, end: at + length, char: new TextDecoder().decode(Uint8Array.from(bytes.slice(at, at + length))) });
      at += length;
    }
  }
  return out;
}

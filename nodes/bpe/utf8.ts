/**
 * UTF-8 encoding of a slice of a string into a reusable buffer, without allocating.
 *
 *   const buf = new Uint8Array(64);
 *   encodeUtf8Into('hé!', 0, 3, buf)   // 4: buf starts 68 C3 A9 21
 *
 * BPE encodes millions of short pieces; TextEncoder allocates a new array for each. A lone
 * surrogate is written as U+FFFD (EF BF BD), exactly as TextEncoder does, so the bytes (and the
 * token ids) are those of `text.toWellFormed()`.
 *
 * Not handled here: decoding (TextDecoder does that well), other encodings.
 */

/** Upper bound on the UTF-8 length of text[start, end). */
export function maxUtf8Length(start: number, end: number): number {
  return (end - start) * 3;
}

/** Writes the UTF-8 bytes of text[start, end) into out (which must hold maxUtf8Length) and returns their count. */
export function encodeUtf8Into(text: string, start: number, end: number, out: Uint8Array): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      out[n++] = c;
    } else if (c < 0x800) {
      out[n++] = 0xc0 | (c >> 6);
      out[n++] = 0x80 | (c & 0x3f);
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const low = i + 1 < end ? text.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && low >= 0xdc00 && low <= 0xdfff) {
        c = (c - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
        i++;
        out[n++] = 0xf0 | (c >> 18);
        out[n++] = 0x80 | ((c >> 12) & 0x3f);
        out[n++] = 0x80 | ((c >> 6) & 0x3f);
        out[n++] = 0x80 | (c & 0x3f);
      } else {
        out[n++] = 0xef; // lone surrogate -> U+FFFD
        out[n++] = 0xbf;
        out[n++] = 0xbd;
      }
    } else {
      out[n++] = 0xe0 | (c >> 12);
      out[n++] = 0x80 | ((c >> 6) & 0x3f);
      out[n++] = 0x80 | (c & 0x3f);
    }
  }
  return n;
}

/**
 * encodeUtf8Into for code units held in a Uint16Array (count-words.ts keeps words that way):
 * the same bytes, lone surrogates as U+FFFD.
 */
export function encodeUtf16UnitsInto(units: Uint16Array, start: number, end: number, out: Uint8Array): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    let c = units[i]!;
    if (c < 0x80) {
      out[n++] = c;
    } else if (c < 0x800) {
      out[n++] = 0xc0 | (c >> 6);
      out[n++] = 0x80 | (c & 0x3f);
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const low = i + 1 < end ? units[i + 1]! : 0;
      if (c <= 0xdbff && low >= 0xdc00 && low <= 0xdfff) {
        c = (c - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
        i++;
        out[n++] = 0xf0 | (c >> 18);
        out[n++] = 0x80 | ((c >> 12) & 0x3f);
        out[n++] = 0x80 | ((c >> 6) & 0x3f);
        out[n++] = 0x80 | (c & 0x3f);
      } else {
        out[n++] = 0xef;
        out[n++] = 0xbf;
        out[n++] = 0xbd;
      }
    } else {
      out[n++] = 0xe0 | (c >> 12);
      out[n++] = 0x80 | ((c >> 6) & 0x3f);
      out[n++] = 0x80 | (c & 0x3f);
    }
  }
  return n;
}

/**
 * What a text is made of, before any tokenizer touches it: UTF-16 code units (what JavaScript
 * counts), Unicode code points (what a person would call characters, roughly), UTF-8 bytes
 * (what byte-level BPE starts from), and which scripts appear.
 *
 *   describeText('é')        // { codeUnits: 1, codePoints: 1, utf8Bytes: 2, ... }
 *   describeText('👋🏽')       // { codeUnits: 4, codePoints: 2, utf8Bytes: 8, ... }
 *
 * Not handled here: grapheme clusters (a flag or a family emoji is several code points;
 * we say so rather than segmenting).
 */

export interface CharacterRow {
  char: string;
  codePoint: string;
  utf8: string;
}

export interface TextDescription {
  codeUnits: number;
  codePoints: number;
  utf8Bytes: number;
  lines: number;
  words: number;
  /** Positions (code-unit offsets) of lone surrogates: text that is not valid Unicode. */
  loneSurrogates: number[];
  scripts: { script: string; codePoints: number }[];
  /** When the text is longer than this many code points, `scripts` counts only its start. */
  scriptsCountedIn: number | null;
  /** The first characters with their code point and UTF-8 bytes: "why numbers". */
  firstCharacters: CharacterRow[];
}

/** Scripts are counted in the first this many code points (a per-character test; 2 MB would lag typing). */
export const SCRIPT_COUNT_LIMIT = 200_000;
const SCRIPTS = ['Latin', 'Oriya', 'Devanagari', 'Han', 'Hiragana', 'Katakana', 'Cyrillic', 'Greek', 'Arabic'] as const;
const SCRIPT_RES = SCRIPTS.map((s) => [s === 'Oriya' ? 'Odia' : s, new RegExp(`\\p{Script=${s}}`, 'u')] as const);
const encoder = new TextEncoder();

export function hex(n: number, width = 4): string {
  return n.toString(16).toUpperCase().padStart(width, '0');
}

export function describeCharacter(char: string): CharacterRow {
  const cp = char.codePointAt(0) ?? 0;
  const isLone = char.length === 1 && cp >= 0xd800 && cp <= 0xdfff;
  const bytes = isLone ? [] : [...encoder.encode(char)];
  return {
    char,
    codePoint: `U+${hex(cp)}`,
    utf8: isLone ? 'invalid (lone surrogate)' : bytes.map((b) => hex(b, 2)).join(' '),
  };
}

export function findLoneSurrogates(text: string, limit = 100): number[] {
  const found: number[] = [];
  if (text.isWellFormed()) return found;
  for (let i = 0; i < text.length && found.length < limit; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
      else found.push(i);
    } else if (c >= 0xdc00 && c <= 0xdfff) found.push(i);
  }
  return found;
}

const LATIN = SCRIPT_RES.findIndex(([name]) => name === 'Latin');
/** The counted script (an index into SCRIPT_RES, -1 for none) of each code point seen so far; a text uses few, bounded all the same. */
const scriptCache = new Map<number, number>();
const SCRIPT_CACHE_MAX = 65_536;

function scriptOf(codePoint: number): number {
  let script = scriptCache.get(codePoint);
  if (script === undefined) {
    const ch = String.fromCodePoint(codePoint);
    script = SCRIPT_RES.findIndex(([, re]) => re.test(ch));
    if (scriptCache.size < SCRIPT_CACHE_MAX) scriptCache.set(codePoint, script);
  }
  return script;
}

/** JavaScript's `\s` (what `/\S+/` splits words on), by code unit; no astral character is one. */
function isSpace(c: number): boolean {
  return (
    (c >= 0x09 && c <= 0x0d) ||
    c === 0x20 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/**
 * One pass by code unit: the Text node describes its text on every keystroke, and a 50 KB text
 * read by `for…of` with nine script regexes per character, `split` and `match` took 5 ms. ASCII
 * needs no regex (its letters are Latin, the rest Common); UTF-8 lengths come from the code
 * units (a lone surrogate counts as U+FFFD's three bytes, as TextEncoder writes it).
 */
export function describeText(text: string, firstN = 24): TextDescription {
  // Counts by index into SCRIPT_RES, and the order in which each script was first seen (the
  // order equal counts are listed in).
  const counts = new Array<number>(SCRIPT_RES.length).fill(0);
  const seen: number[] = [];
  let codePoints = 0;
  let utf8Bytes = 0;
  let newlines = 0;
  let words = 0;
  let inWord = false;
  const firstCharacters: CharacterRow[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    codePoints++;
    utf8Bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : pair ? 4 : 3;
    if (c === 0x0a) newlines++;
    const space = isSpace(c);
    if (!space && !inWord) words++;
    inWord = !space;
    if (firstCharacters.length < firstN) firstCharacters.push(describeCharacter(pair ? text.slice(i, i + 2) : text[i]!));
    if (codePoints <= SCRIPT_COUNT_LIMIT) {
      if (c < 0x80) {
        if (((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) && counts[LATIN]!++ === 0) seen.push(LATIN);
      } else {
        const script = scriptOf(pair ? text.codePointAt(i)! : c);
        if (script >= 0 && counts[script]!++ === 0) seen.push(script);
      }
    }
    if (pair) i++;
  }
  return {
    codeUnits: text.length,
    codePoints,
    utf8Bytes,
    lines: text === '' ? 0 : newlines + 1,
    words,
    loneSurrogates: findLoneSurrogates(text),
    scripts: seen.map((k) => ({ script: SCRIPT_RES[k]![0], codePoints: counts[k]! })).sort((a, b) => b.codePoints - a.codePoints),
    scriptsCountedIn: codePoints > SCRIPT_COUNT_LIMIT ? SCRIPT_COUNT_LIMIT : null,
    firstCharacters,
  };
}

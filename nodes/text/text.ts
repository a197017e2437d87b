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

export function describeText(text: string, firstN = 24): TextDescription {
  const scriptCounts = new Map<string, number>();
  let codePoints = 0;
  const firstCharacters: CharacterRow[] = [];
  for (const ch of text) {
    codePoints++;
    if (firstCharacters.length < firstN) firstCharacters.push(describeCharacter(ch));
    if (codePoints <= SCRIPT_COUNT_LIMIT) {
      for (const [name, re] of SCRIPT_RES) {
        if (re.test(ch)) {
          scriptCounts.set(name, (scriptCounts.get(name) ?? 0) + 1);
          break;
        }
      }
    }
  }
  return {
    codeUnits: text.length,
    codePoints,
    utf8Bytes: encoder.encode(text).length,
    lines: text === '' ? 0 : text.split('\n').length,
    words: (text.match(/\S+/gu) ?? []).length,
    loneSurrogates: findLoneSurrogates(text),
    scripts: [...scriptCounts].map(([script, n]) => ({ script, codePoints: n })).sort((a, b) => b.codePoints - a.codePoints),
    scriptsCountedIn: codePoints > SCRIPT_COUNT_LIMIT ? SCRIPT_COUNT_LIMIT : null,
    firstCharacters,
  };
}

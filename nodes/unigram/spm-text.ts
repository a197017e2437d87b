/**
 * SentencePiece's text handling around the Unigram model, as spm_train and spm_encode do it with
 * `--normalization_rule_name=identity`: whitespace made visible as '▁', words, and which
 * substrings may become pieces.
 *
 *   spmNormalize('  Hello   world ')   // '▁Hello▁world' (spaces trimmed and collapsed, '▁' prefix)
 *   spmWords('▁Hello▁world')           // ['▁Hello', '▁world']
 *   const cps = (s: string) => [...s].map((c) => c.codePointAt(0)!);
 *   isValidPiece(cps('▁the'))   // true
 *   isValidPiece(cps('the▁'))   // false: '▁' only as the first character
 *   isValidPiece(cps('a,'))     // false: Latin then Common, two scripts
 *
 * Rules kept from SentencePiece: only U+0020 is whitespace (identity rule: tabs stay); a piece is
 * at most maxPieceLength code points, never holds '▁' after its first character, U+2585 (its
 * stand-in for rare characters), NUL or a tab; with split_by_unicode_script, one script per piece
 * (Hiragana and Katakana count as Han, combining marks take the script before them).
 *
 * Not handled here: SentencePiece's NFKC-based rules (nmt_nfkc): run Clean first for that;
 * scripts V8 knows and SentencePiece's older table does not (they count as different scripts
 * here and as Common there).
 */

export const SPACE = '\u2581';
/** SentencePiece's stand-in for characters outside character_coverage. */
export const UNK_CHAR = '\u2585';
export const UNK_CODE = 0x2585;
export const SPACE_CODE = 0x2581;

/** spm's Normalizer with remove_extra_whitespaces and escape_whitespaces on. */
export function spmNormalize(text: string, addDummyPrefix = true): string {
  // Most lines have single spaces only, and neither leads nor trails.
  if (text.length > 0 && text.charCodeAt(0) !== 32 && text.charCodeAt(text.length - 1) !== 32 && !text.includes('  ')) {
    return (addDummyPrefix ? SPACE : '') + text.replaceAll(' ', SPACE);
  }
  const words = text.split(' ').filter(Boolean);
  if (words.length === 0) return '';
  return (addDummyPrefix ? SPACE : '') + words.join(SPACE);
}

/** SplitIntoWords: a new word at the start and at every '▁'. */
export function spmWords(normalized: string): string[] {
  const words: string[] = [];
  let start = 0;
  for (let i = 1; i < normalized.length; i++) {
    if (normalized.charCodeAt(i) === SPACE_CODE) {
      words.push(normalized.slice(start, i));
      start = i;
    }
  }
  if (normalized.length > 0) words.push(normalized.slice(start));
  return words;
}

const SCRIPTS = (
  'Latin Greek Cyrillic Armenian Hebrew Arabic Syriac Thaana Devanagari Bengali Gurmukhi Gujarati Oriya Tamil Telugu ' +
  'Kannada Malayalam Sinhala Thai Lao Tibetan Myanmar Georgian Hangul Ethiopic Cherokee Canadian_Aboriginal Ogham Runic ' +
  'Khmer Mongolian Hiragana Katakana Bopomofo Han Yi Old_Italic Gothic Deseret Inherited Tagalog Hanunoo Buhid Tagbanwa ' +
  'Limbu Tai_Le Linear_B Ugaritic Shavian Osmanya Cypriot Braille Buginese Coptic New_Tai_Lue Glagolitic Tifinagh ' +
  'Syloti_Nagri Old_Persian Kharoshthi Balinese Cuneiform Phoenician Phags_Pa Nko Sundanese Lepcha Ol_Chiki Vai ' +
  'Saurashtra Kayah_Li Rejang Lycian Carian Lydian Cham Tai_Tham Tai_Viet Avestan Egyptian_Hieroglyphs Samaritan Lisu ' +
  'Bamum Javanese Meetei_Mayek Imperial_Aramaic Old_South_Arabian Inscriptional_Parthian Inscriptional_Pahlavi ' +
  'Old_Turkic Kaithi Batak Brahmi Mandaic Chakma Meroitic_Cursive Meroitic_Hieroglyphs Miao Sharada Sora_Sompeng Takri ' +
  'Adlam Osage Tangut Nushu Wancho'
)
  .split(' ')
  .map((name) => [name, new RegExp(`^\\p{Script=${name}}$`, 'u')] as const);

const scriptCache = new Map<number, string>();
/** The Unicode script of a code point as SentencePiece groups them ('Common' when none applies). */
export function scriptOf(cp: number): string {
  let script = scriptCache.get(cp);
  if (script === undefined) {
    const c = String.fromCodePoint(cp);
    script = SCRIPTS.find(([, re]) => re.test(c))?.[0] ?? 'Common';
    if (script === 'Hiragana' || script === 'Katakana' || cp === 0x30fc) script = 'Han';
    scriptCache.set(cp, script);
  }
  return script;
}

export interface PieceRules {
  maxPieceLength: number;
  splitByUnicodeScript: boolean;
}

export const DEFAULT_PIECE_RULES: PieceRules = { maxPieceLength: 16, splitByUnicodeScript: true };

/** IsValidSentencePiece with split_by_whitespace on, split_by_number on, split_digits off. */
export function isValidPiece(cps: ArrayLike<number>, rules: PieceRules = DEFAULT_PIECE_RULES, from = 0, to = cps.length): boolean {
  const n = to - from;
  if (n <= 0 || n > rules.maxPieceLength) return false;
  let prev: string | null = null;
  for (let k = from; k < to; k++) {
    const c = cps[k]!;
    if (c === UNK_CODE || c === 0 || c === 9 || c === 0x20 || (c >= 0xd800 && c < 0xe000) || c > 0x10ffff) return false;
    if (c === SPACE_CODE) {
      if (k > from) return false;
      continue;
    }
    let s = scriptOf(c);
    if (s === 'Inherited') s = prev ?? 'Inherited';
    if (rules.splitByUnicodeScript && prev !== null && s !== 'Inherited' && prev !== 'Inherited' && prev !== s) return false;
    prev = s;
  }
  return true;
}

/** Code point order (UTF-8 byte order, as std::string compares), not UTF-16 order. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate (an astral code point) sorts after every BMP character.
    const sx = x >= 0xd800 && x < 0xe000;
    const sy = y >= 0xd800 && y < 0xe000;
    if (sx !== sy) return sx ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

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
import { WordCounter } from '../bpe/count-words';

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

/** A word of a corpus: how often it occurs, and how often of those it ends a sentence. */
export interface CountedWord {
  word: string;
  count: number;
  ends: number;
}

/**
 * Counts the words of lines as spmWords(spmNormalize(line)) cuts them, with spm_train's
 * replacement of <unk>, <s> and </s> by a tab, without building each normalised line: a line's
 * words are its space-separated tokens, each with '▁' in front (a '▁' inside a token starts
 * another word).
 *
 *   const counter = new SpmWordCounter(true);
 *   counter.add('the cat  the');   // true
 *   counter.words                  // [{ word: '▁the', count: 2, ends: 1 }, { word: '▁cat', count: 1, ends: 0 }]
 *   counter.add('   ')             // false: empty once normalised
 */
export class SpmWordCounter {
  readonly words: CountedWord[] = [];
  /**
   * Words by key, hashed where they lie in the line (no string per occurrence). Key: the word
   * without its leading '▁', or ' ' + the word for a first word that has none.
   */
  private readonly index = new WordCounter();

  constructor(private readonly addDummyPrefix = true) {}

  /** Counts one line's words; false if the line is empty once normalised. */
  add(line: string): boolean {
    let last = -1;
    if (this.addDummyPrefix && !line.includes('<') && !line.includes(SPACE)) {
      // Most lines: every space-separated token is one word.
      for (let start = 0; start < line.length; ) {
        let end = line.indexOf(' ', start);
        if (end < 0) end = line.length;
        if (end > start) last = this.count(line, start, end);
        start = end + 1;
      }
    } else {
      let first = !this.addDummyPrefix;
      for (let token of line.split(' ')) {
        if (token === '') continue;
        if (token.includes('<')) token = token.replace(/<unk>|<s>|<\/s>/g, '\t');
        if (!token.includes(SPACE)) {
          last = this.countKey(first ? ' ' + token : token);
          first = false;
          continue;
        }
        const parts = token.split(SPACE);
        for (let i = 0; i < parts.length; i++) {
          // Without the dummy prefix, a line that starts with '▁' has it in its first word.
          if (first && i === 0) {
            if (parts[0] !== '') last = this.countKey(' ' + parts[0]);
            continue;
          }
          last = this.countKey(parts[i]!);
        }
        first = false;
      }
    }
    if (last < 0) return false;
    this.words[last]!.ends++;
    return true;
  }

  private countKey(key: string): number {
    return this.count(key, 0, key.length);
  }

  /** Counts the word whose key is text[start, end). */
  private count(text: string, start: number, end: number): number {
    const w = this.index.countPiece(text, start, end);
    if (w === this.words.length) {
      this.words.push({ word: text.charCodeAt(start) === 32 ? text.slice(start + 1, end) : SPACE + text.slice(start, end), count: 0, ends: 0 });
    }
    this.words[w]!.count++;
    return w;
  }
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

const COMMON = 1;
const INHERITED = 2;
const HAN = 3 + SCRIPTS.findIndex(([name]) => name === 'Han');
/** Script ids by code point, filled as met (0: not looked up yet); a piece check runs millions of times. */
const scriptIds = new Uint8Array(0x110000);

/** The Unicode script of a code point as SentencePiece groups them: an id (1 Common, 2 Inherited, 3… SCRIPTS). */
function scriptIdOf(cp: number): number {
  let id = scriptIds[cp]!;
  if (id === 0) {
    const c = String.fromCodePoint(cp);
    const index = SCRIPTS.findIndex(([, re]) => re.test(c));
    const name = index < 0 ? 'Common' : SCRIPTS[index]![0];
    id = name === 'Inherited' ? INHERITED : index < 0 ? COMMON : 3 + index;
    if (name === 'Hiragana' || name === 'Katakana' || cp === 0x30fc) id = HAN;
    scriptIds[cp] = id;
  }
  return id;
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
  let prev = 0; // no script yet
  for (let k = from; k < to; k++) {
    const c = cps[k]!;
    if (c === UNK_CODE || c === 0 || c === 9 || c === 0x20 || (c >= 0xd800 && c < 0xe000) || c > 0x10ffff) return false;
    if (c === SPACE_CODE) {
      if (k > from) return false;
      continue;
    }
    let s = scriptIdOf(c);
    if (s === INHERITED) s = prev || INHERITED;
    if (rules.splitByUnicodeScript && prev !== 0 && s !== INHERITED && prev !== INHERITED && prev !== s) return false;
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

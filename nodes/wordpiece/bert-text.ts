/**
 * BERT's text pipeline before WordPiece, as Hugging Face `tokenizers` runs it: the BertNormalizer
 * (clean text, pad CJK ideographs with spaces, strip accents, lowercase) and the BertPreTokenizer
 * (split on whitespace, every punctuation character alone).
 *
 *   bertWords('Héllo, World!')            // ['hello', ',', 'world', '!']
 *   bertWords('Héllo', { lowercase: false, stripAccents: false })   // ['Héllo']
 *
 * Two paths that give the same words (a test holds them together; count-bert-words.ts is a third):
 * - `bertWords` normalises the whole string with regexes;
 * - `bertPieces` normalises one code point at a time and keeps each word's offsets in the
 *   original text, for encoding what the learner typed.
 *
 * HF's corners kept: clean_text drops NUL, U+FFFD and every "other" character (controls, format
 * characters, unassigned, private use, surrogates) except \t \n \r, and turns whitespace into ' ';
 * strip_accents (NFD, then drop nonspacing marks Mn) follows `lowercase` unless set; lowercasing is
 * per character, so a final 'Σ' becomes 'σ', not the 'ς' JavaScript's toLowerCase gives. A lone
 * surrogate is removed by clean_text (HF sees U+FFFD there and removes that).
 *
 * Not handled here: Unicode-version differences between V8's tables and the Rust crates HF uses
 * (a character assigned in a recent Unicode is "unassigned" for HF and cleaned away); canonical
 * reordering of combining marks across two input characters in the per-code-point path.
 */
export interface BertTextOptions {
  /** Drop control characters, turn whitespace into spaces. Default true. */
  cleanText: boolean;
  /** Put spaces around CJK ideographs, so each is a word. Default true. */
  handleChineseChars: boolean;
  /** NFD, then drop nonspacing marks (é -> e; also Odia's vowel signs ି ୁ and virama ୍). null: follow lowercase. */
  stripAccents: boolean | null;
  lowercase: boolean;
}

export const BERT_TEXT_DEFAULTS: BertTextOptions = { cleanText: true, handleChineseChars: true, stripAccents: null, lowercase: true };

const CONTROL = /(?![\t\n\r])[\p{C}\uFFFD]/gu;
const WHITESPACE = /[\t\n\r\p{White_Space}]/gu;
const CJK = /[\u4E00-\u9FFF\u3400-\u4DBF\u{20000}-\u{2A6DF}\u{2A700}-\u{2B73F}\u{2B740}-\u{2B81F}\u{2B920}-\u{2CEAF}\uF900-\uFAFF\u{2F800}-\u{2FA1F}]/gu;
const NONSPACING = /\p{Mn}/gu;
/** A BERT word: a run of neither whitespace nor punctuation, or one punctuation character. */
const WORD = /[^\p{White_Space}\p{P}!-/:-@[-`{-~]+|[\p{P}!-/:-@[-`{-~]/gu;
export const IS_WHITESPACE = /^\p{White_Space}$/u;
export const IS_PUNCTUATION = /^[\p{P}!-/:-@[-`{-~]$/u;

export const stripsAccents = (o: BertTextOptions) => o.stripAccents ?? o.lowercase;

// A scan before replacing: on a long string with nothing to change, one loop over a table of
// BMP characters is much cheaper than three Unicode-class regexes (any surrogate: all three run).
const IS_CONTROL = new RegExp(CONTROL.source, 'u');
const IS_CJK = new RegExp(CJK.source, 'u');
const LOOKED_UP = 1;
const HAS_CONTROL = 2;
const HAS_WHITESPACE = 4; // other than ' ' and '\n' (replaced without a regex)
const HAS_CJK = 8;
/** What each BMP character needs, filled as met. */
const charTable = new Uint8Array(0x10000);

function needs(s: string): number {
  let found = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 0x20 && c < 0x7f) || c === 0x0a) continue;
    if (c >= 0xd800 && c < 0xe000) return HAS_CONTROL | HAS_WHITESPACE | HAS_CJK;
    let kind = charTable[c]!;
    if (kind === 0) {
      const ch = String.fromCharCode(c);
      kind = LOOKED_UP | (IS_CONTROL.test(ch) ? HAS_CONTROL : 0) | (IS_WHITESPACE.test(ch) ? HAS_WHITESPACE : 0) | (IS_CJK.test(ch) ? HAS_CJK : 0);
      charTable[c] = kind;
    }
    found |= kind;
  }
  return found;
}

/** The BertNormalizer on a whole string. */
export function bertNormalize(text: string, options: BertTextOptions = BERT_TEXT_DEFAULTS): string {
  let s = text;
  const found = options.cleanText || options.handleChineseChars ? needs(s) : 0;
  if (options.cleanText) {
    if (found & HAS_CONTROL) s = s.replace(CONTROL, '');
    s = s.replaceAll('\n', ' ');
    if (found & HAS_WHITESPACE) s = s.replace(WHITESPACE, ' ');
  }
  if (options.handleChineseChars && found & HAS_CJK) s = s.replace(CJK, ' $& ');
  if (stripsAccents(options)) s = s.normalize('NFD').replace(NONSPACING, '');
  if (options.lowercase) s = s.replace(/\u03A3/g, '\u03C3').toLowerCase();
  return s;
}

/** Normalised text cut into BERT words. */
export function bertWords(text: string, options: BertTextOptions = BERT_TEXT_DEFAULTS): string[] {
  return bertNormalize(text, options).match(WORD) ?? [];
}

/** A word with the UTF-16 range of the original text it came from. */
export interface BertPiece {
  word: string;
  start: number;
  end: number;
}

const singleCache = new Map<string, string>();
/** What the normalizer makes of one code point. */
function normalizeOne(c: string, options: BertTextOptions): string {
  const key = `${+options.cleanText}${+options.handleChineseChars}${+stripsAccents(options)}${+options.lowercase}${c}`;
  let out = singleCache.get(key);
  if (out === undefined) {
    out = bertNormalize(c, options);
    if (singleCache.size > 50_000) singleCache.clear();
    singleCache.set(key, out);
  }
  return out;
}

/** The same words as `bertWords`, each with its offsets in `text`. */
export function bertPieces(text: string, options: BertTextOptions = BERT_TEXT_DEFAULTS): BertPiece[] {
  const pieces: BertPiece[] = [];
  let word = '';
  let start = 0;
  let end = 0;
  const flush = () => {
    if (word) pieces.push({ word, start, end });
    word = '';
  };
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    const next = i + (cp > 0xffff ? 2 : 1);
    for (const ch of normalizeOne(text.slice(i, next), options)) {
      if (IS_WHITESPACE.test(ch)) flush();
      else if (IS_PUNCTUATION.test(ch)) {
        flush();
        pieces.push({ word: ch, start: i, end: next });
      } else {
        if (!word) start = i;
        word += ch;
        end = next;
      }
    }
    i = next;
  }
  flush();
  return pieces;
}

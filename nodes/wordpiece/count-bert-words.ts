/**
 * Counting BERT words for WordPiece training, on megabytes: the same words as `bertWords`
 * (bert-text.ts), counted into the BPE trainer's hash table (bpe/count-words.ts) in first-seen
 * order, mostly without making a string per word.
 *
 *   const counter = new WordCounter();
 *   countBertWordsWith(counter, 'ଓଡ଼ିଆ ଭାଷା। ଓଡ଼ିଆ', ODIA_TEXT);
 *   counter.finish()   // 3 words: 'ଓଡ଼ିଆ' ×2, 'ଭାଷା', '।'
 *
 * Not handled here: offsets into the original text (bertPieces), the merges (train-wordpiece.ts).
 */
import { WordCounter, wordAt } from '../bpe/count-words';
import { growInt32 } from '../bpe/merge-state';
import { bertNormalize, bertWords, IS_PUNCTUATION, IS_WHITESPACE, stripsAccents, type BertTextOptions } from './bert-text';

const NO_NORMALIZER: BertTextOptions = { cleanText: false, handleChineseChars: false, stripAccents: false, lowercase: false };
/** Anything but tab, newline, carriage return and printable ASCII. */
const NOT_PLAIN = /[^\t\n\r\x20-\x7E]/g;
const PLAIN_WORD = /[0-9A-Za-z]+|[!-/:-@[-`{-~]/g;
const isAsciiSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/** Non-ASCII words this close together go through bertWords as one stretch (up to STRETCH_LIMIT). */
const MERGE_GAP = 256;
const STRETCH_LIMIT = 1 << 20;

/**
 * Counts the BERT words of `text` into `counter` (its hash table; first-seen order), as bertWords
 * would cut them (null: no normaliser). Without accent stripping, one loop over a table of what
 * the normaliser does to each BMP character (countByTable); with it (NFD reorders marks across
 * characters), the regex path below. Both agree with bertWords because every other step of the
 * normaliser is local and ASCII spaces always separate words.
 */
export function countBertWordsWith(counter: WordCounter, text: string, options: BertTextOptions | null): void {
  const o = options ?? NO_NORMALIZER;
  if (stripsAccents(o)) countByRegex(counter, text, o);
  else countByTable(counter, text, o);
}

/** The same count into a Map (tests; the trainer keeps the counter). */
export function countBertWordsInto(text: string, options: BertTextOptions | null, counts: Map<string, number>): void {
  const counter = new WordCounter();
  countBertWordsWith(counter, text, options);
  const table = counter.finish();
  for (let w = 0; w < table.size; w++) {
    const word = wordAt(table, w);
    counts.set(word, (counts.get(word) ?? 0) + table.count[w]!);
  }
}

// What the normaliser makes of one BMP character on its own, for countByTable.
const PART = 1; // itself, inside a word
const SPACE = 2; // whitespace (or made one): ends a word
const ALONE = 3; // punctuation, or a CJK ideograph padded with spaces: a word by itself
const DROP = 4; // removed by clean_text, also from inside a word ('a\u0000b' is 'ab')
const OTHER = 5; // changed otherwise (lowercased), or a surrogate: bertWords on its stretch
const classTables = new Map<number, Uint8Array>();

function classOf(c: number, o: BertTextOptions): number {
  if (c >= 0xd800 && c < 0xe000) return OTHER;
  const ch = String.fromCharCode(c);
  const out = bertNormalize(ch, o);
  if (out === ch) return IS_WHITESPACE.test(ch) ? SPACE : IS_PUNCTUATION.test(ch) ? ALONE : PART;
  if (out === '') return DROP;
  if (out === ' ') return SPACE;
  return out === ` ${ch} ` ? ALONE : OTHER;
}

/** The words of the current stretch, held back until it ends (start, end, dropped inside). */
class HeldWords {
  private spans = new Int32Array(96);
  size = 0;

  hold(start: number, end: number, dropped: boolean): void {
    if (3 * this.size + 3 > this.spans.length) this.spans = growInt32(this.spans, 2 * this.spans.length);
    const at = 3 * this.size++;
    this.spans[at] = start;
    this.spans[at + 1] = end;
    this.spans[at + 2] = +dropped;
  }

  release(counter: WordCounter, text: string, table: Uint8Array): void {
    const spans = this.spans;
    for (let at = 0; at < 3 * this.size; at += 3) {
      const start = spans[at]!;
      const end = spans[at + 1]!;
      if (spans[at + 2] === 0) counter.countPiece(text, start, end);
      else {
        let word = '';
        for (let i = start; i < end; i++) if (table[text.charCodeAt(i)] !== DROP) word += text[i];
        counter.countPiece(word, 0, word.length);
      }
    }
    this.size = 0;
  }
}

/**
 * Odia's path: one pass, a class per character, words hashed where they lie. A stretch between
 * ASCII spaces holds its words back until it ends, so that a character the table cannot settle
 * (OTHER) can send the whole stretch through bertWords instead. (No closures here: V8 would
 * optimise for one call's closures and throw that code away at the next chunk.)
 */
function countByTable(counter: WordCounter, text: string, o: BertTextOptions): void {
  const key = (+o.cleanText << 2) | (+o.handleChineseChars << 1) | +o.lowercase;
  let table = classTables.get(key);
  if (!table) classTables.set(key, (table = new Uint8Array(0x10000)));
  const n = text.length;
  const held = new HeldWords();
  let stretch = 0;
  let wordStart = -1;
  let dropped = false;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    let kind = table[c]!;
    if (kind === 0) kind = table[c] = classOf(c, o);
    if (kind === PART) {
      if (wordStart < 0) wordStart = i;
      continue;
    }
    if (kind === DROP) {
      dropped ||= wordStart >= 0;
      continue;
    }
    if (wordStart >= 0) held.hold(wordStart, i, dropped);
    wordStart = -1;
    dropped = false;
    if (kind === ALONE) held.hold(i, i + 1, false);
    else if (kind === SPACE) {
      if (isAsciiSpace(c)) {
        held.release(counter, text, table);
        stretch = i + 1;
      }
    } else {
      let end = i + 1;
      while (end < n && !isAsciiSpace(text.charCodeAt(end))) end++;
      held.size = 0;
      for (const word of bertWords(text.slice(stretch, end), o)) counter.countPiece(word, 0, word.length);
      stretch = end;
      i = end - 1;
    }
  }
  if (wordStart >= 0) held.hold(wordStart, n, dropped);
  held.release(counter, text, table);
}

/**
 * Plain ASCII stretches take a fast path (a word is letters and digits, punctuation stands alone);
 * any other character sends the stretch between the ASCII spaces around it through bertWords,
 * together with the non-ASCII words that follow closely (one regex pass over a long string
 * instead of several per word).
 */
function countByRegex(counter: WordCounter, text: string, o: BertTextOptions): void {
  const add = (word: string) => counter.countPiece(word, 0, word.length);
  const plain = (from: number, to: number) => {
    if (from >= to) return;
    const s = o.lowercase ? text.slice(from, to).toLowerCase() : text.slice(from, to);
    for (const m of s.matchAll(PLAIN_WORD)) add(m[0]);
  };
  const wordEnd = (from: number) => {
    let end = from;
    while (end < text.length && !isAsciiSpace(text.charCodeAt(end))) end++;
    return end;
  };
  let cursor = 0;
  NOT_PLAIN.lastIndex = 0;
  let m = NOT_PLAIN.exec(text);
  while (m !== null) {
    let start = m.index;
    while (start > cursor && !isAsciiSpace(text.charCodeAt(start - 1))) start--;
    let end = wordEnd(m.index + 1);
    for (;;) {
      NOT_PLAIN.lastIndex = end;
      m = NOT_PLAIN.exec(text);
      if (m === null || m.index - end > MERGE_GAP || end - start > STRETCH_LIMIT) break;
      end = wordEnd(m.index + 1);
    }
    plain(cursor, start);
    for (const word of bertWords(text.slice(start, end), o)) add(word);
    cursor = end;
  }
  plain(cursor, text.length);
}

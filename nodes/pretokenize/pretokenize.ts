/**
 * Pre-tokenization: cutting text into the pieces that BPE (or WordPiece) then works on,
 * each with its UTF-16 offsets into the source. BPE never merges across two pieces.
 *
 *   pretokenize("I love NLP", "gpt2").map(p => p.text)   // ["I", " love", " NLP"]
 *   pretokenize("I love NLP", "bytelevel").map(p => p.shown) // ["I", "Ġlove", "ĠNLP"]
 *
 * Not handled here: normalization (clean/), merging (bpe/). Offsets are code units, so an
 * emoji covers two; lone surrogates pass through as their own code point and match the
 * "other symbols" class like any other non-letter.
 */
import { gpt2PieceEnd, type SplitPattern } from '../bpe/gpt2-split';
import type { Piece } from '../engine/ports';
import { toByteLevel } from './byte-level';

export const PRETOKENIZE_MODES = ['whitespace', 'bert', 'gpt2', 'gpt4', 'gpt2-marks', 'metaspace', 'bytelevel'] as const;
export type PretokenizeMode = (typeof PRETOKENIZE_MODES)[number];

/** GPT-2's pattern (OpenAI's encoder.py, tiktoken's r50k_base). */
export const GPT2_PATTERN = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

/**
 * GPT-4's pattern (tiktoken's cl100k_base). The original starts with `(?i:'s|'t|…)`; JavaScript
 * engines without inline modifiers need the case-insensitive contractions spelled out, with
 * every character case folding equates to one: ſ (U+017F, long s) folds to s.
 */
export const GPT4_PATTERN =
  /'[sSſ]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD]|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+/gu;

/**
 * GPT-2's pattern with combining marks kept inside words. `\p{L}` excludes vowel signs and
 * viramas (category M), so GPT-2's pattern cuts an Odia word like "ଭାଷା" into "ଭ", "ା", "ଷ", "ା";
 * `[\p{L}\p{M}]` keeps it whole.
 */
export const GPT2_MARKS_PATTERN =
  /'s|'t|'re|'ve|'m|'ll|'d| ?[\p{L}\p{M}]+| ?\p{N}+| ?[^\s\p{L}\p{M}\p{N}]+|\s+(?!\S)|\s+/gu;

/** BERT's basic split: runs of non-space non-punctuation, and every punctuation char alone. */
const BERT_PATTERN = /[^\s\p{P}!-/:-@[-`{-~]+|[\p{P}!-/:-@[-`{-~]/gu;
const WHITESPACE_PATTERN = /\S+/gu;

export const METASPACE = '▁';

function splitByPattern(text: string, pattern: RegExp): Piece[] {
  const re = new RegExp(pattern.source, pattern.flags); // own lastIndex: patterns are shared
  const pieces: Piece[] = [];
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const piece = m[0];
    pieces.push({ text: piece, start: m.index, end: m.index + piece.length, shown: piece });
  }
  return pieces;
}

/**
 * GPT-2's two patterns through the hand-written scanner (bpe/gpt2-split.ts), which cuts exactly
 * where the regex cuts (a property test checks it on arbitrary UTF-16) at about 3× its speed;
 * the patterns above stay the specification and what the inspector names.
 */
function splitGpt2(text: string, pattern: SplitPattern): Piece[] {
  const pieces: Piece[] = [];
  for (let start = 0; start < text.length; ) {
    const end = gpt2PieceEnd(text, start, text.length, pattern);
    const piece = text.slice(start, end);
    pieces.push({ text: piece, start, end, shown: piece });
    start = end;
  }
  return pieces;
}

/** Words repeat, so their byte-level spelling is memoised (bounded: cleared when full). */
const byteLevelMemo = new Map<string, string>();
/** Whether every code unit of s is printable ASCII ('!'…'~'), which ByteLevel writes as itself. */
function isPlainAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 33 || c > 126) return false;
  }
  return true;
}

/** A piece as ByteLevel shows it (Ġ for the space, …), memoised. */
export function showByteLevel(piece: string): string {
  if (isPlainAscii(piece)) return piece; // 'word' is shown as itself, no lookup
  let shown = byteLevelMemo.get(piece);
  if (shown === undefined) {
    shown = toByteLevel(piece);
    if (byteLevelMemo.size >= 100_000) byteLevelMemo.clear();
    byteLevelMemo.set(piece, shown);
  }
  return shown;
}

function byteLevelPieces(text: string): Piece[] {
  const pieces = splitGpt2(text, 'gpt2');
  for (const p of pieces) p.shown = showByteLevel(p.text);
  return pieces;
}

/**
 * SentencePiece style: spaces become ▁, a ▁ is prepended to the text, and a new piece starts
 * at every ▁. A run of spaces gives a run of ▁ pieces, as SentencePiece does.
 */
function splitMetaspace(text: string): Piece[] {
  const pieces: Piece[] = [];
  let start = 0;
  for (let i = 1; i <= text.length; i++) {
    if (i === text.length || text[i] === ' ') {
      if (i > start) {
        const piece = text.slice(start, i);
        const body = piece.replaceAll(' ', METASPACE);
        pieces.push({ text: piece, start, end: i, shown: start === 0 && piece[0] !== ' ' ? METASPACE + body : body });
      }
      start = i;
    }
  }
  return pieces;
}

export function pretokenize(text: string, mode: PretokenizeMode): Piece[] {
  switch (mode) {
    case 'whitespace':
      return splitByPattern(text, WHITESPACE_PATTERN);
    case 'bert':
      return splitByPattern(text, BERT_PATTERN);
    case 'gpt2':
      return splitGpt2(text, 'gpt2');
    case 'gpt4':
      return splitByPattern(text, GPT4_PATTERN);
    case 'gpt2-marks':
      return splitGpt2(text, 'gpt2-marks');
    case 'metaspace':
      return splitMetaspace(text);
    case 'bytelevel':
      return byteLevelPieces(text);
  }
}

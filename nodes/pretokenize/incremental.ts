/**
 * Pre-tokenization after an edit: cut again only around the edit and splice the result into the
 * previous pieces, for the keystroke path (the text changes by a character, the pieces by one or
 * two). The result is exactly what `pretokenize` gives on the whole new text; a property test
 * checks that for random edits anywhere (inside surrogate pairs, CRLF, runs of spaces, Odia).
 *
 *   const before = pretokenize('I love NLP', 'gpt2');            // I | ␣love | ␣NLP
 *   pretokenizeAfterEdit({ text: 'I love NLP', pieces: before }, 'I glove NLP', 'gpt2')
 *   // I | ␣glove | ␣NLP: "I" and " glove" cut anew (the edit is within 3 units of "I"'s end),
 *   // " NLP" reused with offsets moved by 1
 *
 * Why it is exact (GPT-2's scanner, bpe/gpt2-split.ts): the scanner cuts a piece [start, end)
 * reading only the text in [start, end + 3) (a run's stopping character, at most two code
 * units, after a whitespace run that gave back its last space), and it continues at `end`. So
 * every old piece ending 3 or more units before the first changed unit is cut the same in the
 * new text, and the scan can restart at the start of the first piece after those. Going
 * forward, once a new piece ends inside the unchanged tail at a place where an old piece also
 * ended, the rest of the text is the same from there on, so the rest of the pieces are the old
 * ones, moved by the change in length.
 *
 * Not handled here: the modes cut by a regex (whitespace, BERT, GPT-4) and Metaspace are cut in
 * full (`pretokenize`); a regex's lookahead is not bounded the way the scanner's is.
 */
import { gpt2PieceEnd, type SplitPattern } from '../bpe/gpt2-split';
import type { Piece } from '../engine/ports';
import { pretokenize, showByteLevel, type PretokenizeMode } from './pretokenize';

/** How far past a piece's end the scanner may read (see the header). */
const READS_PAST_END = 3;

const SCANNED: Partial<Record<PretokenizeMode, SplitPattern>> = { gpt2: 'gpt2', bytelevel: 'gpt2', 'gpt2-marks': 'gpt2-marks' };

export interface PreviousCut {
  text: string;
  pieces: readonly Piece[];
}

/** Index of the first piece whose start is greater than `at` (pieces sorted by start). */
function firstStartingAfter(pieces: readonly Piece[], at: number): number {
  let lo = 0;
  let hi = pieces.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pieces[mid]!.start <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The pieces of `text`, reusing those of `previous` (a cut of another text in the same mode). */
export function pretokenizeAfterEdit(previous: PreviousCut, text: string, mode: PretokenizeMode): Piece[] {
  const pattern = SCANNED[mode];
  if (pattern === undefined) return pretokenize(text, mode);
  const old = previous.text;
  if (old === text) return previous.pieces.slice();
  const shorter = Math.min(old.length, text.length);
  let prefix = 0;
  while (prefix < shorter && old.charCodeAt(prefix) === text.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < shorter - prefix && old.charCodeAt(old.length - 1 - suffix) === text.charCodeAt(text.length - 1 - suffix)) suffix++;
  const delta = text.length - old.length;
  const tail = text.length - suffix; // new text is unchanged from here to its end

  // Keep the old pieces that end READS_PAST_END or more before the first change.
  const pieces = previous.pieces;
  let keep = firstStartingAfter(pieces, prefix - READS_PAST_END);
  while (keep > 0 && pieces[keep - 1]!.end + READS_PAST_END > prefix) keep--;
  const out: Piece[] = pieces.slice(0, keep);

  // Cut anew from there until a piece ends where an old one ended, inside the unchanged tail.
  let start = keep > 0 ? pieces[keep - 1]!.end : 0;
  let resume = keep; // first old piece that could start at (start - delta)
  while (start < text.length) {
    if (start >= tail) {
      const at = start - delta;
      while (resume < pieces.length && pieces[resume]!.start < at) resume++;
      if (resume < pieces.length && pieces[resume]!.start === at) break;
    }
    const end = gpt2PieceEnd(text, start, text.length, pattern);
    const piece = text.slice(start, end);
    out.push({ text: piece, start, end, shown: mode === 'bytelevel' ? showByteLevel(piece) : piece });
    start = end;
  }
  for (let i = resume; start < text.length && i < pieces.length; i++) {
    const p = pieces[i]!;
    out.push(delta === 0 ? p : { text: p.text, start: p.start + delta, end: p.end + delta, shown: p.shown });
  }
  return out;
}

/** Texts longer than this are cut in full and not remembered (the keystroke path is short texts). */
const REMEMBER_UP_TO = 1 << 20;
/** The last cut per mode, in this thread: the next keystroke's `previous`. */
const lastCut = new Map<PretokenizeMode, PreviousCut>();

/**
 * `pretokenize`, reusing this thread's previous cut in the same mode when there is one. The array
 * returned is the caller's (the one remembered is a copy); the piece objects are shared, read-only.
 */
export function pretokenizeReusing(text: string, mode: PretokenizeMode): Piece[] {
  const previous = lastCut.get(mode);
  const pieces = previous && text.length <= REMEMBER_UP_TO ? pretokenizeAfterEdit(previous, text, mode) : pretokenize(text, mode);
  if (text.length <= REMEMBER_UP_TO) lastCut.set(mode, { text, pieces: pieces.slice() });
  else lastCut.delete(mode);
  return pieces;
}

/**
 * One text three ways, aligned: grapheme clusters (what a reader calls a letter, found by
 * Intl.Segmenter), the code points in each, and the UTF-8 bytes of each code point. This is
 * why one Odia letter costs GPT-2 several tokens: 'କି' is one grapheme, two code points
 * (କ U+0B15, ି U+0B3F) and six bytes.
 *
 *   graphemeColumns('କି')
 *     // [{ grapheme: 'କି', start: 0, end: 2, codePoints: [
 *     //     { char: 'କ', codePoint: 'U+0B15', bytes: ['E0', 'AC', '95'] },
 *     //     { char: 'ି', codePoint: 'U+0B3F', bytes: ['E0', 'AC', 'BF'] } ] }]
 *
 * A lone surrogate has no UTF-8 bytes; it is listed with none, and counted apart.
 * Not handled here: drawing (components/), the per-script counts (text.ts), counting the
 * graphemes of a whole corpus (Intl.Segmenter takes seconds per 100 KB in Node, so only the
 * first columns are segmented).
 */
import { hex } from './text';

export interface CodePointCell {
  char: string;
  codePoint: string;
  /** Two hex digits each; empty for a lone surrogate. */
  bytes: string[];
}

export interface GraphemeColumn {
  grapheme: string;
  /** UTF-16 offsets into the text, end exclusive. */
  start: number;
  end: number;
  codePoints: CodePointCell[];
}

const encoder = new TextEncoder();
let segmenter: Intl.Segmenter | undefined;

function codePointCell(char: string): CodePointCell {
  const cp = char.codePointAt(0)!;
  const lone = char.length === 1 && cp >= 0xd800 && cp <= 0xdfff;
  return { char, codePoint: `U+${hex(cp)}`, bytes: lone ? [] : [...encoder.encode(char)].map((b) => hex(b, 2)) };
}

/** The first `limit` grapheme clusters of `text`, each with its code points and their bytes. */
export function graphemeColumns(text: string, limit = 40): GraphemeColumn[] {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  const out: GraphemeColumn[] = [];
  // A grapheme cluster is rarely past a few dozen code units; segment only the beginning.
  for (const { segment, index } of segmenter.segment(text.slice(0, Math.min(text.length, limit * 64)))) {
    if (out.length >= limit) break;
    out.push({ grapheme: segment, start: index, end: index + segment.length, codePoints: Array.from(segment, codePointCell) });
  }
  return out;
}

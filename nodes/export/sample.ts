/**
 * The text and IDs a notebook checks a BPE node against: all of the encoded text when it is
 * short, else a prefix cut where a word ends before a space, so that encoding the prefix alone
 * gives exactly the first IDs of the whole encoding (BPE never merges across that cut).
 *
 *   checkSample({ text: 'I love NLP', pieces: [I, Ġlove, ĠN, LP] }, 6)  // { text: 'I love', ids: [40, 1842] }
 *
 * Not handled here: texts with no such cut before the limit (the sample is then empty).
 */
import type { Tokens } from '../engine/ports';

/** Long enough to exercise many merges, short enough to keep the notebook readable. */
export const CHECK_SAMPLE_CHARS = 4000;

export interface CheckSample {
  text: string;
  ids: number[];
}

export function checkSample(tokens: Pick<Tokens, 'text' | 'pieces'>, maxChars = CHECK_SAMPLE_CHARS): CheckSample {
  const { text, pieces } = tokens;
  if (text.length <= maxChars) return { text, ids: pieces.map((p) => p.id) };
  let cut = 0;
  let count = 0;
  for (const [i, p] of pieces.entries()) {
    if (p.end === null) continue;
    if (p.end > maxChars) break;
    if (text[p.end] === ' ' && !/\s/u.test(text[p.end - 1] ?? ' ')) {
      cut = p.end;
      count = i + 1;
    }
  }
  return { text: text.slice(0, cut), ids: pieces.slice(0, count).map((p) => p.id) };
}

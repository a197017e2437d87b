/**
 * Which words a tokenizer had to spell from several tokens: the evidence for "this word is not
 * in the vocabulary". Words are GPT-2-style pre-token spans of the text; a token belongs to the
 * word its start offset falls in.
 *
 *   splitWords('I love NLP', [I, Ġlove, ĠN, LP])  // [{ word: ' NLP', pieces: ['ĠN', 'LP'] }]
 *
 * Not handled here: tokens without offsets (added special tokens are skipped).
 */
import type { TokenPiece } from '../engine/ports';
import { pretokenize } from '../pretokenize/pretokenize';

export interface SplitWord {
  word: string;
  pieces: string[];
  ids: number[];
}

export function splitWords(text: string, pieces: readonly TokenPiece[], limit = 12): SplitWord[] {
  const words = pretokenize(text, 'gpt2').filter((w) => w.text.trim() !== '');
  const out: SplitWord[] = [];
  let i = 0;
  for (const w of words) {
    const mine: TokenPiece[] = [];
    while (i < pieces.length && (pieces[i]!.start === null || pieces[i]!.start! < w.end)) {
      const p = pieces[i]!;
      if (p.start !== null && p.start >= w.start) mine.push(p);
      i++;
    }
    if (mine.length > 1) {
      out.push({ word: w.text, pieces: mine.map((p) => p.piece), ids: mine.map((p) => p.id) });
      if (out.length >= limit) break;
    }
  }
  return out;
}

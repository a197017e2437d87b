/**
 * Compare's counts over the whole text, not only the part its grid aligns: how many tokens each
 * tokenizer spends per word and how many characters one token covers, so a long text (the
 * held-out Odia corpus) is measured in full. One sentence states the numbers the table shows.
 *
 *   measureWhole('ଜଣେ ପିଲା', [{ label: 'GPT-2', pieces: gpt2Pieces }])
 *     // { chars: 8, words: 2, counts: [{ label: 'GPT-2', textTokens: 20, tokensPerWord: 10, charsPerToken: 0.4, … }] }
 *
 * Words are runs between spaces (the table's column title says so). Special tokens ([CLS], <s>)
 * are left out of every count: they stand for no text.
 * Not handled here: encoding (the node does), alignment (align.ts).
 */
import type { Tokens } from '../engine/ports';

export interface WholeCount {
  label: string;
  /** Tokens that stand for text (specials left out). */
  textTokens: number;
  unknown: number;
  /** Byte-fallback tokens (<0xE0>). */
  bytes: number;
  tokensPerWord: number | null;
  charsPerToken: number | null;
}

export interface WholeMeasurement {
  chars: number;
  words: number;
  counts: WholeCount[];
  /** "Over these 7,812 words, GPT-2 spends 11.84 tokens per word, …": the numbers the table shows. */
  perWordAnswer: string;
}

const fixed = (n: number) => n.toFixed(2);

export function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

export function measureWhole(text: string, encodings: readonly { label: string; pieces: Tokens['pieces'] }[]): WholeMeasurement {
  const chars = [...text].length;
  const words = wordCount(text);
  const counts = encodings.map(({ label, pieces }): WholeCount => {
    const textTokens = pieces.filter((p) => p.kind !== 'special').length;
    return {
      label,
      textTokens,
      unknown: pieces.filter((p) => p.kind === 'unknown').length,
      bytes: pieces.filter((p) => p.kind === 'byte').length,
      tokensPerWord: words ? textTokens / words : null,
      charsPerToken: textTokens ? chars / textTokens : null,
    };
  });
  const said = counts
    .filter((c) => c.tokensPerWord !== null)
    .map((c) => `${c.label} ${fixed(c.tokensPerWord!)}${c.unknown > c.textTokens / 2 ? ' (mostly [UNK]: the words are lost)' : ''}`);
  const perWordAnswer = said.length
    ? `Over these ${words.toLocaleString('en')} words (${chars.toLocaleString('en')} characters), tokens per word: ${said.join(', ')}.`
    : 'There are no words to count.';
  return { chars, words, counts, perWordAnswer };
}

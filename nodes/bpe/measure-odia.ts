/**
 * "Can I train my own tokenizer for Odia?", answered with numbers: how many tokens GPT-2, BERT,
 * TinyLlama and the BPE just trained spend per word of a text, and which whole Odia words the
 * trained vocabulary learned. The text is the one the BPE node encodes; in the Odia template
 * that is the held-out part of the corpus, so the numbers are measured on Odia the trainer
 * never saw.
 *
 *   measureOdia({ corpus, text, trained, alt, gpt2, encodePretrained }).rows
 *     // [{ label: 'GPT-2', tokens: 61234, tokensPerWord: 6.1, charsPerToken: 0.9 }, …]
 *
 * The same training with the other split (GPT-2's, which cuts Odia words at every vowel sign,
 * or the script-aware one) is passed in as `alt`, so both vocabularies are measured.
 *
 * Not handled here: training (train-bpe.ts), loading the pretrained tokenizers (the node does).
 */
import { bpeEncoderFor } from '../shared/tokenizer-ref';
import type { BpeModel, TrainedBpe } from './types';
import { tokenBytes, BYTE_LEVEL } from '../shared/token-text';

export interface MeasuredRow {
  label: string;
  /** 'gpt2' or 'gpt2-marks' for the tokenizers trained here; null for the pretrained ones. */
  split: string | null;
  vocabSize: number | null;
  tokens: number;
  /** Unknown tokens ([UNK]): each stands for a word or more whose text is lost. */
  unknown: number;
  tokensPerWord: number;
  charsPerToken: number;
}

export interface OdiaMeasurement {
  chars: number;
  words: number;
  rows: MeasuredRow[];
  /** Per trained split: the first whole words of the corpus that became one token, in merge order. */
  runs: { split: string; vocabSize: number; stoppedBecause: TrainedBpe['stoppedBecause']; wholeWords: string[] }[];
}

/** How many whole words to list per trained vocabulary. */
const WHOLE_WORDS = 16;
const fatal = new TextDecoder('utf-8', { fatal: true });

/** Words of a text: runs of non-space characters, punctuation at either end dropped. */
export function wordsOf(text: string): string[] {
  return (text.match(/\S+/gu) ?? []).map((w) => w.replace(/^[\p{P}\p{S}]+|[\p{P}\p{S}]+$/gu, '')).filter(Boolean);
}

/**
 * Merged tokens that spell a whole Odia word of the corpus (with its leading space), in merge
 * order: the earliest merges are the most frequent pairs, so these are the words BPE met most.
 */
export function wholeWordTokens(model: BpeModel, corpusWords: ReadonlySet<string>, limit = WHOLE_WORDS): string[] {
  const out: string[] = [];
  for (const merge of model.merges) {
    if (out.length >= limit) break;
    const bytes = tokenBytes(merge.left + merge.right, BYTE_LEVEL);
    if (!bytes) continue;
    let text: string;
    try {
      text = fatal.decode(Uint8Array.from(bytes));
    } catch {
      continue; // part of a character
    }
    // A word-start token (leading space) of three characters or more, so suffixes and single letters do not count.
    if (!text.startsWith(' ')) continue;
    const word = text.slice(1);
    if ([...word].length >= 3 && /\p{Script=Oriya}/u.test(word) && corpusWords.has(word) && !out.includes(word)) out.push(word);
  }
  return out;
}

export function measureOdia(input: {
  corpus: string;
  text: string;
  trained: TrainedBpe;
  alt: TrainedBpe;
  /** GPT-2's own model, or null when its files are missing. */
  gpt2: BpeModel | null;
  /** Token counts of the text (no special tokens) by the shipped BERT and TinyLlama, when they load. */
  pretrained: { label: string; tokens: number; unknown: number; vocabSize: number }[];
}): OdiaMeasurement {
  const { text, trained, alt } = input;
  const chars = [...text].length;
  const words = wordsOf(text).length;
  const row = (label: string, split: string | null, vocabSize: number | null, tokens: number, unknown = 0): MeasuredRow => ({
    label,
    split,
    vocabSize,
    tokens,
    unknown,
    tokensPerWord: words ? tokens / words : 0,
    charsPerToken: tokens ? chars / tokens : 0,
  });
  const rows: MeasuredRow[] = [];
  if (input.gpt2) rows.push(row('GPT-2', null, input.gpt2.tokens.length, bpeEncoderFor(input.gpt2).encode(text).length));
  for (const p of input.pretrained) rows.push(row(p.label, null, p.vocabSize, p.tokens, p.unknown));
  for (const m of [trained, alt]) rows.push(row('Trained here', m.pattern, m.tokens.length, bpeEncoderFor(m).encode(text).length));
  const corpusWords = new Set(wordsOf(input.corpus));
  return {
    chars,
    words,
    rows,
    runs: [trained, alt].map((m) => ({ split: m.pattern, vocabSize: m.tokens.length, stoppedBecause: m.stoppedBecause, wholeWords: wholeWordTokens(m, corpusWords) })),
  };
}

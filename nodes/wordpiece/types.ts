/**
 * The shapes of a WordPiece tokenizer (BERT's algorithm): a vocabulary where a token that
 * continues a word carries the prefix ('##ing'), the BERT text options it was trained with, and
 * the encoder's limits.
 *
 *   const model: WordPieceModel = {
 *     tokens: ['[PAD]', '[UNK]', …, 'a', 'b', …, '##b', '##a', …, 'th', '##ing'],
 *     prefix: '##', unkToken: '[UNK]', maxInputCharsPerWord: 100,
 *     specialTokens: [{ content: '[PAD]', id: 0 }, …], text: BERT_TEXT_DEFAULTS,
 *   };
 *
 * Not handled here: algorithms (train-wordpiece.ts, encode-wordpiece.ts), file formats (hf-export.ts).
 */
import type { SpecialToken } from '../bpe/types';
import type { BertTextOptions } from './bert-text';

export interface WordPieceModel {
  /** tokens[id]. */
  tokens: readonly string[];
  /** Marks a token that continues a word: '##'. */
  prefix: string;
  /** What a word the vocabulary cannot spell becomes (it must be in `tokens` to encode such a word). */
  unkToken: string;
  /** A longer word (in code points) is [UNK] at once. */
  maxInputCharsPerWord: number;
  specialTokens: readonly SpecialToken[];
  /** BERT normaliser settings, or null for none (the text is only cut at whitespace and punctuation). */
  text: BertTextOptions | null;
}

/** One merge of WordPiece training: the BPE merge with the prefix of the right part dropped. */
export interface WordPieceMerge {
  left: string;
  right: string;
  /** The token made: 't' + '##h' -> 'th'; '##i' + '##ng' -> '##ing'. */
  merged: string;
  id: number;
  /** How often the pair occurred when it was merged. */
  count: number;
}

export interface TrainedWordPiece extends WordPieceModel {
  merges: WordPieceMerge[];
  stoppedBecause: 'vocab-size' | 'no-pairs-left' | 'min-frequency';
  uniqueWords: number;
  totalWords: number;
}

export interface TrainWordPieceParams {
  /** Target vocabulary size, special tokens and the alphabet included (HF default 30000). */
  vocabSize: number;
  /** A pair seen fewer times than this is never merged. Default 0. */
  minFrequency?: number;
  /** Given ids 0…n-1 in this order. Default none (HF's default trainer has none). */
  specialTokens?: readonly string[];
  /** Default '##'. */
  prefix?: string;
  /** BERT normaliser settings; null for none. Default BERT's (lowercase, strip accents). */
  text?: BertTextOptions | null;
  unkToken?: string;
  maxInputCharsPerWord?: number;
  /**
   * The start vocabulary (specials, alphabet, prefixed characters) in the order another trainer
   * numbered it. HF numbers the prefixed characters in its hash map's order, which changes from
   * run to run; giving its order here reproduces that run id for id. Default: alphabet sorted by
   * code point, prefixed characters in the order the corpus first shows them.
   */
  startOrder?: readonly string[];
}

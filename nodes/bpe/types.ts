/**
 * The shapes shared by the byte-level BPE modules: a model (vocab + ordered merges + special
 * tokens) that the encoder, decoder and exporters read, and the richer result the trainer returns.
 *
 *   const model: BpeModel = {
 *     tokens: ['!', '"', …, 'Ġ', …, 'Ġt', 'Ġth'],        // id -> ByteLevel token
 *     merges: [{ left: 'Ġ', right: 't' }, { left: 'Ġt', right: 'h' }],
 *     specialTokens: [{ content: '<|endoftext|>', id: 50256 }],
 *   };
 *
 * Tokens are written in GPT-2's ByteLevel alphabet (pretokenize/byte-level.ts): every byte is one
 * printable character, so ' the' is 'Ġthe'. Special tokens are the exception: `tokens[id]` holds
 * their literal content ('<|endoftext|>'), as GPT-2's encoder.json and HF's tokenizer.json do.
 *
 * Not handled here: algorithms (train-bpe.ts, encode-bpe.ts, decode-bpe.ts), file formats
 * (vocab-files.ts, hf-export.ts).
 */

import type { SplitPattern } from './gpt2-split';
import type { TrainingProgressData } from './training-progress';

/** One merge rule: the two tokens, in ByteLevel form, that are joined. Its rank is its index. */
export interface MergeRule {
  left: string;
  right: string;
}

export interface SpecialToken {
  content: string;
  id: number;
}

/** A byte-level BPE tokenizer: everything needed to encode and decode. Structured-cloneable. */
export interface BpeModel {
  /** tokens[id]: the token in ByteLevel form, or a special token's literal content. */
  tokens: readonly string[];
  /** Merge rules in rank order: merges[0] is applied first wherever it occurs. */
  merges: readonly MergeRule[];
  specialTokens: readonly SpecialToken[];
  /**
   * How text is cut into pieces before BPE: GPT-2's pattern (the default, and GPT-2's own), or
   * the variant that keeps combining marks inside words (gpt2-split.ts).
   */
  pattern?: SplitPattern;
}

/** A merge as the trainer made it: what the merge-timeline inspector shows. */
export interface TrainedMerge extends MergeRule {
  /** Id of the token the merge produces (several merges can produce the same token string). */
  id: number;
  /** How often the pair occurred in the corpus at the moment it was merged. */
  count: number;
  /**
   * How often the produced token occurs in the corpus once training is over, i.e. in the
   * trainer's final segmentation of the corpus. Later merges eat into it (' t' is merged early
   * with a huge count, then mostly absorbed into ' the', ' to', …), which is why an ID is a merge
   * rank and not a frequency.
   */
  frequency: number;
}

export interface TrainedBpe extends BpeModel {
  merges: TrainedMerge[];
  pattern: SplitPattern;
  /** Why training stopped. */
  stoppedBecause: 'vocab-size' | 'no-pairs-left' | 'min-frequency';
  /** Unique pre-tokens ("words") and their total count in the corpus. */
  uniqueWords: number;
  totalWords: number;
}

export interface TrainBpeParams {
  /** Target vocabulary size, special tokens and the 256 byte tokens included (256…65536). */
  vocabSize: number;
  /** A pair seen fewer times than this is never merged (HF's min_frequency). Default 0. */
  minFrequency?: number;
  /** Given ids 0…n-1, before the byte alphabet, as HF's trainer does. Default none. */
  specialTokens?: readonly string[];
  /** Pre-tokenization pattern. Default 'gpt2'; 'gpt2-marks' keeps Odia words whole. */
  pattern?: SplitPattern;
}

/** Hooks for long runs in a worker: the node definition passes ctx.progress and ctx.checkpoint. */
export interface LongRunHooks {
  /** Awaited every few thousand words or merges; throw from it to cancel. */
  checkpoint?: () => Promise<void>;
  /**
   * Fraction done, 0…1, with a line for the node ("12 MB of 100 MB read · 2.1M words counted ·
   * about 40 s left") and the figures behind it (training-progress.ts).
   */
  progress?: (fraction: number, message?: string, data?: TrainingProgressData) => void;
}

/**
 * The shapes of a Unigram tokenizer (SentencePiece's algorithm): pieces with log-probability
 * scores, where '▁' marks a word start, and the trainer's record of how the vocabulary shrank.
 *
 *   const model: UnigramModel = {
 *     pieces: [{ piece: '<unk>', score: 0, kind: 'unknown' }, { piece: '<s>', … }, …,
 *              { piece: '▁the', score: -3.21, kind: 'normal' }, …],
 *     byteFallback: false, …
 *   };
 *
 * Not handled here: algorithms (train-unigram.ts, lattice.ts, encode-unigram.ts).
 */

export interface UnigramPiece {
  piece: string;
  /** Log probability (a Unigram LM score); 0 for the special pieces. */
  score: number;
  kind: 'normal' | 'unknown' | 'control' | 'byte';
}

export interface UnigramModel {
  /** pieces[id]: <unk>, <s>, </s>, (with byte fallback <0x00>…<0xFF>), then pieces by score. */
  pieces: readonly UnigramPiece[];
  unkId: number;
  bosId: number;
  eosId: number;
  /** Spell a character the vocabulary lacks as its UTF-8 bytes (<0xE0>…) instead of <unk>. */
  byteFallback: boolean;
  /** Add '▁' before the first word (SentencePiece's add_dummy_prefix). */
  addDummyPrefix: boolean;
}

/** One EM round of training: what the "start big and prune" chart plots. */
export interface UnigramRound {
  /** 'seed': the seed vocabulary; 'em': after an EM sub-iteration; 'prune': after pruning. */
  step: 'seed' | 'em' | 'prune';
  size: number;
  /** Negative log likelihood per sentence (EM rounds only). */
  objective: number | null;
}

export interface TrainedUnigram extends UnigramModel {
  rounds: UnigramRound[];
  /** Characters the vocabulary must hold (character_coverage), most frequent first. */
  requiredChars: number;
  uniqueWords: number;
  sentences: number;
}

export interface TrainUnigramParams {
  /** Pieces in the end, specials included (SentencePiece's vocab_size). */
  vocabSize: number;
  /** Share of the corpus's characters the alphabet must cover; rarer characters become <unk>. Default 0.9995. */
  characterCoverage?: number;
  /** Longest piece in code points. Default 16. */
  maxPieceLength?: number;
  byteFallback?: boolean;
  /** Seed vocabulary size before EM. Default 1,000,000. */
  seedSize?: number;
  /** Share of pieces kept per pruning round. Default 0.75. */
  shrinkingFactor?: number;
  /** EM sub-iterations per round. Default 2. */
  subIterations?: number;
  /** Lines longer than this (UTF-8 bytes) are skipped, as spm_train does. Default 4192. */
  maxSentenceLength?: number;
  /** Default true. */
  addDummyPrefix?: boolean;
  /** Pieces stay within one Unicode script. Default true. */
  splitByUnicodeScript?: boolean;
}

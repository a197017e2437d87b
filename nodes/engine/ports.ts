/**
 * Port kinds: the types of values that flow along edges.
 *
 * A connection is allowed only between an output and an input of the same kind.
 * The value types here are the contract between node kinds; each node module
 * documents which of them it reads and writes.
 */

export const PORT_KINDS = ['text', 'pretokens', 'tokenizer', 'tokens', 'ids', 'predictions', 'model'] as const;
export type PortKind = (typeof PORT_KINDS)[number];

/** A piece of pre-tokenized text. Offsets are UTF-16 code units into `source`. */
export interface Piece {
  /** The piece as it appears in the source text. */
  text: string;
  start: number;
  end: number;
  /** The piece as the next stage sees it: `Ġlove` for ByteLevel, `▁love` for Metaspace, else equal to text. */
  shown: string;
}

export interface Pretokens {
  source: string;
  /** The scheme that produced the pieces (a Pretokenize mode). */
  scheme: string;
  pieces: Piece[];
}

/** One token of an encoding. Offsets are UTF-16 code units into the encoded text; null for added tokens. */
export interface TokenPiece {
  /** The token as its vocabulary writes it: 'Ġlove', '▁I', '##ing', '<0xE0>', '[CLS]'. */
  piece: string;
  id: number;
  kind: 'text' | 'byte' | 'unknown' | 'special';
  start: number | null;
  end: number | null;
}

export interface Tokens {
  text: string;
  /** Display name of the tokenizer that produced them. */
  tokenizer: string;
  pieces: TokenPiece[];
}

export interface TokenIds {
  ids: number[];
  tokenizer: string;
  /** 1 for real tokens, 0 for padding. */
  attentionMask: number[];
}

/** One candidate next token: its id, its piece as the vocabulary writes it ('Ġof'), its probability. */
export interface PredictionCandidate {
  /** -1 when the model's source does not expose IDs (Ollama). */
  id: number;
  token: string;
  prob: number;
}

/**
 * What a causal language model predicts (the Transformer node): the top-k next tokens for the
 * last position (always first in `topK`) and for the position the user chose, and which backend
 * computed them. Small and structured-cloneable: no logits, no tensors.
 */
export interface Predictions {
  /** The model's label (ModelRef.label). */
  model: string;
  /** How many positions the model read (the IDs after dropping padding, at most its context). */
  positions: number;
  ids: number[];
  /** The input IDs as the model's vocabulary writes them. */
  tokens: string[];
  topK: { position: number; candidates: PredictionCandidate[] }[];
  /** 'ollama': the probabilities came from an Ollama server, not a model run here. */
  backend: 'webgpu' | 'wasm' | 'cpu' | 'ollama';
}

/** Human-readable description of a port kind, used in refusals ("this port gives ids"). */
export const PORT_KIND_LABEL: Record<PortKind, string> = {
  text: 'text',
  pretokens: 'pre-tokens',
  tokenizer: 'a tokenizer',
  tokens: 'tokens',
  ids: 'token IDs',
  predictions: 'predictions',
  model: 'a model',
};

export interface PortSpec {
  kind: PortKind;
  label: string;
  /** An optional input may stay unconnected; the node then runs without it. */
  optional?: boolean;
}

export type PortMap = Record<string, PortSpec>;

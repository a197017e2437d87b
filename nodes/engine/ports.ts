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

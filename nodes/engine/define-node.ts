/**
 * The node contract: a node kind is one typed, UI-free module.
 *
 * Not handled here: rendering (components/), scheduling and caching (executor.ts).
 */
import type { z } from 'zod';
import type { PortMap, PortKind, Predictions, Pretokens, TokenIds, Tokens } from './ports';

/**
 * The value type carried by each port kind. The engine declares the plain data ones; the
 * handles a port carries (a tokenizer, a model) are declared where they are defined, by
 * declaration merging (nodes/shared/tokenizer-ref.ts, nodes/shared/model-ref.ts), so the engine
 * names no tokenizer or model. nodes/index.ts checks at compile time that every port kind has
 * its value type.
 */
export interface PortValueMap {
  text: string;
  pretokens: Pretokens;
  tokens: Tokens;
  ids: TokenIds;
  predictions: Predictions;
}

export type PortValue<K extends PortKind> = K extends keyof PortValueMap ? PortValueMap[K] : never;

export type InputValues<I extends PortMap> = {
  [K in keyof I]: I[K]['optional'] extends true ? PortValue<I[K]['kind']> | undefined : PortValue<I[K]['kind']>;
};
export type OutputValues<O extends PortMap> = { [K in keyof O]: PortValue<O[K]['kind']> };

export interface RunContext {
  signal: AbortSignal;
  /**
   * Report progress of a long loop, 0..1, with a line for the node and, optionally, small data
   * the inspector can draw while the node runs (e.g. the loss curve so far).
   */
  progress(fraction: number, message?: string, data?: unknown): void;
  /**
   * Call inside long loops: throws an AbortError once the run is cancelled, and yields to the
   * event loop now and then so a cancel message (or a UI frame) can get through.
   */
  checkpoint(): Promise<void>;
  /** Where the node runs. */
  where: 'browser' | 'server';
  /** Where shipped files are found: URLs in the browser, folders on the server. */
  resources: Resources;
}

export interface Resources {
  /** Folder of shipped tokenizers (public/hub/), ending in '/'. */
  hubPath: string;
  /** Folder of shipped models (public/models/), ending in '/'. */
  modelPath: string;
  /** Whether a Hugging Face id may be fetched from the hub. */
  allowRemote: boolean;
  /**
   * The only Ollama a server run may talk to (TOKENLOOM_OLLAMA_URL); unset, server runs refuse
   * Ollama. Browser runs ignore it and use the node's own URL.
   */
  ollamaUrl?: string;
  /**
   * Server runs: the bytes of an uploaded corpus file by its sha256, checked against it as they
   * are read (server/corpora/store.ts); throws a sentence when the server has no such file.
   */
  openCorpus?: (sha256: string, signal: AbortSignal) => AsyncIterable<Uint8Array>;
}

export type NodeCategory = 'input' | 'text' | 'tokenize' | 'model' | 'teach';

/**
 * What `run` returns: the port values, plus optional `details` that only the node's own `view`
 * reads (what the algorithm learned on the way, e.g. which cleaning step changed the text), so
 * the view never has to redo the work.
 */
export type RunResult<O extends PortMap, D> = OutputValues<O> & { details?: D };

export interface NodeDefinition<
  P extends z.ZodType<Record<string, unknown>> = z.ZodType<Record<string, unknown>>,
  I extends PortMap = PortMap,
  O extends PortMap = PortMap,
  V = unknown,
  D = undefined,
> {
  type: string;
  /** Bump when the algorithm's output changes for the same params: it is part of the cache key. */
  version: number;
  title: string;
  /** The beginner's question the inspector answers. */
  question: string;
  /** One line for the palette. */
  summary: string;
  category: NodeCategory;
  inputs: I;
  outputs: O;
  /** Params by name, defaults inside the schema. */
  params: P;
  run(inputs: InputValues<I>, params: z.output<P>, ctx: RunContext): RunResult<O, D> | Promise<RunResult<O, D>>;
  /**
   * Outputs that depend on only some inputs and params. Downstream nodes key such an output by
   * those alone, so an edit elsewhere (the text a tokenizer encodes) does not re-run what only
   * needs the other output (the tokenizer itself). Outputs not listed depend on everything.
   */
  outputDependsOn?: Partial<Record<keyof O & string, { inputs: readonly string[]; params: readonly string[] }>>;
  /**
   * What the inspector shows, computed where the node ran, so that large values stay there.
   * Must be small and structured-cloneable.
   */
  view(args: { inputs: InputValues<I>; outputs: OutputValues<O>; params: z.output<P>; details: D | undefined }): V;
  /**
   * Answers an inspector's on-demand question (a vocabulary page, a search) from the result
   * where it lives, so a 50k-entry vocabulary is never shipped whole.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query?(result: { outputs: OutputValues<O>; details: D | undefined }, request: any): unknown;
}

/** Identity function that lets TypeScript infer a definition's generics. */
export function defineNode<P extends z.ZodType<Record<string, unknown>>, I extends PortMap, O extends PortMap, V, D = undefined>(
  def: NodeDefinition<P, I, O, V, D>,
): NodeDefinition<P, I, O, V, D> {
  return def;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyNodeDefinition = NodeDefinition<any, PortMap, PortMap, any, any>;

/**
 * Pretrained tokenizers: load one (shipped offline, or any Hugging Face id when online), encode
 * text into pieces + ids + character offsets, and describe how it works for the inspector.
 *
 * Isomorphic: runs in a browser Web Worker and in Node. It imports no fs/path/React/server code;
 * files come through transformers.js, which reads `localModelPath` from disk in Node and fetches
 * it as a URL in the browser (the app serves public/ at /, so the default is '/hub/').
 *
 *   const gpt2 = await loadPretrainedTokenizer('gpt2', { localModelPath: '/hub/', allowRemote: false });
 *   encodeWithPieces(gpt2, 'I love NLP').tokens.map((t) => `${t.piece}:${t.id}`)
 *     // ['I:40', 'Ġlove:1842', 'ĠN:399', 'LP:19930']
 *
 * Not handled here: model weights, text pairs, truncation and padding (the IDs node's job),
 * and paging a large vocabulary (describeTokenizer reports sizes only).
 */
import { AutoTokenizer, env, type PreTrainedTokenizer } from '@huggingface/transformers';
import { CHAR_TO_BYTE } from '../pretokenize/byte-level';
import { byteFallbackValue, placePieces, readPieceSpelling } from './piece-offsets';
import type { JsonConfig } from './normalize-with-origins';
import type { TokenizerJsonLike } from './replay-text';

export { SHIPPED_TOKENIZERS, SHIPPED_TOKENIZER_LABELS, isShippedTokenizer, type ShippedTokenizerName } from './shipped';
import { SHIPPED_TOKENIZERS, isShippedTokenizer } from './shipped';
import { useFileCache } from '../shared/file-cache';

export interface LoadPretrainedOptions {
  /** Folder (Node) or URL path (browser) holding <name>/tokenizer.json. Default '/hub/'. */
  localModelPath?: string;
  /** Whether ids that are not shipped may be fetched from the hub. Default true. */
  allowRemote?: boolean;
  /** Whether transformers.js may cache downloaded files (browser Cache API / Node .cache folder). Default true. */
  cacheDownloads?: boolean;
}

/** A loaded tokenizer plus the raw files it came from (the inspector reads those). */
export interface PretrainedTokenizer {
  name: string;
  /** 'shipped' when loaded from our own files, 'hub' when fetched by id. */
  source: 'shipped' | 'hub';
  tokenizer: PreTrainedTokenizer;
  tokenizerJson: TokenizerJsonLike & { decoder?: JsonConfig | null; post_processor?: JsonConfig | null };
  tokenizerConfig: Record<string, unknown>;
}

const loads = new Map<string, Promise<PretrainedTokenizer>>();
/** transformers.js's own cache defaults (on where available), restored when caching is allowed again. */
const CACHE_DEFAULTS = { fileSystem: env.useFSCache };

function offlineMessage(name: string, cause: string): string {
  return (
    `Could not load the tokenizer '${name}': it is not shipped with Tokenloom and the Hugging Face hub ` +
    `could not be reached (${cause}). Offline, use one of the shipped tokenizers: ${SHIPPED_TOKENIZERS.join(', ')}.`
  );
}

function notFoundMessage(name: string, cause: string): string {
  return (
    `Could not load the tokenizer '${name}': the hub has no tokenizer.json and tokenizer_config.json for it ` +
    `(${cause}). Check the id (e.g. 'openai-community/gpt2'), or use a shipped one: ${SHIPPED_TOKENIZERS.join(', ')}.`
  );
}

/**
 * Load a tokenizer by name. Shipped names read from `localModelPath`; any other id goes through
 * the same transformers.js code to the hub (env.remoteHost), and fails with a message that names
 * the shipped tokenizers when the hub is unreachable or remote loading is off.
 *
 * Loads are memoised per (name, localModelPath, allowRemote); a failed load is forgotten so it can
 * be retried. transformers.js's `env` is global, so settings apply to every load in this realm.
 */
export function loadPretrainedTokenizer(name: string, options: LoadPretrainedOptions = {}): Promise<PretrainedTokenizer> {
  const localModelPath = options.localModelPath ?? '/hub/';
  const allowRemote = options.allowRemote ?? true;
  const key = JSON.stringify([name, localModelPath, allowRemote, env.remoteHost]);
  const existing = loads.get(key);
  if (existing) return existing;
  const pending = loadUncached(name, { localModelPath, allowRemote, cacheDownloads: options.cacheDownloads ?? true });
  loads.set(key, pending);
  pending.catch(() => loads.delete(key));
  return pending;
}

async function loadUncached(
  name: string,
  options: Required<LoadPretrainedOptions>,
): Promise<PretrainedTokenizer> {
  const shipped = isShippedTokenizer(name);
  // Shipped names never touch the network; other ids never read local files (a typo must not
  // silently pick up a stray folder).
  env.allowLocalModels = shipped;
  env.localModelPath = options.localModelPath;
  env.allowRemoteModels = !shipped && options.allowRemote;
  // The browser's Cache API, in this build's versioned cache (shared/file-cache.ts).
  useFileCache(env, options.cacheDownloads);
  env.useFSCache = options.cacheDownloads && CACHE_DEFAULTS.fileSystem;
  if (!shipped && !options.allowRemote) {
    throw new Error(offlineMessage(name, 'remote loading is switched off'));
  }
  let tokenizer: PreTrainedTokenizer;
  try {
    tokenizer = await AutoTokenizer.from_pretrained(name);
  } catch (error) {
    const cause = error instanceof Error ? error.message : String(error);
    if (shipped) {
      throw new Error(`Could not load the shipped tokenizer '${name}' from '${options.localModelPath}' (${cause}).`, { cause: error });
    }
    const notFound = /\b(401|404)\b|not found|Unauthorized|tokenizer_class/i.test(cause);
    throw new Error(notFound ? notFoundMessage(name, cause) : offlineMessage(name, cause), { cause: error });
  }
  return {
    name,
    source: shipped ? 'shipped' : 'hub',
    tokenizer,
    tokenizerJson: tokenizer._tokenizerJSON as PretrainedTokenizer['tokenizerJson'],
    tokenizerConfig: tokenizer._tokenizerConfig as Record<string, unknown>,
  };
}

// ---------------------------------------------------------------------------------------------
// Encoding with pieces and offsets.

/**
 * What a token is, for colouring: `text` spells characters, `byte` is one raw byte or bytes that
 * are not whole characters (GPT-2's 'à¬' for part of 'ଜ', LLaMA's '<0xE0>'), `unknown` is the
 * unk token, `special` is an added/special token ('[CLS]', '<s>', '<|endoftext|>').
 */
export type PieceKind = 'text' | 'byte' | 'unknown' | 'special';

export interface EncodedPiece {
  /** The piece as the tokenizer writes it: 'Ġlove', '▁I', '##ing', '<0xE0>', '[UNK]', '[CLS]'. */
  piece: string;
  id: number;
  kind: PieceKind;
  /** UTF-16 offsets into the input, end exclusive; null for tokens the post-processor adds ([CLS], <s>). */
  start: number | null;
  end: number | null;
  /** True when the token holds only some bytes of a character (so it shares that character's span). */
  splitsCharacter: boolean;
  /** The raw bytes, for byte tokens only (e.g. [0xE0]). */
  bytes?: number[];
}

export interface EncodedText {
  text: string;
  tokenizerName: string;
  pieces: EncodedPiece[];
  ids: number[];
  /** False if some offsets could not be computed; `offsetNote` says why. */
  offsetsComplete: boolean;
  offsetNote?: string;
}

export interface EncodeOptions {
  /** Add the model's special tokens ([CLS] … [SEP], <s> …), as transformers.js does by default. */
  addSpecialTokens?: boolean;
}

/** Index where `inner` occurs contiguously in `outer`, or -1. */
function findRun(outer: readonly string[], inner: readonly string[]): number {
  for (let start = 0; start + inner.length <= outer.length; start++) {
    if (inner.every((t, i) => outer[start + i] === t)) return start;
  }
  return -1;
}

/**
 * Encode text into pieces, ids and character offsets.
 *
 *   encodeWithPieces(bert, 'I love NLP').pieces
 *     // [CLS] 101 (added), i 1045 [0,1), love 2293 [2,6), nl 17953 [7,9), ##p 2361 [9,10), [SEP] 102 (added)
 */
export function encodeWithPieces(loaded: PretrainedTokenizer, text: string, options: EncodeOptions = {}): EncodedText {
  const core = loaded.tokenizer._tokenizer;
  const addSpecialTokens = options.addSpecialTokens ?? true;
  const full = core.encode(text, { add_special_tokens: addSpecialTokens });
  const content = addSpecialTokens ? core.encode(text, { add_special_tokens: false }).tokens : full.tokens;
  // The post-processor wraps the content in specials; find the content inside the full list.
  const contentStart = findRun(full.tokens, content);
  const placed = placePieces(text, content, loaded.tokenizerJson);
  const spelling = readPieceSpelling(loaded.tokenizerJson);
  const specialContents = new Set((loaded.tokenizerJson.added_tokens ?? []).filter((t) => t.special).map((t) => t.content));

  const pieces = full.tokens.map((piece, index): EncodedPiece => {
    const id = full.ids[index]!;
    const contentIndex = contentStart >= 0 && index >= contentStart && index < contentStart + content.length ? index - contentStart : -1;
    const span = contentIndex >= 0 ? placed.spans[contentIndex] ?? null : null;
    const base = { piece, id, start: span?.start ?? null, end: span?.end ?? null, splitsCharacter: span?.splitsCharacter ?? false };
    if (piece === spelling.unkToken) return { ...base, kind: 'unknown' };
    if (specialContents.has(piece) || spelling.addedContents.has(piece)) return { ...base, kind: 'special' };
    const fallbackByte = spelling.byteFallback ? byteFallbackValue(piece) : null;
    if (fallbackByte !== null) return { ...base, kind: 'byte', bytes: [fallbackByte] };
    if (spelling.byteLevel && span?.splitsCharacter) {
      return { ...base, kind: 'byte', bytes: byteLevelBytes(piece) };
    }
    return { ...base, kind: 'text' };
  });

  const offsetsComplete = placed.ok && contentStart >= 0;
  const note = !placed.ok ? placed.reason : contentStart < 0 ? 'offsets unavailable: the special tokens could not be separated from the text tokens' : undefined;
  return {
    text,
    tokenizerName: loaded.name,
    pieces,
    ids: full.ids,
    offsetsComplete,
    ...(note ? { offsetNote: note } : {}),
  };
}

/** GPT-2's stand-in characters back to bytes: 'à¬' -> [0xE0, 0xAC]. */
function byteLevelBytes(piece: string): number[] {
  return Array.from(piece, (c) => CHAR_TO_BYTE.get(c)).filter((b): b is number => b !== undefined);
}

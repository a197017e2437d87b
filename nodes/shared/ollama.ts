/**
 * Talking to an Ollama server (https://github.com/ollama/ollama/blob/main/docs/api.md) from the
 * Transformer and Generate nodes, in the browser and on the server, with plain `fetch` and a
 * small NDJSON reader. Plain fetch rather than the npm `ollama` package: four endpoints and one
 * line-splitter are less than the package's two entries (`ollama` / `ollama/browser`), and one
 * code path runs unchanged in a Web Worker and in Node.
 *
 *   const base = ollamaBaseFor('browser', resources, 'http://127.0.0.1:11434/');   // 'http://127.0.0.1:11434'
 *   const r = await ollamaGenerate(base, { model: 'llama3.2', prompt: 'I love', raw: true, stream: false,
 *     logprobs: true, top_logprobs: 5, options: { num_predict: 1 } }, signal);
 *   r.logprobs?.[0]?.top_logprobs   // [{ token: ' the', logprob: -1.9, bytes: [32, 116, 104, 101] }, …]
 *
 * - Where it may connect: in the browser, the URL the node names (Ollama allows localhost origins
 *   by default; others need OLLAMA_ORIGINS). On the server, only `resources.ollamaUrl` (from
 *   TOKENLOOM_OLLAMA_URL): a graph naming another URL is refused, so a shared graph cannot make
 *   the server connect anywhere its operator did not allow.
 * - Errors become sentences a learner can act on: not running, model not pulled, too old for
 *   probabilities (logprobs need Ollama 0.12.11 or newer).
 * - A model that is not pulled is named with the ones that are (GET /api/tags).
 *
 * Not handled here: /api/chat and chat templates (prompts go with `raw: true`), images, model
 * pulls, tokenizing (Ollama has no tokenize endpoint, so no token IDs are ever known).
 */
import type { Resources } from '../engine/define-node';

export const DEFAULT_OLLAMA_URL = 'http://127.0.0.1:11434';
/** The first Ollama release that returns `logprobs` / `top_logprobs`. */
export const MIN_LOGPROBS_VERSION = '0.12.11';
/** Ollama returns at most this many alternatives per position. */
export const MAX_TOP_LOGPROBS = 20;

export interface OllamaTokenLogprob {
  token: string;
  logprob: number;
  bytes?: number[];
}
export interface OllamaLogprob extends OllamaTokenLogprob {
  top_logprobs?: OllamaTokenLogprob[];
}
/** One /api/generate response, or one line of its NDJSON stream. */
export interface OllamaGenerateChunk {
  model?: string;
  response?: string;
  done?: boolean;
  done_reason?: string;
  logprobs?: OllamaLogprob[];
  error?: string;
}
export interface OllamaGenerateRequest {
  model: string;
  prompt: string;
  raw?: boolean;
  stream: boolean;
  logprobs?: boolean;
  top_logprobs?: number;
  options?: { temperature?: number; top_k?: number; top_p?: number; seed?: number; num_predict?: number };
}

/** `http://host:port` without a trailing slash; throws a sentence for anything that is not http(s). */
export function normalizeOllamaUrl(url: string): string {
  const trimmed = url.trim();
  if (!URL.canParse(trimmed) || !/^https?:$/.test(new URL(trimmed).protocol)) {
    throw new Error(`'${trimmed.slice(0, 100)}' is not an Ollama address: type one like ${DEFAULT_OLLAMA_URL}.`);
  }
  const parsed = new URL(trimmed);
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
}

/** The Ollama base URL a run may use where it runs; refuses, on the server, any URL but the allowed one. */
export function ollamaBaseFor(where: 'browser' | 'server', resources: Resources, requested: string): string {
  const asked = normalizeOllamaUrl(requested);
  if (where === 'browser') return asked;
  if (!resources.ollamaUrl) {
    throw new Error(
      'This server talks to no Ollama: its operator has not set TOKENLOOM_OLLAMA_URL. Run the graph in the browser to use the Ollama on your own computer.',
    );
  }
  const allowed = normalizeOllamaUrl(resources.ollamaUrl);
  if (asked !== allowed) {
    throw new Error(
      `This server talks only to the Ollama at ${allowed}; it never connects to an address named in a graph (${asked}). ` +
        `Set the node's Ollama URL to ${allowed}, or run the graph in the browser to use your own Ollama.`,
    );
  }
  return allowed;
}

function notRunning(base: string): string {
  return (
    `Ollama isn't running at ${base}. Start it with \`ollama serve\` (or open the Ollama app), then run again. ` +
    `If it is running, check the address; a page on another origin also needs OLLAMA_ORIGINS to allow it.`
  );
}

/** Compare dotted versions: versionAtLeast('0.12.11', '0.12.9') is true. Pre-release tags are ignored. */
export function versionAtLeast(version: string, min: string): boolean {
  const parts = (v: string) => v.replace(/^v/, '').split(/[-+]/)[0]!.split('.').map((p) => Number.parseInt(p, 10) || 0);
  const a = parts(version);
  const b = parts(min);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}

export function tooOldMessage(version: string | null): string {
  return `This Ollama is too old for probabilities (needs ${MIN_LOGPROBS_VERSION} or newer; it is ${version ?? 'an unknown version'}). Update Ollama and run again.`;
}

async function call(base: string, path: string, init: RequestInit, signal: AbortSignal): Promise<Response> {
  try {
    return await fetch(base + path, { ...init, signal });
  } catch (error) {
    if (signal.aborted) throw error;
    throw new Error(notRunning(base), { cause: error });
  }
}

/** Turn a non-2xx answer into a sentence; 404 "model … not found" means the model is not pulled. */
async function failure(response: Response, base: string, model: string, signal: AbortSignal): Promise<Error> {
  const text = await response.text().catch(() => '');
  let message = text.slice(0, 300);
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (typeof parsed.error === 'string') message = parsed.error;
  } catch {
    // Not JSON: keep the text.
  }
  if (response.status === 404 && /not found/i.test(message)) {
    const pulled = await ollamaModels(base, signal).catch(() => []);
    const here = pulled.length ? ` Pulled here: ${pulled.slice(0, 10).join(', ')}.` : '';
    return new Error(`The model '${model}' is not pulled in this Ollama: run \`ollama pull ${model}\`, then run again.${here}`);
  }
  return new Error(`The Ollama at ${base} answered HTTP ${response.status}: ${message || response.statusText}.`);
}

/** GET /api/tags: the names of the models pulled in this Ollama. */
export async function ollamaModels(base: string, signal: AbortSignal): Promise<string[]> {
  const response = await call(base, '/api/tags', {}, signal);
  if (!response.ok) return [];
  const body = (await response.json().catch(() => ({}))) as { models?: { name?: unknown }[] };
  return (body.models ?? []).flatMap((m) => (typeof m.name === 'string' ? [m.name] : []));
}

/** GET /api/version: the server's version, or null if it does not say. */
export async function ollamaVersion(base: string, signal: AbortSignal): Promise<string | null> {
  const response = await call(base, '/api/version', {}, signal);
  if (!response.ok) return null;
  const body = (await response.json().catch(() => ({}))) as { version?: unknown };
  return typeof body.version === 'string' ? body.version : null;
}

/** POST /api/show: the model's family (details.family), e.g. 'llama' or 'gpt2'; throws if not pulled. */
export async function ollamaFamily(base: string, model: string, signal: AbortSignal): Promise<string | null> {
  const response = await call(base, '/api/show', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model }) }, signal);
  if (!response.ok) throw await failure(response, base, model, signal);
  const body = (await response.json().catch(() => ({}))) as { details?: { family?: unknown } };
  return typeof body.details?.family === 'string' ? body.details.family : null;
}

/** POST /api/generate with stream: false. */
export async function ollamaGenerate(base: string, request: OllamaGenerateRequest & { stream: false }, signal: AbortSignal): Promise<OllamaGenerateChunk> {
  const response = await call(base, '/api/generate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) }, signal);
  if (!response.ok) throw await failure(response, base, request.model, signal);
  const body = (await response.json()) as OllamaGenerateChunk;
  if (body.error) throw new Error(`The Ollama at ${base} reported: ${body.error}.`);
  return body;
}

/** Split a byte stream into parsed NDJSON lines (one JSON object per line). */
export async function* ndjsonLines<T>(body: ReadableStream<Uint8Array>): AsyncGenerator<T> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (line) yield JSON.parse(line) as T;
      }
      if (done) break;
    }
    if (buffer.trim()) yield JSON.parse(buffer) as T;
  } finally {
    reader.releaseLock();
  }
}

/** POST /api/generate with stream: true: yields each NDJSON chunk as it arrives. */
export async function* ollamaGenerateStream(base: string, request: OllamaGenerateRequest & { stream: true }, signal: AbortSignal): AsyncGenerator<OllamaGenerateChunk> {
  const response = await call(base, '/api/generate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) }, signal);
  if (!response.ok) throw await failure(response, base, request.model, signal);
  if (!response.body) throw new Error(`The Ollama at ${base} sent no stream.`);
  for await (const chunk of ndjsonLines<OllamaGenerateChunk>(response.body)) {
    if (chunk.error) throw new Error(`The Ollama at ${base} reported: ${chunk.error}.`);
    yield chunk;
  }
}

/** The token's UTF-8 bytes: Ollama's `bytes` when sent, else encoded from the text. */
export function tokenBytes(entry: OllamaTokenLogprob): number[] {
  return entry.bytes ?? [...new TextEncoder().encode(entry.token)];
}

/** The shipped tokenizer that matches an Ollama model family, if any (Llama 3 differs from LLaMA-2's). */
export function shippedTokenizerForFamily(family: string | null): { name: string; note: string } | null {
  if (!family) return null;
  if (/^gpt-?2$/i.test(family)) return { name: 'gpt2', note: 'This is a GPT-2 model: the shipped GPT-2 tokenizer gives its IDs.' };
  if (/^llama$/i.test(family)) {
    return {
      name: 'tinyllama',
      note: 'This is a llama-family model: for LLaMA-2-style models (TinyLlama, Llama 2) the shipped TinyLlama tokenizer gives its IDs; Llama 3 and later use a different vocabulary.',
    };
  }
  return null;
}

export const OLLAMA_NO_IDS =
  'Ollama does not expose its tokenizer: these are the model’s own tokens as text, without IDs (it has no tokenize endpoint).';
export const OLLAMA_NO_INTERNALS = 'Attention and embeddings are not available from Ollama: it returns only tokens and their probabilities.';

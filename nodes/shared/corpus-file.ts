/**
 * Corpus files: a corpus that lives beside the graph, not inside it. The graph keeps only a
 * reference (its sha256, name, size, where it is), so a shared graph stays small and trains on
 * exactly the same bytes anywhere the file is found; the recipe key of a node trained on it is
 * the file's hash.
 *
 *   const ref: CorpusFileRef = { sha256: 'ab12…', name: 'odia.txt', bytes: 120e6, where: 'browser', format: 'txt' };
 *   const bytes = openCorpusFile(ref, ctx);   // AsyncIterable<Uint8Array>, or a sentence thrown
 *
 * Two homes:
 * - 'server': uploaded to /api/corpora (server/corpora), read from the store by server runs.
 * - 'browser': a local file the learner chose; the File stays in this page's engine worker
 *   (registerLocalCorpus), never in the graph document, and is read with File.stream(). A
 *   reload forgets it: the node asks for the file again, and choosing it again is checked by hash.
 *
 * The browser's hash is computed streaming (@noble/hashes: WebCrypto's digest needs the whole
 * file in memory at once).
 *
 * Not handled here: uploading (the inspector), training (bpe/train-stream.ts).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { z } from 'zod';
import type { RunContext } from '../engine/define-node';

/** The largest local file a browser graph trains on (read as a stream, never held whole). */
export const LOCAL_CORPUS_MAX_BYTES = 200 * 1024 * 1024;

export const corpusFileRefSchema = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'A corpus file is named by its sha256: 64 lower-case hexadecimal digits.'),
  name: z.string().max(200),
  bytes: z.number().int().min(0),
  where: z.enum(['server', 'browser']),
  format: z.enum(['txt', 'jsonl']).default('txt'),
  /** JSON Lines: the top-level string field that holds the text. */
  jsonlField: z.string().max(100).optional(),
});

export type CorpusFileRef = z.output<typeof corpusFileRefSchema>;

/** The page asks the engine worker to hash and keep a local file (nodes/worker.ts answers). */
export type LocalCorpusRequest = { type: 'local-corpus'; requestId: number; file: Blob; sha256?: string };
export type LocalCorpusMessage =
  | { type: 'local-corpus-progress'; requestId: number; bytes: number }
  | { type: 'local-corpus-result'; requestId: number; ok: true; sha256: string; bytes: number }
  | { type: 'local-corpus-result'; requestId: number; ok: false; message: string };

/**
 * Answers a LocalCorpusRequest: a file the page hashed before (in a worker since replaced) is
 * kept as it is; a new one is hashed as a stream, with progress every 4 MB.
 */
export async function handleLocalCorpusRequest(request: LocalCorpusRequest, post: (message: LocalCorpusMessage) => void): Promise<void> {
  const { requestId } = request;
  if (request.sha256) {
    keepLocalCorpus(request.sha256, request.file);
    return;
  }
  let last = 0;
  try {
    const { sha256: hex, bytes } = await registerLocalCorpus(request.file, (read) => {
      if (read - last >= 4 << 20) post({ type: 'local-corpus-progress', requestId, bytes: (last = read) });
    });
    post({ type: 'local-corpus-result', requestId, ok: true, sha256: hex, bytes });
  } catch (error) {
    post({ type: 'local-corpus-result', requestId, ok: false, message: error instanceof Error ? error.message : String(error) });
  }
}

/** Files chosen in this page, by hash (this module's state lives in the engine worker). */
const localFiles = new Map<string, Blob>();

/** Hashes a local file as a stream and keeps it for runs in this worker; reports bytes hashed. */
export async function registerLocalCorpus(file: Blob, onProgress?: (bytes: number) => void, signal?: AbortSignal): Promise<{ sha256: string; bytes: number }> {
  if (file.size > LOCAL_CORPUS_MAX_BYTES) {
    throw new Error(`This file is ${(file.size / 1e6).toFixed(0)} MB; the browser trains on files up to ${LOCAL_CORPUS_MAX_BYTES / 1024 / 1024} MB. Upload it to the server, or use a part of it.`);
  }
  const hash = sha256.create();
  let bytes = 0;
  const reader = file.stream().getReader();
  try {
    for (;;) {
      if (signal?.aborted) throw new DOMException('stopped', 'AbortError');
      const { done, value } = await reader.read();
      if (done) break;
      hash.update(value);
      bytes += value.byteLength;
      onProgress?.(bytes);
    }
  } finally {
    reader.releaseLock();
  }
  const hex = bytesToHex(hash.digest());
  localFiles.set(hex, file);
  return { sha256: hex, bytes };
}

/** Keeps a file the page hashed before (the worker was replaced); the page vouches for the hash. */
export function keepLocalCorpus(hex: string, file: Blob): void {
  localFiles.set(hex, file);
}

export function hasLocalCorpus(hex: string): boolean {
  return localFiles.has(hex);
}

/** The bytes of a corpus file for this run, or a sentence saying why they cannot be read here. */
export function openCorpusFile(ref: CorpusFileRef, ctx: Pick<RunContext, 'where' | 'resources' | 'signal'>): AsyncIterable<Uint8Array> | ReadableStream<Uint8Array> {
  if (ref.where === 'browser') {
    if (ctx.where === 'server') {
      throw new Error(`The corpus file ${ref.name} is in your browser only: run this graph in the browser, or upload the file to the server.`);
    }
    const file = localFiles.get(ref.sha256);
    if (!file) throw new Error(`Choose ${ref.name} again (${(ref.bytes / 1e6).toFixed(1)} MB): the browser forgets local files when the page reloads.`);
    return file.stream();
  }
  if (ctx.where === 'browser') {
    throw new Error(`The corpus file ${ref.name} is stored on the server: set Run on to Server to train on it.`);
  }
  const open = ctx.resources.openCorpus;
  if (!open) throw new Error('This server keeps no corpus files.');
  return open(ref.sha256, ctx.signal);
}

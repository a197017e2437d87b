'use client';
/**
 * The page's questions to the engine worker that are not runs: an inspector asking about a
 * node's result (a vocabulary page, a search) and a local corpus file to hash and keep. Each
 * question gets a request id and waits here until the worker answers it by that id. The worker
 * itself (spawning it, runs, the watchdog, Stop) belongs to use-engine.ts, which tells this
 * module which worker is current (`attachWorker`) and hands it the answers (`answerFromWorker`).
 *
 * Not handled here: a question the worker never answers. A replaced worker's questions stay
 * pending (nothing rejects them); an inspector asks again when its node's result changes.
 */
import type { HostMessage, HostRequest } from '@/nodes/engine/worker-host';
import type { LocalCorpusMessage, LocalCorpusRequest } from '@/nodes/shared/corpus-file';
import { useLab } from './store';
import { queryServerNode } from './server-runner';

/** Pending inspector questions, by request id, answered by the worker ('query-result'). */
const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
let nextRequestId = 0;
let activeWorker: Worker | null = null;

/**
 * Ask the engine about a node's result where it lives (a vocabulary page, a search), by the
 * result's recipe key. Rejects with a readable message.
 */
export function queryEngine(nodeType: string, key: string, request: unknown): Promise<unknown> {
  if (useLab.getState().run.where === 'server') return queryServerNode(nodeType, key, request);
  const worker = activeWorker;
  if (!worker) return Promise.reject(new Error('The engine is not running.'));
  const requestId = ++nextRequestId;
  return new Promise((resolve, reject) => {
    pending.set(requestId, { resolve, reject });
    worker.postMessage({ type: 'query', requestId, nodeType, key, request } satisfies HostRequest);
  });
}

/**
 * Local corpus files this page chose, by sha256. The worker holds them for runs; the page keeps
 * them too, so a replaced worker (Stop, a crash) gets them again without hashing them again.
 */
const localCorpora = new Map<string, File>();
const corpusWaiters = new Map<number, { resolve(value: { sha256: string; bytes: number }): void; reject(error: Error): void; progress?(bytes: number): void }>();

/** Hash a local file in the engine worker (streamed) and keep it for runs there. */
export function chooseLocalCorpus(file: File, onProgress?: (bytes: number) => void): Promise<{ sha256: string; bytes: number }> {
  const worker = activeWorker;
  if (!worker) return Promise.reject(new Error('The engine is not running.'));
  const requestId = ++nextRequestId;
  return new Promise<{ sha256: string; bytes: number }>((resolve, reject) => {
    corpusWaiters.set(requestId, { resolve, reject, progress: onProgress });
    worker.postMessage({ type: 'local-corpus', requestId, file } satisfies LocalCorpusRequest);
  }).then((result) => {
    localCorpora.set(result.sha256, file);
    return result;
  });
}

/** Whether this page still holds the local file of a corpus reference (a reload forgets it). */
export function hasLocalCorpusInPage(sha256: string): boolean {
  return localCorpora.has(sha256);
}

/** Make `worker` the one questions go to, and give it the page's local corpus files, already hashed. */
export function attachWorker(worker: Worker) {
  activeWorker = worker;
  for (const [sha256, file] of localCorpora) worker.postMessage({ type: 'local-corpus', requestId: 0, file, sha256 } satisfies LocalCorpusRequest);
}

/** Settle the question a worker's message answers (or report its progress); other messages pass by. */
export function answerFromWorker(message: HostMessage | LocalCorpusMessage) {
  if (message.type === 'local-corpus-progress') corpusWaiters.get(message.requestId)?.progress?.(message.bytes);
  if (message.type === 'local-corpus-result') {
    const waiter = corpusWaiters.get(message.requestId);
    corpusWaiters.delete(message.requestId);
    if (message.ok) waiter?.resolve({ sha256: message.sha256, bytes: message.bytes });
    else waiter?.reject(new Error(message.message));
  }
  if (message.type === 'query-result') {
    const waiter = pending.get(message.requestId);
    pending.delete(message.requestId);
    if (message.ok) waiter?.resolve(message.result);
    else waiter?.reject(new Error(message.message));
  }
}

/**
 * The body of one engine worker thread (loaded through run-worker.mjs, which teaches the
 * thread TypeScript). Each thread keeps its own recipe cache for its whole life; the pool in
 * thread-engine.ts sends runs with the same inputs to the same thread so they share it.
 *
 * - `runGraphTask({ doc, port })`: executes the graph with the shared executor and registry
 *   (where: 'server'), posting every RunEvent on `port` as it happens; a `{ type: 'cancel' }`
 *   message on the port aborts it (the executor stops at its next checkpoint).
 * - `ping()`: answers the thread id; the pool uses it to know the thread has loaded.
 * - Page requests arrive on a BroadcastChannel shared by all threads; the thread holding the
 *   key answers with the page, the others with `missing-key`.
 *
 * Not handled here: limits, hard stops (the pool terminates the thread), scheduling.
 */
import { BroadcastChannel, type MessagePort, threadId, workerData } from 'node:worker_threads';
import { createRecipeCache } from '@/nodes/engine/cache';
import type { Resources } from '@/nodes/engine/define-node';
import { execute, type RunEvent } from '@/nodes/engine/executor';
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import { registry } from '@/nodes/index';
import { lookupPage, lookupQuery, type NodeQuery, type PageLookup, type QueryLookup } from '@/server/run/engine';
import type { PageRequest } from '@/server/run/paging';

export interface RunWorkerData {
  cacheBytes: number;
  channel: string;
  resources: Resources;
}

export type WorkerToMain = { type: 'thread'; threadId: number } | { type: 'event'; event: RunEvent };
export type MainToWorker = { type: 'cancel' };
export type PageBroadcast =
  | { type: 'page'; requestId: number; request: PageRequest }
  | { type: 'page-reply'; requestId: number; threadId: number; lookup: PageLookup }
  | { type: 'query'; requestId: number; query: NodeQuery }
  | { type: 'query-reply'; requestId: number; threadId: number; lookup: QueryLookup };

const data = workerData as RunWorkerData;
const cache = createRecipeCache({ maxBytes: data.cacheBytes });

const channel = new BroadcastChannel(data.channel);
channel.onmessage = (message: unknown) => {
  const body = (message as { data: PageBroadcast }).data;
  if (body.type === 'query') {
    channel.postMessage({ type: 'query-reply', requestId: body.requestId, threadId, lookup: lookupQuery(cache, body.query) } satisfies PageBroadcast);
    return;
  }
  if (body.type !== 'page') return;
  let lookup: PageLookup;
  try {
    lookup = lookupPage(cache, body.request);
  } catch (error) {
    lookup = { ok: false, reason: 'not-pageable', message: error instanceof Error ? error.message : String(error) };
  }
  const reply: PageBroadcast = { type: 'page-reply', requestId: body.requestId, threadId, lookup };
  channel.postMessage(reply);
};

export async function runGraphTask(task: { doc: GraphDoc; port: MessagePort }): Promise<{ cancelled: boolean }> {
  const { doc, port } = task;
  const controller = new AbortController();
  port.on('message', (message: MainToWorker) => {
    if (message.type === 'cancel') controller.abort();
  });
  const post = (message: WorkerToMain) => port.postMessage(message);
  post({ type: 'thread', threadId });
  const report = await execute(doc, {
    registry,
    cache,
    where: 'server',
    resources: data.resources,
    signal: controller.signal,
    onEvent: (event) => post({ type: 'event', event }),
  });
  // The main thread closes the port once it has seen run:done; closing here could drop it.
  port.removeAllListeners('message');
  return { cancelled: report.cancelled };
}

export function ping(): number {
  return threadId;
}

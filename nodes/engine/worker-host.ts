/**
 * The message protocol between the canvas and whatever runs the engine for it (a Web Worker in
 * the browser; the same host logic is used by tests in Node). A new run cancels the stale one,
 * and the recipe cache lives as long as the host, so a keystroke recomputes only what changed.
 *
 * Not handled here: hard stop and the watchdog (the canvas terminates a worker whose node runs
 * past its budget and makes a new one; see components/canvas/use-engine.ts).
 */
import { createRecipeCache, type RecipeCache } from './cache';
import { execute, type RunEvent, type Where } from './executor';
import type { GraphDoc } from './graph-doc';
import { kindOf, type Registry } from './validate';
import type { Resources } from './define-node';
import { createViewSender, type WireEvent } from './view-diff';

export type HostRequest =
  /**
   * `focus`: the node whose inspector is open. Its result is posted the moment it is done, in a
   * batch of its own, so the inspector follows a keystroke without waiting for the nodes after it.
   */
  | { type: 'run'; runId: number; doc: GraphDoc; focus?: string | null }
  | { type: 'cancel'; runId: number }
  | { type: 'clear-cache' }
  | { type: 'query'; requestId: number; nodeType: string; key: string; request: unknown };

export type HostMessage =
  | { type: 'event'; runId: number; event: RunEvent }
  /**
   * A batch of a run's events; each result's view is a patch on the last view this host sent for
   * that node (view-diff.ts: the page decodes every batch in order, a stale run's too).
   * `postedAt`: when the worker posted the batch (epoch ms, sub-millisecond), for the keystroke bench.
   */
  | { type: 'events'; runId: number; events: WireEvent[]; postedAt?: number }
  | { type: 'backend'; where: Where; detail: string }
  /** Sent at once, unbatched, when a node starts: the canvas's watchdog learns what is running
   *  even when that node then blocks the worker's thread and no batch is ever flushed. */
  | { type: 'started'; runId: number; nodeId: string }
  /** Sent every ALIVE_EVERY_MS while a run is in flight and the worker's event loop turns: a
   *  node that blocks the thread stops these, a slow but cooperative one does not. */
  | { type: 'alive'; runId: number }
  | { type: 'query-result'; requestId: number; ok: true; result: unknown }
  | { type: 'query-result'; requestId: number; ok: false; message: string };

export const ALIVE_EVERY_MS = 500;

/** The events that end a node's part in a run. */
const isResult = (event: RunEvent): event is Extract<RunEvent, { type: 'node:done' | 'node:cached' | 'node:error' | 'node:blocked' }> =>
  event.type === 'node:done' || event.type === 'node:cached' || event.type === 'node:error' || event.type === 'node:blocked';

/** Epoch milliseconds with sub-millisecond precision, comparable between a worker and its page. */
const epochNow = () => (typeof performance !== 'undefined' ? performance.timeOrigin + performance.now() : Date.now());

export function createRunHost(options: {
  registry: Registry;
  where: Where;
  resources: Resources;
  post: (message: HostMessage) => void;
  cache?: RecipeCache;
}) {
  const cache = options.cache ?? createRecipeCache();
  let current: { runId: number; controller: AbortController } | undefined;

  // Events are posted in batches: everything a run emits before it next yields to the event loop
  // (fast nodes finish within one task) travels in one message, so the canvas renders once.
  let buffer: { runId: number; events: RunEvent[] } | undefined;
  // Views travel as patches on the last one sent (a keystroke changes little of each). They are
  // made when the batch is posted, not as each node finishes: inside the run, the time spent
  // diffing would count towards the executor's 12 ms between yields, and a yield on a busy
  // machine costs more than the diff.
  const views = createViewSender();
  const flush = () => {
    if (!buffer) return;
    const events = buffer.events.map((e) => views.encode(e));
    options.post({ type: 'events', runId: buffer.runId, events, postedAt: epochNow() });
    buffer = undefined;
  };
  const emit = (runId: number, event: RunEvent, focus: string | null | undefined) => {
    if (buffer && buffer.runId !== runId) flush();
    if (!buffer) {
      buffer = { runId, events: [] };
      setTimeout(flush, 0);
    }
    buffer.events.push(event);
    if (event.type === 'node:start') options.post({ type: 'started', runId, nodeId: event.nodeId });
    if (event.type === 'run:done' || (focus && isResult(event) && event.nodeId === focus)) flush();
  };

  async function run(runId: number, doc: GraphDoc, focus?: string | null) {
    current?.controller.abort();
    const controller = new AbortController();
    current = { runId, controller };
    const alive = setInterval(() => options.post({ type: 'alive', runId }), ALIVE_EVERY_MS);
    try {
      await execute(doc, {
        registry: options.registry,
        cache,
        where: options.where,
        resources: options.resources,
        signal: controller.signal,
        onEvent: (event) => {
          // No cut after the last node: its result and run:done travel together.
          if (event.type === 'run:start' && focus && event.order.at(-1) === focus) focus = null;
          emit(runId, event, focus);
        },
      });
    } finally {
      clearInterval(alive);
      if (current?.runId === runId) current = undefined;
    }
  }

  return {
    cache,
    handle(request: HostRequest): Promise<void> {
      switch (request.type) {
        case 'run':
          return run(request.runId, request.doc, request.focus);
        case 'cancel':
          if (current?.runId === request.runId) current.controller.abort();
          return Promise.resolve();
        case 'clear-cache':
          cache.clear();
          return Promise.resolve();
        case 'query':
          options.post(answerQuery(options.registry, cache, request));
          return Promise.resolve();
      }
    },
  };
}

/** Answer an inspector's question from a cached result, or say why it cannot be answered. */
export function answerQuery(
  registry: Registry,
  cache: RecipeCache,
  request: Extract<HostRequest, { type: 'query' }>,
): Extract<HostMessage, { type: 'query-result' }> {
  const { requestId } = request;
  const def = kindOf(registry, request.nodeType);
  const hit = cache.get(request.key);
  if (!def?.query) return { type: 'query-result', requestId, ok: false, message: `${def?.title ?? request.nodeType} answers no questions.` };
  if (!hit) return { type: 'query-result', requestId, ok: false, message: 'That result is no longer held; it will be recomputed on the next run.' };
  try {
    return { type: 'query-result', requestId, ok: true, result: def.query({ outputs: hit.outputs as never, details: hit.details }, request.request) };
  } catch (error) {
    return { type: 'query-result', requestId, ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Run a graph on the server and stream its events, the way the engine worker does in the
 * browser: `onEvent` receives the same RunEvents (run:start, node:start/progress/done/cached/
 * error/blocked, run:done) in the same order, so the canvas can feed both into applyRunEvent.
 * Not React: a plain transport over the app's tRPC client (trpc/client.ts).
 *
 * - A graph whose URL-encoded form is over INLINE_LIMIT characters is first posted with
 *   `run.stage` (subscriptions are GET requests, and servers refuse URLs beyond ~16 KB), then
 *   started by its staged id. The caller does not see the difference.
 * - Aborting `signal` closes the stream, which cancels the run on the server; the promise then
 *   resolves (a stale run is not an error). Limit refusals and "stopped after 120 s" reject
 *   with a TRPCClientError whose message is the sentence to show.
 * - A dropped connection rejects rather than silently re-running the graph.
 * - `fetchValuePage` pages through a large output kept on the server, by the recipe key from
 *   the node's `node:done` / `node:cached` event.
 * - `cancelRun(runId)` stops a run this runner started, with the cancel token the server sent
 *   in the stream's first message (`run:accepted`, not passed to onEvent).
 * - Identity is the server's httpOnly client cookie: browsers send it by themselves.
 *
 * Not handled here: choosing between server and browser, the store (the canvas does both).
 * In Node (tests, scripts), pass the options of createApiClient (trpc/client.ts): `url`,
 * `EventSource`, `headers`.
 */
import { TRPCClientError } from '@trpc/client';
import type { RunEvent } from '@/nodes/engine/executor';
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import type { ValuePage } from '@/server/run/paging';
import { api, createApiClient, type ApiClient, type ApiClientOptions } from '@/trpc/client';
import { randomId } from './random-id';

export type { ValuePage };

/** Longest URL-encoded `{doc}` sent inline in the subscription URL. */
export const INLINE_LIMIT = 8000;

export type ServerRunnerOptions = ApiClientOptions;

export interface RunOnServerOptions {
  onEvent: (event: RunEvent) => void;
  signal?: AbortSignal;
  /** Names the run for `cancelRun`; a random id by default. */
  runId?: string;
}

export interface PageQuery {
  key: string;
  port: string;
  offset?: number;
  limit?: number;
}

export interface ServerRunner {
  runOnServer(doc: GraphDoc, options: RunOnServerOptions): Promise<void>;
  fetchValuePage(query: PageQuery, options?: { signal?: AbortSignal }): Promise<ValuePage>;
  cancelRun(runId: string): Promise<boolean>;
  queryNode(nodeType: string, key: string, request: unknown): Promise<unknown>;
  /** The engine the server uses and its limits, for the UI ("server · 2 processes · 120 s"). */
  serverInfo(): Promise<{
    engine: 'processes' | 'in-process';
    processes: number;
    maxProcesses: number;
    maxMemory: string;
    maxInput: string;
    maxRunTime: string;
    maxRunsPerClient: number;
  }>;
}

/** A runner over `client`: the browser's `api` by default, or a client made from `options`. */
export function createServerRunner(options: ServerRunnerOptions = {}, client: ApiClient = createApiClient(options)): ServerRunner {
  /** The cancel token of each run this runner has going (from its `run:accepted` message). */
  const cancelTokens = new Map<string, string>();

  async function runOnServer(doc: GraphDoc, { onEvent, signal, runId = randomId() }: RunOnServerOptions): Promise<void> {
    if (signal?.aborted) return;
    const inline = encodeURIComponent(JSON.stringify({ doc })).length <= INLINE_LIMIT;
    let input: { doc: GraphDoc; runId: string } | { stagedId: string; runId: string };
    if (inline) input = { doc, runId };
    else {
      try {
        const { stagedId } = await client.run.stage.mutate({ doc }, { signal });
        input = { stagedId, runId };
      } catch (error) {
        if (signal?.aborted) return;
        throw error;
      }
    }
    if (signal?.aborted) return;

    await new Promise<void>((resolve, reject) => {
      let started = false;
      let settled = false;
      const finish = (error?: unknown) => {
        if (settled) return;
        settled = true;
        cancelTokens.delete(runId);
        signal?.removeEventListener('abort', onAbort);
        subscription.unsubscribe();
        if (error === undefined) resolve();
        else reject(error);
      };
      const onAbort = () => finish();
      const subscription = client.run.start.subscribe(input, {
        onStarted: () => {
          started = true;
        },
        onData: (event) => {
          if (event.type === 'run:accepted') {
            cancelTokens.set(runId, event.cancelToken);
            return;
          }
          if (settled) return;
          // The wire type only loosens `view: unknown` to optional; these are RunEvents.
          if (event.type === 'run:events') for (const each of event.events) onEvent(each as RunEvent);
          else onEvent(event as RunEvent);
        },
        onError: (error) => finish(error),
        onComplete: () => finish(),
        onConnectionStateChange: (state) => {
          // The link would reconnect and run the graph again; report the failure instead. An
          // error the server sent (it has `data`, e.g. INTERNAL_SERVER_ERROR, which the link
          // counts as retryable) is passed on as it is; a dropped connection says so.
          if (state.state === 'connecting' && state.error) {
            const fromServer = state.error.data !== undefined && state.error.data !== null;
            finish(started && !fromServer ? new TRPCClientError(`The connection to the server was lost: ${state.error.message}`) : state.error);
          }
        },
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  return {
    runOnServer,
    fetchValuePage: ({ key, port, offset = 0, limit = 500 }, { signal } = {}) =>
      client.run.page.query({ key, port, offset, limit }, { signal }) as Promise<ValuePage>,
    cancelRun: async (runId) => {
      const cancelToken = cancelTokens.get(runId);
      if (cancelToken === undefined) return false; // not a run of ours that is still going
      return (await client.run.cancel.mutate({ runId, cancelToken })).cancelled;
    },
    queryNode: (nodeType, key, request) => client.run.query.query({ nodeType, key, request }),
    serverInfo: () => client.run.info.query(),
  };
}

let browserRunner: ServerRunner | undefined;
const defaultRunner = () => (browserRunner ??= createServerRunner({}, api));

/** Run `doc` on this app's server; see createServerRunner for the details. */
export function runOnServer(doc: GraphDoc, options: RunOnServerOptions): Promise<void> {
  return defaultRunner().runOnServer(doc, options);
}

/** A page of a node output held on this app's server, by recipe key and output port. */
export function fetchValuePage(query: PageQuery, options?: { signal?: AbortSignal }): Promise<ValuePage> {
  return defaultRunner().fetchValuePage(query, options);
}

/** An inspector's question about a node result held on this app's server (see NodeDefinition.query). */
export function queryServerNode(nodeType: string, key: string, request: unknown): Promise<unknown> {
  return defaultRunner().queryNode(nodeType, key, request);
}

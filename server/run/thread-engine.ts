/**
 * The threaded RunEngine: whole graph runs execute inside piscina worker threads, so heavy
 * nodes never block the event loop that serves other requests.
 *
 * How it fits together:
 * - Shards. There are `threads` piscina pools of exactly one thread each (never idled out, so
 *   a thread's recipe cache lives as long as the server). Each thread runs up to
 *   `tasksPerThread` graphs interleaved (the executor yields every ~12 ms) and keeps its own
 *   LRU recipe cache of `cacheBytes / threads`.
 * - Affinity. A run goes to the shard picked by hashing its `affinity` (the run manager passes
 *   the run's text inputs), so thirty students running the same template on the same text hit
 *   one thread and one cache entry; when that shard is full and another is idle, the idle one
 *   takes it (correct, just without the cache). Large values therefore never cross threads:
 *   only the doc goes in, only events (with small views) come out.
 * - Events. Each run gets a MessageChannel; the worker posts RunEvents on it as they happen and
 *   the run resolves when `run:done` arrives (not when piscina's task settles: the two travel
 *   on different ports, so their order is not guaranteed).
 * - Cancel. Abort posts `cancel` on the run's port; the executor stops at its next checkpoint.
 *   If the thread has not finished the run HARD_STOP_MS later (a long synchronous step), the
 *   thread is terminated and piscina starts a fresh one: the runs sharing that thread end with
 *   an error and its cache is lost. That is the price of a hard stop.
 * - Pages. A BroadcastChannel reaches every thread; the one holding the key answers. (So the
 *   threads run with piscina's `atomics: 'disabled'`: an idle thread parked in Atomics.wait
 *   would never see the request.)
 * - Loading. The worker file is server/run/run-worker.mjs, resolved from process.cwd() at
 *   runtime (not bundled by Next), which registers tsx and imports run-worker.ts. piscina
 *   itself is required at runtime from the project's node_modules for the same reason: Next's
 *   bundler would otherwise rewrite the paths piscina uses to find its own worker script.
 *
 * Not handled here: limits and deduplication (run-manager.ts). Runs spread over several server
 * processes share nothing (ARCHITECTURE §5: a job queue is the path past one machine).
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { BroadcastChannel, MessageChannel } from 'node:worker_threads';
import type { Piscina as PiscinaClass } from 'piscina';
import type { RunEvent } from '@/nodes/engine/executor';
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import { serverResources, type EngineRunOptions, type NodeQuery, type PageLookup, type QueryLookup, type RunEngine } from '@/server/run/engine';
import type { PageRequest } from '@/server/run/paging';
import type { MainToWorker, PageBroadcast, RunWorkerData, WorkerToMain } from '@/server/run/run-worker';

/** Grace between a cooperative cancel and terminating the thread. */
export const HARD_STOP_MS = 5000;
const PAGE_TIMEOUT_MS = 10_000;

export class EngineThreadError extends Error {
  override name = 'EngineThreadError';
}

interface Shard {
  pool: PiscinaClass;
  /** Runs queued or running on this shard. */
  load: number;
}

let channelCounter = 0;

function loadPiscina(): typeof PiscinaClass {
  const nodeRequire = createRequire(path.join(process.cwd(), 'package.json'));
  return nodeRequire('piscina') as typeof PiscinaClass;
}

export function createThreadEngine(options: {
  threads: number;
  tasksPerThread: number;
  cacheBytes: number;
  /** Defaults to <cwd>/server/run/run-worker.mjs. */
  workerFile?: string;
}): RunEngine {
  const Piscina = loadPiscina();
  const filename = options.workerFile ?? path.join(process.cwd(), 'server', 'run', 'run-worker.mjs');
  const channelName = `tokenloom-run-pages-${process.pid}-${++channelCounter}`;
  const workerData: RunWorkerData = {
    cacheBytes: Math.floor(options.cacheBytes / options.threads),
    channel: channelName,
    resources: serverResources(),
  };
  const shards: Shard[] = Array.from({ length: options.threads }, () => ({
    pool: new Piscina({
      filename,
      minThreads: 1,
      maxThreads: 1,
      idleTimeout: Number.POSITIVE_INFINITY,
      concurrentTasksPerWorker: options.tasksPerThread,
      // Idle threads must keep their event loop turning to answer page requests; piscina's
      // default parks them in Atomics.wait, where no message gets through.
      atomics: 'disabled',
      workerData,
    }),
    load: 0,
  }));

  const channel = new BroadcastChannel(channelName);
  let nextRequestId = 0;
  const pageWaiters = new Map<number, (reply: Extract<PageBroadcast, { type: 'page-reply' }>) => void>();
  const queryWaiters = new Map<number, (reply: Extract<PageBroadcast, { type: 'query-reply' }>) => void>();
  channel.onmessage = (message: unknown) => {
    const body = (message as { data: PageBroadcast }).data;
    if (body.type === 'page-reply') pageWaiters.get(body.requestId)?.(body);
    if (body.type === 'query-reply') queryWaiters.get(body.requestId)?.(body);
  };
  channel.unref();

  const ready = Promise.all(shards.map((shard) => shard.pool.run(null, { name: 'ping' }) as Promise<number>)).then(() => undefined);
  // Callers see the failure through ready(); this keeps an early failure from being unhandled.
  ready.catch(() => undefined);

  function pickShard(affinity: string | undefined): Shard {
    const digest = createHash('sha1').update(affinity ?? '').digest();
    const preferred = shards[digest.readUInt32BE(0) % shards.length]!;
    if (preferred.load < options.tasksPerThread) return preferred;
    const leastLoaded = shards.reduce((best, shard) => (shard.load < best.load ? shard : best), preferred);
    return leastLoaded.load < options.tasksPerThread ? leastLoaded : preferred;
  }

  async function run(doc: GraphDoc, { signal, onEvent, affinity }: EngineRunOptions): Promise<void> {
    const shard = pickShard(affinity);
    const { port1, port2 } = new MessageChannel();
    let sawDone = false;
    let hardStop: NodeJS.Timeout | undefined;
    const done = new Promise<void>((resolve) => {
      port1.on('message', (message: WorkerToMain) => {
        if (message.type !== 'event' || sawDone) return;
        onEvent(message.event);
        if (message.event.type === 'run:done') {
          sawDone = true;
          resolve();
        }
      });
    });
    const cancel = () => {
      port1.postMessage({ type: 'cancel' } satisfies MainToWorker);
      hardStop = setTimeout(() => {
        if (!sawDone) void shard.pool.threads[0]?.terminate();
      }, HARD_STOP_MS);
      hardStop.unref();
    };
    if (signal.aborted) cancel();
    else signal.addEventListener('abort', cancel, { once: true });

    shard.load += 1;
    const started = performance.now();
    try {
      const task = shard.pool.run({ doc, port: port2 }, { name: 'runGraphTask', transferList: [port2] }) as Promise<unknown>;
      const settled = task.then(() => done);
      settled.catch(() => undefined); // seen by the race below; a late failure after run:done is moot
      await Promise.race([done, settled]);
    } catch (error) {
      if (!sawDone) {
        const closing: RunEvent = { type: 'run:done', ms: performance.now() - started, cancelled: true };
        onEvent(closing);
      }
      const reason = error instanceof Error ? error.message : String(error);
      throw new EngineThreadError(
        signal.aborted
          ? 'The run did not stop in time, so its engine thread was restarted.'
          : `The server's engine thread stopped (${reason}); run the graph again.`,
      );
    } finally {
      shard.load -= 1;
      signal.removeEventListener('abort', cancel);
      if (hardStop) clearTimeout(hardStop);
      port1.close();
    }
  }

  function page(request: PageRequest): Promise<PageLookup> {
    const requestId = ++nextRequestId;
    const expected = shards.reduce((n, shard) => n + shard.pool.threads.length, 0);
    return new Promise<PageLookup>((resolve) => {
      let misses: PageLookup | undefined;
      let replies = 0;
      const finish = (lookup: PageLookup) => {
        clearTimeout(timer);
        pageWaiters.delete(requestId);
        resolve(lookup);
      };
      const timer = setTimeout(
        () => finish(misses ?? { ok: false, reason: 'missing-key', message: 'The server is busy and could not look the value up in time; try again.' }),
        PAGE_TIMEOUT_MS,
      );
      pageWaiters.set(requestId, (reply) => {
        replies += 1;
        if (reply.lookup.ok || reply.lookup.reason !== 'missing-key') return finish(reply.lookup);
        misses = reply.lookup;
        if (replies >= expected) finish(misses);
      });
      channel.postMessage({ type: 'page', requestId, request } satisfies PageBroadcast);
    });
  }

  /** Like page(): every thread is asked; the one holding the key answers. */
  function query(request: NodeQuery): Promise<QueryLookup> {
    const requestId = ++nextRequestId;
    const expected = shards.reduce((n, shard) => n + shard.pool.threads.length, 0);
    return new Promise<QueryLookup>((resolve) => {
      let replies = 0;
      let miss: QueryLookup | undefined;
      const finish = (lookup: QueryLookup) => {
        clearTimeout(timer);
        queryWaiters.delete(requestId);
        resolve(lookup);
      };
      const timer = setTimeout(
        () => finish(miss ?? { ok: false, missing: true, message: 'The server is busy and could not answer in time; try again.' }),
        PAGE_TIMEOUT_MS,
      );
      queryWaiters.set(requestId, (reply) => {
        replies += 1;
        if (reply.lookup.ok || !reply.lookup.missing) return finish(reply.lookup);
        miss = reply.lookup;
        if (replies >= expected) finish(miss);
      });
      channel.postMessage({ type: 'query', requestId, query: request } satisfies PageBroadcast);
    });
  }

  return {
    kind: 'threads',
    threads: options.threads,
    ready: () => ready,
    run,
    page,
    query,
    async close() {
      channel.close();
      await Promise.all(shards.map((shard) => shard.pool.destroy()));
    },
  };
}

/**
 * The server's run manager: admits runs, deduplicates identical ones, enforces the limits,
 * and fans each run's events out to whoever is watching it. One per server process
 * (getRunManager), created on first use; the tRPC run router is its only HTTP face.
 *
 * - Admission (admission.ts): at most `maxRunsPerClient` runs per client (the signed cookie's
 *   id, from server/api/client-identity.ts; no header a client sets) and `maxRunsTotal` overall,
 *   counted in memory on one machine and in PostgreSQL's `run_lease` with DATABASE_URL, so they
 *   hold across web instances. Over a limit a run waits briefly, then is refused with
 *   TOO_MANY_REQUESTS.
 * - Where runs execute: this server's engine processes (process-engine.ts), or with DATABASE_URL
 *   the job queue's workers (queue/queue-engine.ts; TOKENLOOM_RUN_QUEUE=local keeps them here).
 * - Deduplication: a run whose graph computes exactly what a run in progress computes (same
 *   nodes, params and edges; positions and titles ignored) joins it instead of starting
 *   another; it gets the events so far, then the live ones. Partial overlaps are left to the
 *   recipe cache (a finished node is reused by later runs in the same engine process).
 * - Wall time: an execution is aborted `maxRunMs` after an engine process took it (its own
 *   start: time spent waiting behind other runs does not count against it); its watchers get
 *   the `run:done` event, then a TIMEOUT error "This run was stopped after 120 s …". One that
 *   does not stop is killed with its process ("This run ran past …"). Waiting for a process is
 *   bounded apart (maxRunMs + the hard-stop grace + a process start), with its own message.
 *   Other runs are not touched.
 * - Engine failures: a run whose process died of memory or a V8 size limit fails with
 *   UNPROCESSABLE_CONTENT and the process-engine's sentence; the server goes on.
 * - Cancellation: a watcher that disconnects (the subscription's signal) or calls cancel with
 *   its run's token (given only to the client that started it) leaves; when the last watcher
 *   leaves, the execution is aborted.
 * - Staging: a graph too large for a URL (subscriptions are GET requests) is first posted with
 *   `stage`, kept for STAGE_TTL_MS, and started by its id; an id works once.
 *
 * Not handled here: executing (engine.ts, process-engine.ts, queue/), HTTP (run-router.ts).
 * Deduplication and staged graphs are per process: with several web instances, stage and start
 * must reach the same one, and identical runs on two instances both execute.
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import type { RunEvent } from '@/nodes/engine/executor';
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import { databaseTargetFromEnv } from '@/server/db/client';
import { createDatabaseAdmission, createMemoryAdmission, type Admission } from '@/server/run/admission';
import { createInProcessEngine, type RunEngine } from '@/server/run/engine';
import { createQueueEngine, type QueueEngine, type QueueWorkerSeen } from '@/server/run/queue/queue-engine';
import { formatSeconds, readRunLimits, stringParamBytes, type RunLimits } from '@/server/run/limits';
import type { CacheLookup } from '@/server/run/lookup';
import { createProcessEngine, EngineProcessError } from '@/server/run/process-engine';

export const STAGE_TTL_MS = 60_000;
/** Room for replacing a killed engine process, in the bound on waiting for one. */
const PROCESS_START_MS = 5000;

interface Execution {
  fingerprint: string;
  events: RunEvent[];
  finished: boolean;
  outcome?:
    /** Stopped at the limit; killed with its process at the limit (it did not stop); never started. */
    | { kind: 'time-limit' | 'killed-at-limit' | 'queue-limit' }
    /** Its engine process died of memory or a V8 size limit. */
    | { kind: 'too-large'; message: string }
    | { kind: 'failed'; message: string };
  watchers: number;
  controller: AbortController;
  wake: Set<() => void>;
}

export type RunHealth =
  | { mode: 'queue'; queued: number; active: number; workers: QueueWorkerSeen[] }
  | { mode: 'local'; engine: RunEngine['kind']; processes: number; activeRuns: number };

export interface StartRunOptions {
  doc: GraphDoc;
  /** Who started it (server/api/client-identity.ts): the per-client limit and cancel use it. */
  client: string;
  runId: string;
  signal: AbortSignal;
}

/**
 * The first message of every run stream, before its RunEvents, once the run is admitted: its
 * id and the token `cancel` needs. Only the stream's reader (the client that started the run)
 * sees it, so only that client can cancel.
 */
export type RunAccepted = { type: 'run:accepted'; runId: string; cancelToken: string };

export interface RunManager {
  readonly limits: RunLimits;
  /** `engine` is where a run executes; on the queue that is the workers' engine processes (`queue: true`). */
  info(): Promise<{ engine: 'processes' | 'in-process'; queue: boolean; processes: number; maxProcesses: number; memoryMb: number }>;
  stage(doc: GraphDoc): { stagedId: string; expiresInMs: number };
  takeStaged(stagedId: string): GraphDoc;
  start(options: StartRunOptions): AsyncGenerator<RunAccepted | RunEvent, void, void>;
  /**
   * Stops `client`'s run `runId` when `cancelToken` is that run's; false (and nothing happens)
   * otherwise. On the queue, a run held by another web instance is cancelled there.
   */
  cancel(client: string, runId: string, cancelToken: string): Promise<boolean>;
  /** A page of a cached output or an inspector's question about it (lookup.ts); NOT_FOUND when no engine holds it. */
  lookup(request: CacheLookup): Promise<unknown>;
  stats(): { activeRuns: number; executions: number; staged: number };
  /** Where runs go and what is waiting: the job queue's depth and the workers seen lately, or this server's engine processes. */
  health(): Promise<RunHealth>;
  close(): Promise<void>;
}

/**
 * sha256 of what the graph computes: node ids, types, params and the wiring; nothing visual.
 * Params nested so deep that JSON.stringify overflows the stack (a hand-made document) are
 * refused with a sentence rather than a RangeError.
 */
function fingerprintOf(doc: GraphDoc): string {
  const shape = [doc.nodes.map((n) => [n.id, n.type, n.params]), doc.edges.map((e) => [e.source, e.sourcePort, e.target, e.targetPort])];
  let json: string;
  try {
    json = JSON.stringify(shape);
  } catch {
    throw new TRPCError({ code: 'BAD_REQUEST', message: 'This graph’s node settings are nested too deeply to run; remove the nested values.' });
  }
  return createHash('sha256').update(json).digest('base64url');
}

/** The params of the nodes that feed others and have no inputs: what a run's results hinge on. */
function affinityOf(doc: GraphDoc): string {
  const targets = new Set(doc.edges.map((e) => e.target));
  const sources = new Set(doc.edges.map((e) => e.source));
  const roots = doc.nodes.filter((n) => sources.has(n.id) && !targets.has(n.id));
  return JSON.stringify((roots.length ? roots : doc.nodes).map((n) => [n.type, n.params]));
}

/**
 * With DATABASE_URL, server runs go through the PostgreSQL job queue to `npm run worker`
 * processes, and run slots are counted in the database; TOKENLOOM_RUN_QUEUE=local keeps them in
 * this server's own engine processes (one machine with PostgreSQL for storage only).
 */
export function usesQueue(source: Record<string, string | undefined> = process.env): boolean {
  return databaseTargetFromEnv().driver === 'postgres' && source.TOKENLOOM_RUN_QUEUE !== 'local';
}

export function createRunManager(options: { limits?: RunLimits; engine?: RunEngine; admission?: Admission } = {}): RunManager {
  const limits = options.limits ?? readRunLimits();
  const queueLimitMs = limits.maxRunMs + limits.stopGraceMs + PROCESS_START_MS;
  const executions = new Map<string, Execution>();
  const target = databaseTargetFromEnv();
  /** This web instance, in the run slots it takes (run_lease) and on its queue channel. */
  const instance = randomUUID();
  const admission =
    options.admission ?? (usesQueue() && target.driver === 'postgres' ? createDatabaseAdmission(limits, target.url, instance) : createMemoryAdmission(limits));
  const watchers = new Map<string, { controller: AbortController; token: Buffer }>();
  const staged = new Map<string, { doc: GraphDoc; bytes: number; expiresAt: number }>();
  let stagedBytes = 0;

  let enginePromise: Promise<RunEngine> | undefined;
  function engine(): Promise<RunEngine> {
    enginePromise ??= (async () => {
      if (options.engine) return options.engine;
      const url = databaseTargetFromEnv();
      if (usesQueue() && url.driver === 'postgres') {
        const queue = await createQueueEngine(url.url, limits, instance);
        queue.onPeerCancel(cancelHere);
        return queue;
      }
      if (limits.processes === 0) return createInProcessEngine({ cacheBytes: limits.cacheBytes });
      let pool: RunEngine | undefined;
      try {
        pool = createProcessEngine({
          processes: limits.processes,
          maxProcesses: limits.maxProcesses,
          memoryMb: limits.memoryMb,
          cacheBytes: limits.cacheBytes,
          hardStopMs: limits.stopGraceMs,
        });
        await pool.ready();
        return pool;
      } catch (error) {
        void pool?.close().catch(() => undefined);
        const reason = error instanceof Error ? error.message : String(error);
        console.error(`[run] engine processes could not start (${reason}); running graphs in the web server's process instead, without isolation.`);
        return createInProcessEngine({ cacheBytes: limits.cacheBytes });
      }
    })();
    return enginePromise;
  }
  // Start the engine processes now, so the first run does not pay for loading the engine.
  void engine();

  function wakeAll(execution: Execution) {
    for (const wake of [...execution.wake]) wake();
  }

  function startExecution(doc: GraphDoc, fingerprint: string): Execution {
    const execution: Execution = { fingerprint, events: [], finished: false, watchers: 0, controller: new AbortController(), wake: new Set() };
    executions.set(fingerprint, execution);
    // The run's own clock starts when a process takes it (onStarted), so a run queued behind
    // a hung one is never blamed for that one's time. Waiting is bounded apart, by long enough
    // for a hung run to reach its limit, be killed and its process be replaced.
    let timer = setTimeout(() => {
      execution.outcome ??= { kind: 'queue-limit' };
      execution.controller.abort();
    }, queueLimitMs);
    const onStarted = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        execution.outcome ??= { kind: 'time-limit' };
        execution.controller.abort();
      }, limits.maxRunMs);
    };
    void (async () => {
      try {
        const runner = await engine();
        await runner.run(doc, {
          signal: execution.controller.signal,
          affinity: affinityOf(doc),
          onStarted,
          onEvent: (event) => {
            execution.events.push(event);
            wakeAll(execution);
          },
        });
      } catch (error) {
        if (error instanceof EngineProcessError && error.reason === 'killed') {
          // Killed past the time limit: say which limit; killed after a cancel: nobody is watching.
          execution.outcome = execution.outcome?.kind === 'time-limit' ? { kind: 'killed-at-limit' } : { kind: 'failed', message: error.message };
        }
        else if (error instanceof EngineProcessError && (error.reason === 'memory' || error.reason === 'invalid-size')) {
          execution.outcome = { kind: 'too-large', message: error.message };
        } else execution.outcome ??= { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
      } finally {
        clearTimeout(timer);
        execution.finished = true;
        if (executions.get(fingerprint) === execution) executions.delete(fingerprint);
        wakeAll(execution);
      }
    })();
    return execution;
  }

  /** Resolves when the execution has news or one of the signals aborts. */
  function nextChange(execution: Execution, signals: AbortSignal[]): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        execution.wake.delete(done);
        for (const s of signals) s.removeEventListener('abort', done);
        resolve();
      };
      execution.wake.add(done);
      for (const s of signals) s.addEventListener('abort', done, { once: true });
    });
  }

  async function* start(options: StartRunOptions): AsyncGenerator<RunAccepted | RunEvent, void, void> {
    const release = await admission.admit(options.client, options.signal);
    // Everything after admission is inside this try: a throw anywhere (a graph that cannot be
    // fingerprinted, an engine that failed to start) still gives the slot back.
    try {
      yield* watch(options);
    } finally {
      release();
    }
  }

  async function* watch({ doc, client, runId, signal }: StartRunOptions): AsyncGenerator<RunAccepted | RunEvent, void, void> {
    const fingerprint = fingerprintOf(doc);
    const watcherKey = `${client}\u0000${runId}`;
    const cancelled = new AbortController();
    const cancelToken = randomBytes(18).toString('base64url');
    const watcher = { controller: cancelled, token: Buffer.from(cancelToken) };
    watchers.get(watcherKey)?.controller.abort(); // the same run id again replaces the old watcher
    watchers.set(watcherKey, watcher);

    const running = executions.get(fingerprint);
    const execution = running && !running.finished && !running.controller.signal.aborted ? running : startExecution(doc, fingerprint);
    execution.watchers += 1;
    let watching = true;
    const leave = () => {
      if (!watching) return;
      watching = false;
      execution.watchers -= 1;
      if (execution.watchers === 0 && !execution.finished) execution.controller.abort();
    };

    try {
      yield { type: 'run:accepted', runId, cancelToken };
      let index = 0;
      for (;;) {
        while (index < execution.events.length) yield execution.events[index++]!;
        if (execution.finished || signal.aborted) break;
        if (cancelled.signal.aborted && watching) {
          const alone = execution.watchers === 1;
          leave();
          if (!alone) {
            // Others still watch the shared execution: this watcher's run ends here.
            yield { type: 'run:done', ms: 0, cancelled: true };
            return;
          }
          continue; // the execution was aborted: stream on to its own run:done
        }
        await nextChange(execution, watching ? [signal, cancelled.signal] : [signal]);
      }
      if (signal.aborted) return;
      const outcome = execution.outcome;
      switch (outcome?.kind) {
        case undefined:
          return;
        case 'time-limit':
          throw new TRPCError({
            code: 'TIMEOUT',
            message: `This run was stopped after ${formatSeconds(limits.maxRunMs)}, the server's limit for one run. Use a smaller text, or run it in the browser.`,
          });
        case 'killed-at-limit':
          throw new TRPCError({
            code: 'TIMEOUT',
            message: `This run ran past ${formatSeconds(limits.maxRunMs)}, the server's limit for one run, and did not stop when asked, so its engine process was ended. Use a smaller text or a simpler pattern, or run it in the browser.`,
          });
        case 'queue-limit':
          throw new TRPCError({
            code: 'TOO_MANY_REQUESTS',
            message: usesQueue()
              ? `No worker took this run within ${formatSeconds(queueLimitMs)} (every worker was busy, or none is running), so it never started. Try again in a moment, or run it in the browser.`
              : `Every engine process on the server was busy for ${formatSeconds(queueLimitMs)}, so this run never started. Try again in a moment, or run it in the browser.`,
          });
        case 'too-large':
          throw new TRPCError({ code: 'UNPROCESSABLE_CONTENT', message: outcome.message });
        case 'failed':
          throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: outcome.message });
      }
    } finally {
      leave();
      if (watchers.get(watcherKey) === watcher) watchers.delete(watcherKey);
    }
  }

  function cancelHere(client: string, runId: string, cancelToken: string): boolean {
    const watcher = watchers.get(`${client}\u0000${runId}`);
    const given = Buffer.from(cancelToken);
    if (!watcher || given.length !== watcher.token.length || !timingSafeEqual(given, watcher.token)) return false;
    watcher.controller.abort();
    return true;
  }

  function sweepStaged(now: number) {
    for (const [id, entry] of staged) {
      if (entry.expiresAt > now) continue;
      staged.delete(id);
      stagedBytes -= entry.bytes;
    }
  }

  return {
    limits,
    async info() {
      const runner = await engine();
      const queue = runner.kind === 'queue';
      const maxProcesses = runner.kind === 'processes' ? limits.maxProcesses : queue ? runner.processes : 0;
      return { engine: runner.kind === 'in-process' ? 'in-process' : 'processes', queue, processes: runner.processes, maxProcesses, memoryMb: limits.memoryMb };
    },
    stage(doc) {
      const now = Date.now();
      sweepStaged(now);
      const bytes = stringParamBytes(doc) + 1000;
      // Room for a few full-size graphs at once; staged graphs live a minute at most.
      if (stagedBytes + bytes > 4 * limits.maxInputBytes) {
        throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: 'The server is holding too many large graphs waiting to run; try again in a minute.' });
      }
      const stagedId = randomUUID();
      staged.set(stagedId, { doc, bytes, expiresAt: now + STAGE_TTL_MS });
      stagedBytes += bytes;
      return { stagedId, expiresInMs: STAGE_TTL_MS };
    },
    takeStaged(stagedId) {
      sweepStaged(Date.now());
      const entry = staged.get(stagedId);
      if (!entry) {
        throw new TRPCError({ code: 'NOT_FOUND', message: 'This staged graph has expired or was already started; send it again.' });
      }
      staged.delete(stagedId);
      stagedBytes -= entry.bytes;
      return entry.doc;
    },
    start,
    async cancel(client, runId, cancelToken) {
      if (cancelHere(client, runId, cancelToken)) return true;
      // Not here: on the queue, the instances holding a slot of this client's are asked (none: false at once).
      if (!admission.holders) return false;
      const runner = await engine();
      if (!isQueueEngine(runner)) return false;
      const holders = await admission.holders(client).catch(() => []);
      return runner.cancelElsewhere(holders, client, runId, cancelToken);
    },
    async lookup(request) {
      const answer = await (await engine()).lookup(request);
      if (answer.ok) return answer.result;
      throw new TRPCError({ code: answer.missing ? 'NOT_FOUND' : 'BAD_REQUEST', message: answer.message });
    },
    stats: () => ({ activeRuns: admission.held(), executions: executions.size, staged: staged.size }),
    async health() {
      const runner = await engine();
      if (isQueueEngine(runner)) return { mode: 'queue', ...(await runner.health()) };
      return { mode: 'local', engine: runner.kind, processes: runner.processes, activeRuns: admission.held() };
    },
    async close() {
      for (const execution of executions.values()) execution.controller.abort();
      if (enginePromise) await (await enginePromise).close();
      await admission.close();
    },
  };
}

function isQueueEngine(engine: RunEngine): engine is QueueEngine {
  return engine.kind === 'queue';
}

const holder = globalThis as typeof globalThis & { __tokenloomRunManager?: RunManager };

/** The process's run manager, created on first use (kept on globalThis across dev reloads). */
export function getRunManager(): RunManager {
  holder.__tokenloomRunManager ??= createRunManager();
  return holder.__tokenloomRunManager;
}

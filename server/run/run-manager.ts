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
 *   bounded apart (maxRunMs + the hard-stop grace + a process start), with its own message;
 *   once a process is set aside for the run and still loading (a replacement is slow to start
 *   on a busy machine), the run waits for that load instead, up to PROCESS_LOAD_MS. Other runs
 *   are not touched.
 * - Engine failures: a run whose process died of memory or a V8 size limit fails with
 *   UNPROCESSABLE_CONTENT and the process-engine's sentence; the server goes on.
 * - Cancellation: a watcher that disconnects (the subscription's signal) or calls cancel with
 *   its run's token (given only to the client that started it) leaves; when the last watcher
 *   leaves, the execution is aborted. On the queue, a cancel for a run this instance does not
 *   hold goes to the instances holding a slot of that client (admission.ts, queue-engine.ts).
 * - Staging (staging.ts): a graph too large for a URL is first posted with `stage`, then
 *   started by its id.
 *
 * Not handled here: executing (open-engine.ts chooses: engine.ts, process-engine.ts, queue/),
 * fingerprints (run-fingerprint.ts), the sentences a run ends with (run-outcome.ts), HTTP (run-router.ts).
 * Deduplication and staged graphs are per process: with several web instances, stage and start
 * must reach the same one, and identical runs on two instances both execute.
 */
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import type { RunEvent } from '@/nodes/engine/executor';
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import { databaseTargetFromEnv } from '@/server/db/client';
import { createDatabaseAdmission, createMemoryAdmission, type Admission } from '@/server/run/admission';
import type { RunEngine } from '@/server/run/engine';
import { readRunLimits, type RunLimits } from '@/server/run/limits';
import type { CacheLookup } from '@/server/run/lookup';
import { isQueueEngine, openRunEngine, usesQueue } from '@/server/run/open-engine';
import type { QueueWorkerSeen } from '@/server/run/queue/queue-engine';
import { affinityOf, fingerprintOf } from '@/server/run/run-fingerprint';
import { outcomeError, outcomeOfError, PROCESS_LOAD_MS, type RunOutcome } from '@/server/run/run-outcome';
import { createStaging } from '@/server/run/staging';
import { BATCH_WINDOW_MS, gatherFor, nextChange, type WaitableExecution } from '@/server/run/stream-wait';

export { usesQueue } from '@/server/run/open-engine';

/** Room for replacing a killed engine process, in the bound on waiting for one. */
const PROCESS_START_MS = 5000;

interface Execution extends WaitableExecution {
  fingerprint: string;
  outcome?: RunOutcome;
  watchers: number;
  controller: AbortController;
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
  /**
   * Yield the events that are waiting together as one RunEventBatch (the run router's stream):
   * a burst of events (a cached run's are all at once) is then one message on the wire.
   */
  batch?: boolean;
}

/**
 * The first message of every run stream, before its RunEvents, once the run is admitted: its
 * id and the token `cancel` needs. Only the stream's reader (the client that started the run)
 * sees it, so only that client can cancel.
 */
export type RunAccepted = { type: 'run:accepted'; runId: string; cancelToken: string };

/**
 * Several RunEvents in one stream message, in order (StartRunOptions.batch). Why: each message
 * of a tRPC subscription costs the web server's main thread a dozen web-stream promise hops and
 * a socket write (bench/server-load.ts, profiled), far more than encoding the events; a cached
 * starter run's eight events then cost one message instead of eight.
 */
export type RunEventBatch = { type: 'run:events'; events: RunEvent[] };

export interface RunManager {
  readonly limits: RunLimits;
  /** `engine` is where a run executes; on the queue that is the workers' engine processes (`queue: true`). */
  info(): Promise<{ engine: 'processes' | 'in-process'; queue: boolean; processes: number; maxProcesses: number; memoryMb: number }>;
  stage(doc: GraphDoc): { stagedId: string; expiresInMs: number };
  takeStaged(stagedId: string): GraphDoc;
  start(options: StartRunOptions & { batch: true }): AsyncGenerator<RunAccepted | RunEvent | RunEventBatch, void, void>;
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
  const staging = createStaging(limits);

  let enginePromise: Promise<RunEngine> | undefined;
  function engine(): Promise<RunEngine> {
    enginePromise ??= options.engine ? Promise.resolve(options.engine) : openRunEngine(limits, instance, cancelHere);
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
    const waitedTooLong = () => {
      execution.outcome ??= { kind: 'queue-limit' };
      execution.controller.abort();
    };
    let timer = setTimeout(waitedTooLong, queueLimitMs);
    // A process set aside for this run is loading (it replaces one killed at its deadline): from
    // now on the run waits for that load, bounded apart, so a machine slow to start processes
    // does not refuse a run it can run.
    const onAssigned = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        execution.outcome ??= { kind: 'load-limit' };
        execution.controller.abort();
      }, PROCESS_LOAD_MS);
    };
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
          onAssigned,
          onStarted,
          onEvent: (event) => {
            execution.events.push(event);
            wakeAll(execution);
          },
        });
      } catch (error) {
        execution.outcome = outcomeOfError(error, execution.outcome);
      } finally {
        clearTimeout(timer);
        execution.finished = true;
        if (executions.get(fingerprint) === execution) executions.delete(fingerprint);
        wakeAll(execution);
      }
    })();
    return execution;
  }

  async function* start(options: StartRunOptions): AsyncGenerator<RunAccepted | RunEvent | RunEventBatch, void, void> {
    const release = await admission.admit(options.client, options.signal);
    // Everything after admission is inside this try: a throw anywhere (a graph that cannot be
    // fingerprinted, an engine that failed to start) still gives the slot back.
    try {
      yield* watch(options);
    } finally {
      release();
    }
  }

  async function* watch({ doc, client, runId, signal, batch }: StartRunOptions): AsyncGenerator<RunAccepted | RunEvent | RunEventBatch, void, void> {
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
        if (batch && execution.events.length - index > 1) {
          const events = execution.events.slice(index);
          index += events.length;
          yield { type: 'run:events', events };
        }
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
        const signals = watching ? [signal, cancelled.signal] : [signal];
        await nextChange(execution, signals);
        if (batch) await gatherFor(execution, signals, BATCH_WINDOW_MS);
      }
      if (signal.aborted) return;
      if (execution.outcome) throw outcomeError(execution.outcome, limits, queueLimitMs, usesQueue());
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

  return {
    limits,
    async info() {
      const runner = await engine();
      const queue = runner.kind === 'queue';
      const maxProcesses = runner.kind === 'processes' ? limits.maxProcesses : queue ? runner.processes : 0;
      return { engine: runner.kind === 'in-process' ? 'in-process' : 'processes', queue, processes: runner.processes, maxProcesses, memoryMb: limits.memoryMb };
    },
    stage: (doc) => staging.stage(doc),
    takeStaged: (stagedId) => staging.take(stagedId),
    // One generator for both overloads: without `batch` it never yields a RunEventBatch.
    start: start as RunManager['start'],
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
    stats: () => ({ activeRuns: admission.held(), executions: executions.size, staged: staging.size() }),
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

const holder = globalThis as typeof globalThis & { __tokenloomRunManager?: RunManager };

/** The process's run manager, created on first use (kept on globalThis across dev reloads). */
export function getRunManager(): RunManager {
  holder.__tokenloomRunManager ??= createRunManager();
  return holder.__tokenloomRunManager;
}

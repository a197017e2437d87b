/**
 * The process RunEngine: every server run executes in an engine process, a child of the web
 * server (child_process.fork of engine-process.mjs), one run per process at a time. A fatal
 * V8 error ("invalid size"), an out-of-memory past `--max-old-space-size` or an endless loop
 * then ends that process and that run only; the web server and the other runs go on
 * (ARCHITECTURE §6: worker threads cannot contain a V8 fatal error, a process can).
 *
 * How it fits together:
 * - Pool. `processes` engine processes start with the server and are replaced when one dies.
 *   A run takes an idle one; when that was the last idle one, another is started in the
 *   background for the next run, up to `maxProcesses` (spares beyond `processes` exit after
 *   SPARE_IDLE_MS idle). At the cap a run waits in a
 *   queue, which the run manager bounds separately; `onStarted` tells it when the run enters a
 *   process, so a run's wall-time limit counts from its own start, never from another's hang.
 * - Why one run per process: a run that hangs holds its whole process, so interleaving runs
 *   in one process (as the threads did) would let one hostile run stop the others and take
 *   them down when it is killed. Why a small fork-based pool and not a package: piscina has
 *   no process mode, and the process pools on npm are unmaintained or do not let us tell an
 *   out-of-memory from a V8 fatal error (we read the child's stderr for that).
 * - Affinity. Each process keeps its own LRU recipe cache (`cacheBytes / processes`, at most a
 *   quarter of its heap). A run prefers an idle process that recently ran the same `affinity`
 *   (the run manager passes the run's text inputs), so repeated runs of a template hit one
 *   cache; any idle process is correct, just without the cache.
 * - Lookups (lookup.ts: pages and queries, one message). The pool remembers which process
 *   computed each recipe key (from the node:done / node:cached events it relays) and asks that
 *   one; a key it does not know is asked of every process, and the one holding it answers.
 * - Stops. Abort sends `cancel`; the executor stops at its next checkpoint. A process that has
 *   not finished the run `hardStopMs` later is killed (SIGKILL): its cache is lost, no other
 *   run is touched. A process that dies mid-run ends that run with a sentence saying why,
 *   read from its exit and stderr (heap limit, V8 "invalid size", killed, other).
 * - Loading. The entry file is resolved from process.cwd() at runtime (not bundled by Next)
 *   and registers tsx, like the worker threads did, so it works under next dev, next start,
 *   Vitest and the CLI. The child gets only our execArgv (not Vitest's or Next's).
 *
 * Not handled here: one process's life and messages (engine-child.ts), the sentences for why
 * one ended (engine-exit.ts), limits, deduplication, clients (run-manager.ts). A queue worker
 * (worker.ts) runs one of these pools too; the web server does when there is no queue.
 */
import path from 'node:path';
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import type { EngineRunOptions, RunEngine } from '@/server/run/engine';
import { forkEngineProcess, type EngineProcess } from '@/server/run/engine-child';
import { EngineProcessError } from '@/server/run/engine-exit';
import type { ParentToEngine } from '@/server/run/engine-process';
import { MISSING_RESULT, type CacheLookup, type LookupAnswer } from '@/server/run/lookup';

export { EngineProcessError } from '@/server/run/engine-exit';

/** Grace between a cooperative cancel and killing the process. */
export const HARD_STOP_MS = 2000;
const SPARE_IDLE_MS = 30_000;
const ASK_TIMEOUT_MS = 10_000;
const KEY_OWNERS_MAX = 100_000;

export interface ProcessEngineOptions {
  processes: number;
  maxProcesses: number;
  memoryMb: number;
  cacheBytes: number;
  /** Defaults to <cwd>/server/run/engine-process.mjs. */
  entryFile?: string;
  hardStopMs?: number;
}

export function createProcessEngine(options: ProcessEngineOptions): RunEngine {
  const entryFile = options.entryFile ?? path.join(process.cwd(), 'server', 'run', 'engine-process.mjs');
  const hardStopMs = options.hardStopMs ?? HARD_STOP_MS;
  const warm = Math.max(1, options.processes);
  const maxProcesses = Math.max(warm, options.maxProcesses);
  const cacheBytesPerProcess = Math.floor(Math.min(options.cacheBytes / warm, (options.memoryMb * 1024 * 1024) / 4));
  const live: EngineProcess[] = [];
  const freeWaiters = new Set<() => void>();
  const keyOwners = new Map<string, EngineProcess>();
  let nextRunId = 0;
  let nextAskId = 0;
  let closing = false;

  const wakeWaiters = () => {
    for (const wake of [...freeWaiters]) wake();
  };

  function spawn(): EngineProcess {
    const proc = forkEngineProcess({
      entryFile,
      memoryMb: options.memoryMb,
      cacheBytesPerProcess,
      hardStopMs,
      closing: () => closing,
      onResult: rememberOwner,
      onGone: (gone) => live.splice(live.indexOf(gone), 1),
      onClosed: (gone) => {
        // Replace a process that had loaded (one that cannot load is not retried in a loop).
        if (!closing && gone.isLoaded && live.length < warm) spawn();
        wakeWaiters();
      },
    });
    live.push(proc);
    return proc;
  }

  function rememberOwner(key: string, proc: EngineProcess) {
    keyOwners.delete(key);
    keyOwners.set(key, proc);
    if (keyOwners.size > KEY_OWNERS_MAX) keyOwners.delete(keyOwners.keys().next().value!);
  }

  /** An idle, loaded process for this run (started if needed), or undefined when `signal` aborts first. */
  async function acquire(affinity: string | undefined, signal: AbortSignal, onAssigned?: () => void): Promise<EngineProcess | undefined> {
    for (;;) {
      if (signal.aborted || closing) return undefined;
      const idle = live.filter((p) => p.alive && !p.busy);
      let proc =
        idle.find((p) => p.isLoaded && affinity !== undefined && p.recentAffinities.includes(affinity)) ??
        idle.find((p) => p.isLoaded) ??
        idle[0];
      if (!proc && live.length < maxProcesses) proc = spawn();
      if (proc) {
        proc.busy = true;
        clearTimeout(proc.spareTimer);
        // Keep one process loading or idle for the next run, so a run arriving while every
        // other process is busy (or hung) does not wait the second or two a process takes to load.
        if (!live.some((p) => p.alive && !p.busy) && live.length < maxProcesses) retireWhenIdle(spawn());
        try {
          if (!proc.isLoaded) onAssigned?.();
          await proc.loaded;
          if (proc.alive) return proc;
        } catch (error) {
          if (!live.some((p) => p.isLoaded)) throw error; // nothing can load: report it
        }
        continue;
      }
      await new Promise<void>((resolve) => {
        const done = () => {
          freeWaiters.delete(done);
          signal.removeEventListener('abort', done);
          resolve();
        };
        freeWaiters.add(done);
        signal.addEventListener('abort', done, { once: true });
      });
    }
  }

  /** A process beyond the warm ones ends after SPARE_IDLE_MS without a run. */
  function retireWhenIdle(proc: EngineProcess) {
    clearTimeout(proc.spareTimer);
    if (!proc.alive || live.length <= warm) return;
    proc.spareTimer = setTimeout(() => {
      if (!proc.busy && live.length > warm) proc.child.kill();
    }, SPARE_IDLE_MS);
    proc.spareTimer.unref();
  }

  function release(proc: EngineProcess) {
    proc.busy = false;
    proc.current = undefined;
    retireWhenIdle(proc);
    wakeWaiters();
  }

  async function run(doc: GraphDoc, { signal, onEvent, affinity, onStarted, onAssigned }: EngineRunOptions): Promise<void> {
    const proc = await acquire(affinity, signal, onAssigned);
    if (!proc) {
      onEvent({ type: 'run:done', ms: 0, cancelled: true });
      return;
    }
    onStarted?.();
    if (affinity !== undefined) proc.recentAffinities = [affinity, ...proc.recentAffinities.filter((a) => a !== affinity)].slice(0, 16);
    const runId = ++nextRunId;
    let hardStop: NodeJS.Timeout | undefined;
    const send = (message: ParentToEngine) => {
      if (proc.alive && proc.child.connected) proc.child.send(message);
    };
    const cancel = () => {
      send({ type: 'cancel', runId });
      hardStop = setTimeout(() => {
        if (proc.current?.runId !== runId || proc.current.sawDone) return;
        proc.current.killed = true;
        proc.child.kill('SIGKILL');
      }, hardStopMs);
      hardStop.unref();
    };
    try {
      await new Promise<void>((resolve, reject) => {
        proc.current = { runId, onEvent, sawDone: false, started: performance.now(), killed: false, resolve, reject };
        proc.stderrTail = ''; // a crash is read from what this run printed, not an earlier one
        if (signal.aborted) cancel();
        else signal.addEventListener('abort', cancel, { once: true });
        try {
          send({ type: 'run', runId, doc });
        } catch (error) {
          // Serialising the graph failed (it cannot be cloned); the process is untouched.
          onEvent({ type: 'run:done', ms: 0, cancelled: true });
          reject(new EngineProcessError(`This graph could not be handed to the engine (${error instanceof Error ? error.message : String(error)}).`, 'failed'));
        }
      });
    } finally {
      signal.removeEventListener('abort', cancel);
      clearTimeout(hardStop);
      release(proc);
    }
  }

  /** Ask `targets` a lookup; the first answer that is not a miss wins, else a miss (also on silence). */
  function ask(targets: EngineProcess[], lookup: CacheLookup): Promise<LookupAnswer> {
    const missing: LookupAnswer = { ok: false, missing: true, message: MISSING_RESULT };
    if (targets.length === 0) return Promise.resolve(missing);
    const requestId = ++nextAskId;
    return new Promise<LookupAnswer>((resolve) => {
      let pending = targets.length;
      const finish = (answer: LookupAnswer) => {
        clearTimeout(timer);
        for (const proc of targets) proc.asks.delete(requestId);
        resolve(answer);
      };
      const timer = setTimeout(() => finish(missing), ASK_TIMEOUT_MS);
      for (const proc of targets) {
        proc.asks.set(requestId, (answer) => {
          pending -= 1;
          if (answer && !(!answer.ok && answer.missing)) return finish(answer);
          if (pending === 0) finish(missing);
        });
        try {
          proc.child.send({ type: 'lookup', requestId, lookup } satisfies ParentToEngine);
        } catch {
          proc.asks.get(requestId)?.(undefined);
        }
      }
    });
  }

  function targetsFor(key: string): EngineProcess[] {
    const owner = keyOwners.get(key);
    if (owner?.alive) return [owner];
    return live.filter((p) => p.alive && p.isLoaded);
  }

  const spawned = Array.from({ length: warm }, () => spawn());
  const ready = Promise.all(spawned.map((p) => p.loaded)).then(() => undefined);
  ready.catch(() => undefined);

  return {
    kind: 'processes',
    get processes() {
      return live.length;
    },
    ready: () => ready,
    run,
    lookup: (lookup: CacheLookup) => ask(targetsFor(lookup.key), lookup),
    async close() {
      closing = true;
      wakeWaiters();
      await Promise.all(
        [...live].map(
          (proc) =>
            new Promise<void>((resolve) => {
              if (!proc.alive) return resolve();
              proc.child.once('close', () => resolve());
              proc.child.kill('SIGKILL');
            }),
        ),
      );
    },
  };
}

/**
 * An engine for run-manager and run-router tests that the test drives: it follows RunEngine's
 * contract (run:start when a process takes the run, the events it is given, one run:done, a
 * rejection only for its own failure) and waits for the test to say what happens next, so no
 * test races a clock. The real engines behind the same interface are exercised through HTTP
 * (tests/integration/run-http.test.ts, run-limits, run-hang).
 */
import type { RunEvent } from '@/nodes/engine/executor';
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import type { EngineRunOptions, RunEngine } from '@/server/run/engine';
import type { CacheLookup, LookupAnswer } from '@/server/run/lookup';

/** Resolves the next time the callbacks in `set` are called. */
export function nextCall(set: Set<() => void>): Promise<void> {
  return new Promise<void>((resolve) => {
    const called = () => {
      set.delete(called);
      resolve();
    };
    set.add(called);
  });
}

/** One call of the engine's run(), held until the test ends it. */
export interface HeldRun {
  doc: GraphDoc;
  options: EngineRunOptions;
  emit(event: RunEvent): void;
  /** Start executing (a process took the run): the wall-time limit counts from here. */
  start(): void;
  finish(): void;
  fail(error: Error): void;
}

export function heldEngine(answer: (request: CacheLookup) => LookupAnswer = () => ({ ok: false, missing: true, message: 'gone' })) {
  const runs: HeldRun[] = [];
  const arrivals = new Set<() => void>();
  let closed = false;
  const engine: RunEngine = {
    kind: 'in-process',
    processes: 0,
    ready: () => Promise.resolve(),
    run(doc, options) {
      return new Promise<void>((resolve, reject) => {
        let ended = false;
        const end = (cancelled: boolean) => {
          if (ended) return;
          ended = true;
          options.onEvent({ type: 'run:done', ms: 1, cancelled });
        };
        options.signal.addEventListener('abort', () => {
          end(true);
          resolve();
        });
        runs.push({
          doc,
          options,
          emit: (event) => options.onEvent(event),
          start: () => {
            options.onStarted?.();
            options.onEvent({ type: 'run:start', order: doc.nodes.map((n) => n.id), issues: [] });
          },
          finish: () => {
            end(false);
            resolve();
          },
          fail: (error) => {
            end(false);
            reject(error);
          },
        });
        for (const arrived of [...arrivals]) arrived();
      });
    },
    lookup: (request) => Promise.resolve(answer(request)),
    close: () => {
      closed = true;
      return Promise.resolve();
    },
  };
  /** The engine's `n`-th run (from 1), once the manager has handed it over. */
  async function nth(n: number): Promise<HeldRun> {
    while (runs.length < n) await nextCall(arrivals);
    return runs[n - 1]!;
  }
  return { engine, runs, nth, isClosed: () => closed };
}


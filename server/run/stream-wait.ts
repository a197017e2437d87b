/**
 * How a run stream (run-manager.ts, `watch`) waits for its execution: for news (`nextChange`),
 * and, when it sends batches, a little longer for more news before it sends (`gatherFor`).
 *
 * Why gather: each message of the run stream costs the web server's main thread a dozen
 * web-stream promise hops and socket writes (bench/server-load.ts, profiled), far more than its
 * bytes. An uncached starter run's ten events come in four bursts over ~100 ms; waiting
 * BATCH_WINDOW_MS after the first news of each sends them as three messages, not six. A run's
 * end (its run:done, or the execution finishing) is sent at once, and an abort stops the wait.
 *
 * @example
 * // events at 0, 2 | 78, 79, 79, 79 | 85, 86 | 113, 115 ms (run:done last):
 * // messages at 25 (2 events), 103 (6 events), 115 (run:done and the 2 before it)
 *
 * Not handled here: what is sent (run-manager.ts), the engine's own batching (none: the pool
 * relays events as the engine process sends them).
 */
import type { RunEvent } from '@/nodes/engine/executor';

/**
 * How long a batching stream waits, once it has news, for more: short against what a learner
 * can see (a node's spinner starts at most this much later).
 */
export const BATCH_WINDOW_MS = 25;

/** What the waits read of an execution; `wake` holds the callbacks called on every change. */
export interface WaitableExecution {
  events: RunEvent[];
  finished: boolean;
  wake: Set<() => void>;
}

/** Resolves when the execution has news or one of the signals aborts. */
export function nextChange(execution: WaitableExecution, signals: AbortSignal[]): Promise<void> {
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

/** Resolves after `ms`, or earlier once the execution has its run:done or has finished, or a signal aborts. */
export function gatherFor(execution: WaitableExecution, signals: AbortSignal[], ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const ended = () => execution.finished || execution.events.at(-1)?.type === 'run:done';
    const done = () => {
      clearTimeout(timer);
      execution.wake.delete(check);
      for (const s of signals) s.removeEventListener('abort', done);
      resolve();
    };
    const check = () => {
      if (ended()) done();
    };
    const timer = setTimeout(done, ms);
    execution.wake.add(check);
    for (const s of signals) s.addEventListener('abort', done, { once: true });
    if (ended() || signals.some((s) => s.aborted)) done();
  });
}

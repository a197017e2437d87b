/**
 * How a server run ended when it did not simply finish, and the sentence its watchers get:
 * the run manager records an outcome on the execution (from its timers or the engine's error)
 * and every watcher's stream ends with the same TRPCError after the run's `run:done`.
 *
 * Not handled here: the timers and the engines that cause these (run-manager.ts, the engines).
 */
import { TRPCError } from '@trpc/server';
import { formatSeconds, type RunLimits } from '@/server/run/limits';
import { EngineProcessError } from '@/server/run/process-engine';

export type RunOutcome =
  /** Stopped at the limit; killed with its process at the limit (it did not stop); never started. */
  | { kind: 'time-limit' | 'killed-at-limit' | 'queue-limit' | 'load-limit' }
  /** Its engine process died of memory or a V8 size limit. */
  | { kind: 'too-large'; message: string }
  | { kind: 'failed'; message: string };

/**
 * How long a run waits for the engine process set aside for it to load (a replacement for one
 * killed at its deadline): loading is the machine's speed, not other runs' time, and a busy
 * machine took over 8 s for it.
 */
export const PROCESS_LOAD_MS = 60_000;

/** The outcome of a run whose engine threw `error`, given what was already recorded (`before`). */
export function outcomeOfError(error: unknown, before: RunOutcome | undefined): RunOutcome {
  if (error instanceof EngineProcessError && error.reason === 'killed') {
    // Killed past the time limit: say which limit; killed after a cancel: nobody is watching.
    return before?.kind === 'time-limit' ? { kind: 'killed-at-limit' } : { kind: 'failed', message: error.message };
  }
  if (error instanceof EngineProcessError && (error.reason === 'memory' || error.reason === 'invalid-size')) {
    return { kind: 'too-large', message: error.message };
  }
  return before ?? { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
}

/**
 * The error a watcher's stream ends with. `queueLimitMs` bounds waiting for an engine process or
 * a worker; `onQueue` says which of the two the run waited for.
 */
export function outcomeError(outcome: RunOutcome, limits: RunLimits, queueLimitMs: number, onQueue: boolean): TRPCError {
  switch (outcome.kind) {
    case 'time-limit':
      return new TRPCError({
        code: 'TIMEOUT',
        message: `This run was stopped after ${formatSeconds(limits.maxRunMs)}, the server's limit for one run. Use a smaller text, or run it in the browser.`,
      });
    case 'killed-at-limit':
      return new TRPCError({
        code: 'TIMEOUT',
        message: `This run ran past ${formatSeconds(limits.maxRunMs)}, the server's limit for one run, and did not stop when asked, so its engine process was ended. Use a smaller text or a simpler pattern, or run it in the browser.`,
      });
    case 'load-limit':
      return new TRPCError({
        code: 'TOO_MANY_REQUESTS',
        message: `The engine process started for this run did not finish loading within ${formatSeconds(PROCESS_LOAD_MS)}, so the run never started. Try again in a moment, or run it in the browser.`,
      });
    case 'queue-limit':
      return new TRPCError({
        code: 'TOO_MANY_REQUESTS',
        message: onQueue
          ? `No worker took this run within ${formatSeconds(queueLimitMs)} (every worker was busy, or none is running), so it never started. Try again in a moment, or run it in the browser.`
          : `Every engine process on the server was busy for ${formatSeconds(queueLimitMs)}, so this run never started. Try again in a moment, or run it in the browser.`,
      });
    case 'too-large':
      return new TRPCError({ code: 'UNPROCESSABLE_CONTENT', message: outcome.message });
    case 'failed':
      return new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: outcome.message });
  }
}

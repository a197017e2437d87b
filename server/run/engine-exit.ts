/**
 * Why an engine process ended a run, as a sentence for the user: EngineProcessError, and the
 * reading of a process's exit (its stderr's last lines, whether the pool killed it) that says
 * which one it was.
 *
 * Not handled here: watching processes or killing them (process-engine.ts, engine-child.ts).
 */
import { formatSeconds } from '@/server/run/limits';

/** Why an engine process ended a run; `message` is the sentence for the user. */
export class EngineProcessError extends Error {
  override name = 'EngineProcessError';
  constructor(
    message: string,
    readonly reason: 'memory' | 'invalid-size' | 'killed' | 'crashed' | 'failed',
  ) {
    super(message);
  }
}

export interface EngineExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The end of what the process wrote to stderr during the run. */
  stderrTail: string;
  /** Set when the pool killed it after a cancel: how long the run had run (ms). */
  killedAfterMs?: number;
  memoryMb: number;
  hardStopMs: number;
}

export function describeExit({ code, signal, stderrTail, killedAfterMs, memoryMb, hardStopMs }: EngineExit): EngineProcessError {
  if (killedAfterMs !== undefined) {
    return new EngineProcessError(
      `This run did not stop within ${formatSeconds(hardStopMs)} of being cancelled (it had run ${formatSeconds(killedAfterMs)}), so its engine process was ended.`,
      'killed',
    );
  }
  if (/heap out of memory|Reached heap limit|Ineffective mark-compacts/.test(stderrTail)) {
    return new EngineProcessError(
      `This run used more than ${memoryMb} MB of memory, the server's limit for one run, so it was stopped. Use a smaller text, or run it in the browser.`,
      'memory',
    );
  }
  if (/invalid size|Invalid string length|invalid array length/i.test(stderrTail)) {
    return new EngineProcessError(
      'This run tried to build a value larger than the engine can hold (a text or list past its size limit), so it was stopped. Use a smaller text or a shorter replacement.',
      'invalid-size',
    );
  }
  return new EngineProcessError(`The server's engine process stopped while running this graph (${signal ?? `exit code ${code ?? '?'}`}); run it again.`, 'crashed');
}

/**
 * The web side of relaying queued runs: one Watch per job this instance enqueued, fed by what
 * its worker sends (started, events, ended) and by a look at the job's state in pg-boss when
 * the run has gone quiet.
 *
 * - Attempts. Messages carry pg-boss's retryCount; those of an older attempt are dropped. When a
 *   worker dies mid-run, pg-boss puts the job back (run-queue.ts) and this instance sees it (a
 *   job check every JOB_CHECK_MS on runs quiet for QUIET_MS): each node of the run gets a
 *   `node:progress` "Restarted on another worker …", then the next attempt's events follow
 *   from its own run:start. A job that failed after its retry ends the run with TWO_WORKERS.
 * - Results: the worker that computed each recipe key is remembered (lookups ask it first).
 * - A job completed without its `ended` having arrived, one check later, lost it: LISTEN_LOST.
 *
 * Not handled here: enqueueing and stopping (queue-engine.ts), the channel (notify-channel.ts).
 */
import type { PgBoss } from 'pg-boss';
import type { RunEvent } from '@/nodes/engine/executor';
import { EngineProcessError } from '@/server/run/process-engine';
import { RUN_QUEUE, type WorkerMessage } from '@/server/run/queue/run-queue';

const JOB_CHECK_MS = 1000;
const QUIET_MS = 1500;
const KEY_WORKERS_MAX = 100_000;

export const RESTARTED = 'Restarted on another worker: the server that was running this graph stopped.';
export const TWO_WORKERS =
  'This run stopped two workers in turn (each ended while running it), so it was not tried again. Use a smaller text, or run it in the browser.';
export const LISTEN_LOST = 'The server lost its connection to the database while relaying this run; run it again.';

export interface Watch {
  onEvent: (event: RunEvent) => void;
  onStarted?: () => void;
  attempt: number;
  worker?: string;
  order: string[];
  restartShown: boolean;
  sawDone: boolean;
  lastHeard: number;
  completedSeen: boolean;
  finish: (error?: EngineProcessError) => void;
}

export interface Relay {
  /** The runs relayed now, by job id. */
  watches: Map<string, Watch>;
  /** A worker's message about one of them. */
  onWorkerMessage(message: Exclude<WorkerMessage, { type: 'answer' }>): void;
  /** The worker that last computed `key`, if this instance relayed it. */
  workerFor(key: string): string | undefined;
  /** End every relayed run with `error` (the listening connection dropped). */
  failAll(error: EngineProcessError): void;
  close(): void;
}

export function createRelay(boss: PgBoss): Relay {
  const watches = new Map<string, Watch>();
  const keyWorkers = new Map<string, string>();

  function showRestart(watch: Watch) {
    if (watch.restartShown) return;
    watch.restartShown = true;
    for (const nodeId of watch.order) watch.onEvent({ type: 'node:progress', nodeId, fraction: 0, message: RESTARTED });
  }

  function onWorkerMessage(message: Exclude<WorkerMessage, { type: 'answer' }>) {
    const watch = watches.get(message.jobId);
    if (!watch || message.attempt < watch.attempt) return;
    watch.lastHeard = Date.now();
    if (message.type === 'started') {
      if (watch.attempt >= 0 && message.attempt > watch.attempt) showRestart(watch);
      watch.attempt = message.attempt;
      watch.worker = message.worker;
      watch.restartShown = false;
      watch.sawDone = false;
      watch.onStarted?.();
      return;
    }
    if (message.attempt !== watch.attempt) return;
    if (message.type === 'events') {
      for (const event of message.events) {
        if (event.type === 'run:start') watch.order = event.order;
        if ((event.type === 'node:done' || event.type === 'node:cached') && watch.worker) {
          keyWorkers.delete(event.key);
          keyWorkers.set(event.key, watch.worker);
          if (keyWorkers.size > KEY_WORKERS_MAX) keyWorkers.delete(keyWorkers.keys().next().value!);
        }
        if (event.type === 'run:done') watch.sawDone = true;
        watch.onEvent(event);
      }
      return;
    }
    watch.finish(message.error ? new EngineProcessError(message.error.message, message.error.reason) : undefined);
  }

  /**
   * The state of every quiet run's job in one query, read from pg-boss's job table (its SQL is
   * documented for other runtimes): state and retry count only, since findJobs would fetch each
   * job's graph (megabytes for a training corpus) every second.
   */
  let checking = false;
  async function checkJobs() {
    const now = Date.now();
    const quiet = [...watches].filter(([, w]) => now - w.lastHeard >= QUIET_MS).map(([jobId]) => jobId);
    if (quiet.length === 0 || checking) return;
    checking = true;
    const { rows } = await boss
      .getDb()
      .executeSql(`SELECT id::text AS id, state::text AS state, retry_count AS "retryCount" FROM pgboss.job WHERE name = $1 AND id = ANY($2::uuid[])`, [
        RUN_QUEUE,
        quiet,
      ])
      .catch(() => ({ rows: [] as unknown[] }))
      .finally(() => (checking = false));
    for (const job of rows as { id: string; state: string; retryCount: number }[]) {
      const watch = watches.get(job.id);
      if (!watch) continue;
      if (job.state === 'retry' || (job.state === 'active' && job.retryCount > watch.attempt && watch.attempt >= 0)) showRestart(watch);
      else if (job.state === 'failed') watch.finish(new EngineProcessError(job.retryCount >= 1 ? TWO_WORKERS : LISTEN_LOST, 'crashed'));
      else if (job.state === 'cancelled') watch.finish();
      else if (job.state === 'completed') {
        // Its `ended` message is sent before the job completes; not seen one check later, it was lost.
        if (watch.completedSeen) watch.finish(new EngineProcessError(LISTEN_LOST, 'failed'));
        watch.completedSeen = true;
      }
    }
  }
  const checker = setInterval(() => void checkJobs(), JOB_CHECK_MS);
  checker.unref();

  return {
    watches,
    onWorkerMessage,
    workerFor: (key) => keyWorkers.get(key),
    failAll(error) {
      for (const watch of watches.values()) watch.finish(error);
    },
    close() {
      clearInterval(checker);
      for (const watch of watches.values()) watch.finish();
    },
  };
}

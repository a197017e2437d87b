/**
 * A worker's one slot for the jobs preferred for it (affinity, run-queue.ts): jobs of its own
 * priority, taken at once although their `startAfter` is still ahead.
 *
 * Why by hand and not `boss.work`: pg-boss 12's `work()` accepts `ignoreStartAfter` (its types
 * and option checks list it) but does not pass it on to its fetch, so a work loop waited out every
 * preferred job's PREFER_MS window, and a repeat of a graph took 2 s more than a new one
 * (bench/queue.ts: an empty graph's round trip, 2,012 ms p50). `boss.fetch` honours it, so this
 * loop fetches with it and does the rest of what `work()` does for a job: the heartbeat
 * (`touch` every HEARTBEAT_REFRESH_S, fenced to the attempt fetched), `complete` when the
 * handler resolves, `fail` when it throws, and an abort signal on the job.
 *
 * It fetches when woken (`wake`, on the worker's `prefer` message) and every POLL_MS besides, in
 * case a wake-up was lost; one job at a time. `stop` stops fetching and aborts the job it holds
 * (and a job its fetch brought back after the stop, the same way).
 *
 * Not handled here: running the job (the handler, worker.ts), the job's time limit (the handler's
 * own timer; pg-boss's supervisor expires it as for any job).
 */
import type { Job, PgBoss } from 'pg-boss';
import { HEARTBEAT_REFRESH_S, RUN_QUEUE, type RunJob } from '@/server/run/queue/run-queue';

const POLL_MS = 1000;

export interface PreferredLoop {
  wake(): void;
  stop(): void;
}

export function startPreferredLoop(boss: PgBoss, priority: number, handler: (job: Job<RunJob>) => Promise<void>): PreferredLoop {
  let stopped = false;
  let busy = false;
  let again = false;
  let holding: AbortController | undefined;

  async function runOne(job: Job<RunJob>) {
    const controller = new AbortController();
    holding = controller;
    if (stopped) controller.abort(); // stopped while the fetch was out: it ends as the held one does
    const attempt = { id: job.id, retryCount: job.retryCount };
    const beat = setInterval(() => void boss.touch(RUN_QUEUE, attempt).catch(() => undefined), HEARTBEAT_REFRESH_S * 1000);
    try {
      await handler({ ...job, signal: controller.signal });
      await boss.complete(RUN_QUEUE, attempt).catch(() => undefined);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await boss.fail(RUN_QUEUE, attempt, { message }).catch(() => undefined);
    } finally {
      clearInterval(beat);
      holding = undefined;
    }
  }

  async function take() {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      do {
        again = false;
        if (stopped) return;
        const [job] = await boss
          .fetch<RunJob>(RUN_QUEUE, { batchSize: 1, ignoreStartAfter: true, minPriority: priority, maxPriority: priority })
          .catch(() => [] as Job<RunJob>[]);
        if (job) {
          await runOne(job);
          again = true; // another may be waiting
        }
      } while (again && !stopped);
    } finally {
      busy = false;
    }
  }

  const poll = setInterval(() => void take(), POLL_MS);
  poll.unref();
  void take();
  return {
    wake: () => void take(),
    stop() {
      stopped = true;
      clearInterval(poll);
      holding?.abort();
    },
  };
}

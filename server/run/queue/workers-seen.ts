/**
 * The queue workers a web instance has seen lately, from pg-boss's instance registry (each
 * worker's row, its heartbeat and its work() entries): what /api/health lists and how many
 * engine processes `run.info` reports on the queue. Refreshed every WORKERS_REFRESH_MS and on
 * each health request; a worker not seen for WORKER_SEEN_MS is left out.
 *
 * Not handled here: the workers themselves (worker.ts).
 */
import type { PgBoss } from 'pg-boss';
import { WORKER_INSTANCE, WORKER_SEEN_MS } from '@/server/run/queue/run-queue';

const WORKERS_REFRESH_MS = 5000;

export interface QueueWorkerSeen {
  id: string;
  host: string;
  pid: number;
  concurrency: number;
  active: number;
  seenSecondsAgo: number;
}

export interface WorkersSeen {
  list(): QueueWorkerSeen[];
  refresh(): Promise<void>;
  close(): void;
}

export async function watchWorkers(boss: PgBoss): Promise<WorkersSeen> {
  let seen: QueueWorkerSeen[] = [];
  async function refresh() {
    const instances = await boss.getInstances().catch(() => null);
    if (!instances) return;
    const now = Date.now();
    seen = instances
      .filter((i) => i.name === WORKER_INSTANCE && !i.stoppedOn && i.heartbeatOn && now - new Date(i.heartbeatOn).getTime() < WORKER_SEEN_MS)
      .map((i) => ({
        id: i.id,
        host: i.host,
        pid: i.pid,
        // Its ordinary loop; the one for jobs preferred for it (minPriority, run-queue.ts) is extra.
        concurrency: (i.workers ?? []).reduce((sum, w) => sum + (w.options?.minPriority === undefined ? w.localConcurrency : 0), 0),
        active: (i.workers ?? []).reduce((sum, w) => sum + w.active, 0),
        seenSecondsAgo: Math.round((now - new Date(i.heartbeatOn!).getTime()) / 1000),
      }));
  }
  await refresh();
  const refresher = setInterval(() => void refresh(), WORKERS_REFRESH_MS);
  refresher.unref();
  return { list: () => seen, refresh, close: () => clearInterval(refresher) };
}

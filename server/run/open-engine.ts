/**
 * Where a web instance's server runs execute, chosen once at start:
 * - with DATABASE_URL, the job queue's workers (queue/queue-engine.ts), unless
 *   TOKENLOOM_RUN_QUEUE=local (one machine with PostgreSQL for storage only);
 * - else this server's engine processes (process-engine.ts);
 * - TOKENLOOM_RUN_PROCESSES=0, or engine processes that cannot start, run graphs in the web
 *   server's own process (engine.ts), without isolation, saying so on the console.
 *
 * Not handled here: what runs do there (the engines), admission (admission.ts).
 */
import { databaseTargetFromEnv } from '@/server/db/client';
import { createInProcessEngine, type RunEngine } from '@/server/run/engine';
import type { RunLimits } from '@/server/run/limits';
import { createProcessEngine } from '@/server/run/process-engine';
import { createQueueEngine, type QueueEngine } from '@/server/run/queue/queue-engine';

/**
 * With DATABASE_URL, server runs go through the PostgreSQL job queue to `npm run worker`
 * processes, and run slots are counted in the database; TOKENLOOM_RUN_QUEUE=local keeps them in
 * this server's own engine processes (one machine with PostgreSQL for storage only).
 */
export function usesQueue(source: Record<string, string | undefined> = process.env): boolean {
  return databaseTargetFromEnv().driver === 'postgres' && source.TOKENLOOM_RUN_QUEUE !== 'local';
}

export function isQueueEngine(engine: RunEngine): engine is QueueEngine {
  return engine.kind === 'queue';
}

/**
 * The engine for this web instance. `instance` is its id (in run_lease and on its queue
 * channel); `onPeerCancel` answers another instance's cancel of a run held here.
 */
export async function openRunEngine(
  limits: RunLimits,
  instance: string,
  onPeerCancel: (client: string, runId: string, cancelToken: string) => boolean,
): Promise<RunEngine> {
  const url = databaseTargetFromEnv();
  if (usesQueue() && url.driver === 'postgres') {
    const queue = await createQueueEngine(url.url, limits, instance);
    queue.onPeerCancel(onPeerCancel);
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
}

/**
 * A worker works through a backlog without waiting (server/run/worker.ts): a slot that ends a run
 * takes the next queued one at once, not at its next poll. Real PostgreSQL
 * (scripts/with-postgres.sh), a web run manager in this process and one real `npm run worker`
 * with one slot and a 30 s poll, on a database of its own so no other file's workers take its
 * runs. Were a slot to wait for its poll after a run, six runs would take minutes.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUN_QUEUE } from '@/server/run/queue/run-queue';
import type { RunManager } from '@/server/run/run-manager';
import { runOnce, startWorker, useOwnDatabase, type WorkerProcess } from './workers';

const RUNS = 6;
const POLL_SECONDS = 30;

describe('a worker with runs waiting takes the next as soon as one ends (real PostgreSQL, one slot)', () => {
  let worker: WorkerProcess;
  let web: RunManager;

  beforeAll(async () => {
    expect(process.env.DATABASE_URL, 'run this file with scripts/with-postgres.sh').toMatch(/^postgres/);
    await useOwnDatabase('tokenloom_backlog');
    const { createRunManager } = await import('@/server/run/run-manager'); // reads DATABASE_URL when loaded
    worker = await startWorker({ TOKENLOOM_WORKER_CONCURRENCY: '1', TOKENLOOM_WORKER_POLL_SECONDS: String(POLL_SECONDS) });
    web = createRunManager();
  });

  afterAll(async () => {
    await web?.close();
    await worker?.stop();
  });

  it(`runs ${RUNS} graphs queued at once on one slot one after another, each taken when the one before it ended`, async () => {
    const all = await Promise.all(Array.from({ length: RUNS }, (_, i) => runOnce(web, `graph number ${i}: naïve café`, `student-${i}`)));
    for (const events of all) expect(events.at(-1)).toMatchObject({ type: 'run:done', cancelled: false });
    expect(worker.took()).toHaveLength(RUNS);

    // From pg-boss's own table: each run started after the one before it completed (one slot), and
    // long before the slot's next poll would have come round.
    const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    const { rows } = await db
      .query<{ started: Date; completed: Date }>(
        `SELECT started_on AS started, completed_on AS completed FROM pgboss.job WHERE name = $1 ORDER BY started_on`,
        [RUN_QUEUE],
      )
      .finally(() => db.end());
    expect(rows).toHaveLength(RUNS);
    const gapsSeconds = rows.slice(1).map((row, i) => (row.started.getTime() - rows[i]!.completed.getTime()) / 1000);
    for (const gap of gapsSeconds) {
      expect(gap).toBeGreaterThanOrEqual(-0.05); // not two at once on one slot (clock rounding aside)
      expect(gap).toBeLessThan(POLL_SECONDS / 2);
    }
  }, 120_000);
});

/**
 * /api/health on the embedded default (no DATABASE_URL): PGlite answers, and runs go to this
 * server's own engine processes, so there is no queue and no worker to wait for. The queue's
 * side (depth, workers seen) is in queue/run-queue.test.ts, on PostgreSQL.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { GET } from '@/app/api/health/route';
import { closeDb, getDb } from '@/server/db/client';
import { getRunManager } from '@/server/run/run-manager';

describe('/api/health, embedded', () => {
  afterAll(async () => {
    await getRunManager().close();
    await closeDb();
  });

  it('answers 200 with the database (PGlite) and this server’s engine processes, once they have started', async () => {
    // A server still opening its database or starting its engine processes may answer 503 (each
    // part has 3 s); a load balancer asks again. This is the steady state.
    await getDb();
    await getRunManager().info();
    const response = await GET();
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toMatchObject({
      ok: true,
      database: { ok: true, driver: 'pglite' },
      runs: { mode: 'local', engine: 'processes', activeRuns: 0 },
    });
  });
});

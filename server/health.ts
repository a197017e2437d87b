/**
 * What /api/health reports (app/api/health/route.ts): the database answers a query (and how
 * fast), and where server runs go (run-manager.ts `health`). Each part is bounded by
 * HEALTH_TIMEOUT_MS, so a database that hangs makes the answer "not ok", never a hung request.
 * Not handled here: HTTP.
 */
import { sql } from 'drizzle-orm';
import { databaseTargetFromEnv, getDb } from '@/server/db/client';
import { getRunManager, type RunHealth } from '@/server/run/run-manager';

const HEALTH_TIMEOUT_MS = 3000;

export interface Health {
  ok: boolean;
  database: { ok: boolean; driver: 'pglite' | 'postgres'; ms?: number };
  runs: RunHealth | { mode: 'unknown' };
}

function bounded<T>(promise: Promise<T>): Promise<T> {
  return Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), HEALTH_TIMEOUT_MS).unref())]);
}

export async function readHealth(): Promise<Health> {
  const driver = databaseTargetFromEnv().driver;
  const t0 = performance.now();
  const database = await bounded(getDb().then((db) => db.execute(sql`SELECT 1`))).then(
    () => ({ ok: true, driver, ms: Math.round((performance.now() - t0) * 10) / 10 }),
    () => ({ ok: false, driver }),
  );
  const runs: Health['runs'] = await bounded(getRunManager().health()).catch(() => ({ mode: 'unknown' as const }));
  const runsOk = runs.mode === 'local' || (runs.mode === 'queue' && runs.workers.length > 0);
  return { ok: database.ok && runsOk, database, runs };
}

/**
 * The database client: PGlite (embedded Postgres in a folder, the default) or node-postgres
 * when DATABASE_URL is set. Same drizzle schema and same SQL migrations for both.
 *
 * `getDb()` is what the app uses: it opens the database named by the environment once per
 * process, applies migrations once, and caches the promise on globalThis (see below).
 * `openDatabase()` opens an explicit target; tests use it for throwaway databases.
 * `closeDb()` closes the cached one (graceful shutdown, tests).
 * PGlite's data folder is made private (0700) before PGlite opens it: PGlite creates its files
 * 0666 (it ignores the umask), so the folder is what keeps other users of the machine from
 * reading or rewriting the graphs. PGlite runs with fsync off: an acknowledged save survives
 * the process being killed, not an OS crash (README, Storage).
 * Each opened database can LISTEN (server/db/listen.ts, listenerFor(db)).
 * Not handled here: connection-pool tuning, read replicas, deleting old graphs.
 */
import { chmod, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { Pool } from 'pg';
import { env, type ServerEnv } from '@/server/env';
import { applyMigrations } from '@/server/db/migrate';
import { pgliteListener, postgresListener, registerListener } from '@/server/db/listen';
import * as schema from '@/server/db/schema';

/** The drizzle database the routers query; identical API for PGlite and node-postgres. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

/** `dataDir: 'memory://'` gives an in-memory PGlite that vanishes on close. */
export type DatabaseTarget = { driver: 'pglite'; dataDir: string } | { driver: 'postgres'; url: string };

export type OpenDatabase = { db: Database; driver: DatabaseTarget['driver']; close: () => Promise<void> };

export function databaseTargetFromEnv(serverEnv: ServerEnv = env): DatabaseTarget {
  return serverEnv.DATABASE_URL
    ? { driver: 'postgres', url: serverEnv.DATABASE_URL }
    : { driver: 'pglite', dataDir: serverEnv.PGLITE_DATA_DIR };
}

/** Mode of PGlite's data folder: owner only. */
export const PGLITE_DIR_MODE = 0o700;

/** Create `dir` (and missing parents) owner-only, and tighten it if it already existed looser. */
async function makePrivateFolder(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PGLITE_DIR_MODE });
  await chmod(dir, PGLITE_DIR_MODE);
}

/** Open a database and bring its schema up to date; the caller owns `close()`. */
export async function openDatabase(target: DatabaseTarget): Promise<OpenDatabase> {
  switch (target.driver) {
    case 'pglite': {
      const inMemory = target.dataDir.startsWith('memory://');
      const dataDir = inMemory ? target.dataDir : path.resolve(target.dataDir);
      if (!inMemory) await makePrivateFolder(dataDir);
      const client = await PGlite.create(dataDir);
      try {
        await applyMigrations({ driver: 'pglite', client });
      } catch (error) {
        await client.close();
        throw error;
      }
      const db: Database = drizzlePglite({ client, schema });
      registerListener(db, pgliteListener(client));
      return { db, driver: 'pglite', close: () => client.close() };
    }
    case 'postgres': {
      const pool = new Pool({ connectionString: target.url, max: 10 });
      // An idle connection dropped by the server must not crash the process; the pool reconnects.
      pool.on('error', (error) => console.error(`[db] idle PostgreSQL connection failed: ${error.message}`));
      try {
        await applyMigrations({ driver: 'postgres', pool });
      } catch (error) {
        await pool.end();
        throw error;
      }
      const db: Database = drizzleNodePg({ client: pool, schema });
      registerListener(db, postgresListener(target.url));
      return { db, driver: 'postgres', close: () => pool.end() };
    }
    default: {
      const unreachable: never = target;
      throw new Error(`Unknown database driver: ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * One database per process, cached on globalThis in production too: Next bundles route handlers
 * and pages separately, so a module-level cache would give each bundle its own client, and two
 * PGlite instances must never open the same data directory (or, in memory, they would simply
 * be two different databases).
 */
const globalForDb = globalThis as unknown as { tokenloomDatabase?: Promise<OpenDatabase> };

/** The app's database, opened and migrated on first use. A failed open is retried next call. */
export function getDb(): Promise<Database> {
  if (!globalForDb.tokenloomDatabase) {
    const opening = openDatabase(databaseTargetFromEnv());
    globalForDb.tokenloomDatabase = opening;
    opening.catch(() => {
      if (globalForDb.tokenloomDatabase === opening) globalForDb.tokenloomDatabase = undefined;
    });
  }
  return globalForDb.tokenloomDatabase.then((open) => open.db);
}

/** Close the app's database if it was opened (graceful shutdown, tests); the next getDb() reopens. */
export async function closeDb(): Promise<void> {
  const opening = globalForDb.tokenloomDatabase;
  if (!opening) return;
  globalForDb.tokenloomDatabase = undefined;
  const open = await opening.catch(() => null);
  await open?.close();
}

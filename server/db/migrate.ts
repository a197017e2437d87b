/**
 * Applies the committed SQL migrations in drizzle/ with drizzle-orm's migrator, for either
 * driver. Called once by client.ts when a database is opened; migrations already applied
 * (recorded in drizzle.__drizzle_migrations) are skipped.
 *
 * On PostgreSQL several app instances may start at once, so the migration runs on one
 * connection holding a session advisory lock. PGlite is single-process and needs none.
 * Not handled here: generating migrations (`npx drizzle-kit generate`), rolling back.
 */
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { Pool } from 'pg';

/** drizzle/ at the project root; Next.js and Vitest both run with the root as cwd. */
export const migrationsFolder = path.join(process.cwd(), 'drizzle');

/** Arbitrary constant shared by every instance of this app: "tokenloom" in ASCII, truncated. */
const MIGRATION_LOCK_KEY = 0x746f6b65;

export type MigrationTarget = { driver: 'pglite'; client: PGlite } | { driver: 'postgres'; pool: Pool };

export async function applyMigrations(target: MigrationTarget, folder: string = migrationsFolder): Promise<void> {
  switch (target.driver) {
    case 'pglite':
      await migratePglite(drizzlePglite({ client: target.client }), { migrationsFolder: folder });
      return;
    case 'postgres': {
      const connection = await target.pool.connect();
      try {
        await connection.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
        try {
          await migrateNodePg(drizzleNodePg({ client: connection }), { migrationsFolder: folder });
        } finally {
          await connection.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
        }
      } finally {
        connection.release();
      }
      return;
    }
    default: {
      const unreachable: never = target;
      throw new Error(`Unknown database driver: ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * drizzle-kit configuration: `npx drizzle-kit generate` diffs server/db/schema.ts against the
 * snapshots in drizzle/ and writes the next SQL migration there (committed; applied at start-up
 * by server/db/migrate.ts). Not used at runtime, and needs no database connection.
 */
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './server/db/schema.ts',
  out: './drizzle',
});

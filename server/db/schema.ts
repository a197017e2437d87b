/**
 * The database schema: one table, `graph`, holding saved GraphDocs for share links.
 *
 * A row is public by id (anyone with the link reads it); changing it needs the edit secret,
 * of which only a sha256 hash is stored. Not handled here: id/secret generation and the
 * secret check (graph-router.ts), document validation (nodes/engine/graph-doc.ts).
 * After changing this file run `npx drizzle-kit generate` and commit the new SQL in drizzle/.
 */
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import { index, integer, jsonb, pgTable, text, timestamp, type AnyPgColumn } from 'drizzle-orm/pg-core';

export const graphTable = pgTable(
  'graph',
  {
    /** Public id in share links: 128 random bits as 22 base64url characters. Never sequential. */
    id: text('id').primaryKey(),
    /** Copy of doc.title, so listing a user's graphs does not read whole documents. */
    title: text('title').notNull(),
    doc: jsonb('doc').$type<GraphDoc>().notNull(),
    /** doc.schemaVersion at save time; lets a future migration find the rows it must upgrade. */
    schemaVersion: integer('schema_version').notNull(),
    /** Hex sha256 of the edit secret. The secret is 256 random bits, so a fast hash suffices. */
    editSecretHash: text('edit_secret_hash').notNull(),
    /** The graph this one was forked from; kept (as null) if that graph is ever deleted. */
    forkedFrom: text('forked_from').references((): AnyPgColumn => graphTable.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('graph_forked_from_idx').on(table.forkedFrom)],
);

export type GraphRow = typeof graphTable.$inferSelect;

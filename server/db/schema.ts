/**
 * The database schema: `graph`, holding saved GraphDocs for share links, `run_lease`, the
 * server runs going (see runLeaseTable), and `corpus`, which client holds which uploaded corpus
 * file (the bytes live in the corpus store, server/corpora).
 *
 * A row is public by id (anyone with the link reads it); changing it needs the edit secret,
 * of which only a sha256 hash is stored. Not handled here: id/secret generation and the
 * secret check (graph-router.ts), document validation (nodes/engine/graph-doc.ts).
 *
 * Lossless storage of any text. A document is stored as its JSON text (`JSON.stringify`) in a
 * `text` column, not as jsonb: Postgres text and jsonb cannot hold U+0000, and jsonb refuses
 * lone surrogates, but JSON.stringify writes both as `\u0000` / `\ud800` escapes, so the stored
 * text is well-formed UTF-8 without NUL and JSON.parse gives back exactly the strings saved.
 * Rows saved before migration 0001 held jsonb; that migration turned them into the same JSON
 * text. The `title` column is a display copy (see displayTitle); the document keeps the exact one.
 * After changing this file run `npx drizzle-kit generate` and commit the new SQL in drizzle/.
 */
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import { bigint, customType, index, integer, pgTable, primaryKey, text, timestamp, type AnyPgColumn } from 'drizzle-orm/pg-core';

/** A JSON value stored as JSON text; see the header for why not jsonb. */
const jsonText = customType<{ data: GraphDoc; driverData: string }>({
  dataType: () => 'text',
  toDriver: (value) => JSON.stringify(value),
  fromDriver: (value) => JSON.parse(value) as GraphDoc,
});

/**
 * The title as a Postgres text column can hold it: lone surrogates become U+FFFD and U+0000 is
 * dropped. Only listings read it; graph.get answers the document's own title.
 */
export function displayTitle(title: string): string {
  return title.toWellFormed().replaceAll('\u0000', '');
}

export const graphTable = pgTable(
  'graph',
  {
    /** Public id in share links: 128 random bits as 22 base64url characters. Never sequential. */
    id: text('id').primaryKey(),
    /** displayTitle(doc.title), so listing a user's graphs does not read whole documents. */
    title: text('title').notNull(),
    /** The GraphDoc as JSON text (lossless for any string; see the header). */
    doc: jsonText('doc').notNull(),
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

/**
 * Corpus files a client has uploaded, for its quota and its list. The file itself is stored once
 * by content (sha256) however many clients upload it; each client's row counts its full size
 * against that client's quota. A row is written only after the file is complete and its hash
 * checked, so a row always names a whole file.
 */
export const corpusTable = pgTable(
  'corpus',
  {
    /** server/api/client-identity.ts's id: `c:<id>` (signed cookie) or `anon:<address>`. */
    client: text('client').notNull(),
    /** Lower-case hex sha256 of the file's bytes: its name in the store and in graphs. */
    sha256: text('sha256').notNull(),
    bytes: bigint('bytes', { mode: 'number' }).notNull(),
    /** The file name as uploaded (display only; at most 200 characters). */
    name: text('name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.client, table.sha256] }), index('corpus_sha256_idx').on(table.sha256)],
);

export type CorpusRow = typeof corpusTable.$inferSelect;

/**
 * One row per server run going (or waiting for a worker), so the run limits hold across every
 * web instance that shares this PostgreSQL (server/run/admission.ts). A row is leased: its web
 * instance pushes `expires_at` forward while the run's stream is open, so a crashed instance's
 * runs stop counting within a lease (30 s). Unused on embedded PGlite (one process counts in memory).
 */
export const runLeaseTable = pgTable(
  'run_lease',
  {
    id: text('id').primaryKey(),
    /** The signed client id (server/api/client-identity.ts) that started the run. */
    client: text('client').notNull(),
    /** The web instance holding the run's stream; it refreshes and releases the lease. */
    instance: text('instance').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (table) => [index('run_lease_client_idx').on(table.client), index('run_lease_instance_idx').on(table.instance)],
);

export * from './live-schema';

/**
 * graphRouter: save, load, update, fork and list shared graphs.
 *
 * Sharing model (ARCHITECTURE §3): saving returns an unguessable public id (128 random bits)
 * and an edit secret (256 random bits) that only the creator's browser keeps; the database
 * stores the secret's sha256. Anyone with the id can read and fork; only the secret updates.
 * Documents are migrated and validated with loadGraphDoc on the way in and on the way out,
 * and refused above MAX_GRAPH_BYTES serialized. Any string is stored exactly (U+0000 and lone
 * surrogates included; server/db/schema.ts says how); listings show displayTitle, get the exact title.
 * Saves (create, update, fork) are rate-limited per client (saveProcedure, server/api/save-rate-limit.ts).
 * Not handled here: deleting graphs, rotating secrets, user accounts, the HTTP body limit
 * (the route handler refuses oversized requests before they are parsed).
 */
import { TRPCError } from '@trpc/server';
import { desc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { graphDocSchema, loadGraphDoc, type GraphDoc } from '@/nodes/engine/graph-doc';
import { validateGraph } from '@/nodes/engine/validate';
import { registry } from '@/nodes';
import { createTRPCRouter, publicProcedure } from '@/server/api/trpc';
import { saveProcedure } from '@/server/api/save-rate-limit';
import { hashSecret, randomBase64Url, secretMatches } from '@/server/api/secrets';
import type { Database } from '@/server/db/client';
import { displayTitle, graphTable, type GraphRow } from '@/server/db/schema';
import { formatMegabytesAbove } from '@/server/run/limits';

/** Largest graph accepted, measured as UTF-8 bytes of its JSON. */
export const MAX_GRAPH_BYTES = 2_000_000;
const GRAPH_ID_BYTES = 16;
const EDIT_SECRET_BYTES = 32;
/** Ids the browser may list at once: far more than anyone keeps, small enough for a GET URL. */
const MAX_LISTED_IDS = 100;

const graphIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{22}$/, 'a graph id is 22 characters of A–Z, a–z, 0–9, - and _');

/**
 * A GraphDoc from the client: typed as the document for callers, checked for real in the
 * transform (size first, so a 10 MB upload is not walked by the validator), then migrated and
 * validated by loadGraphDoc, whose message names the offending node.
 */
export const graphDocInput = z.custom<z.input<typeof graphDocSchema>>(() => true).transform((raw, ctx): GraphDoc => {
  let serialized: string | undefined;
  try {
    serialized = JSON.stringify(raw);
  } catch (error) {
    const why = error instanceof RangeError ? 'it is nested too deeply' : 'it is not plain JSON';
    ctx.addIssue({ code: 'custom', message: `This graph cannot be saved: ${why}.` });
    return z.NEVER;
  }
  const bytes = serialized === undefined ? 0 : Buffer.byteLength(serialized, 'utf8');
  if (bytes > MAX_GRAPH_BYTES) {
    ctx.addIssue({
      code: 'custom',
      message: `This graph is ${formatMegabytesAbove(bytes, MAX_GRAPH_BYTES)} MB; the limit is ${MAX_GRAPH_BYTES / 1_000_000} MB.`,
    });
    return z.NEVER;
  }
  const loaded = loadGraphDoc(raw);
  if (!loaded.ok) {
    ctx.addIssue({ code: 'custom', message: loaded.message });
    return z.NEVER;
  }
  // A graph may be saved half-built (an input not wired yet), but not with nodes this server
  // cannot run: an unknown type, params that fail their schema, two nodes with one id, or an
  // edge to a port its node does not have (the canvas never draws one).
  const broken = validateGraph(loaded.doc, registry).find(
    (issue) => issue.code === 'unknown-type' || issue.code === 'bad-params' || issue.code === 'duplicate-id' || issue.code === 'unknown-port',
  );
  if (broken) {
    ctx.addIssue({ code: 'custom', message: `This graph cannot be saved: ${broken.message}` });
    return z.NEVER;
  }
  return loaded.doc;
});

/** What anyone may see about a graph: everything but the secret hash. Times as ISO strings. */
export type GraphMeta = { id: string; title: string; forkedFrom: string | null; createdAt: string; updatedAt: string };

function toGraphMeta(row: Pick<GraphRow, 'id' | 'title' | 'forkedFrom' | 'createdAt' | 'updatedAt'>): GraphMeta {
  return {
    id: row.id,
    title: row.title,
    forkedFrom: row.forkedFrom,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

async function findGraphRow(db: Database, id: string): Promise<GraphRow> {
  const [row] = await db.select().from(graphTable).where(eq(graphTable.id, id)).limit(1);
  if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: 'There is no saved graph with this id; the link may be mistyped.' });
  return row;
}

async function insertGraph(db: Database, doc: GraphDoc, forkedFrom: string | null) {
  const id = randomBase64Url(GRAPH_ID_BYTES);
  const editSecret = randomBase64Url(EDIT_SECRET_BYTES);
  await db.insert(graphTable).values({
    id,
    title: displayTitle(doc.title),
    doc,
    schemaVersion: doc.schemaVersion,
    editSecretHash: hashSecret(editSecret),
    forkedFrom,
  });
  return { id, editSecret };
}

export const graphRouter = createTRPCRouter({
  /** Save a new graph. Keep `editSecret`: it is shown once and needed for every update. */
  create: saveProcedure.input(z.object({ doc: graphDocInput })).mutation(async ({ ctx, input }) => {
    return insertGraph(ctx.db, input.doc, null);
  }),

  /** Read a graph by its public id; the stored document is migrated to the current schema. */
  get: publicProcedure.input(z.object({ id: graphIdSchema })).query(async ({ ctx, input }) => {
    const row = await findGraphRow(ctx.db, input.id);
    const loaded = loadGraphDoc(row.doc);
    if (!loaded.ok) {
      throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: `The saved graph no longer loads: ${loaded.message}` });
    }
    return { ...toGraphMeta(row), title: loaded.doc.title, doc: loaded.doc };
  }),

  /** Replace a graph's document. Without the right edit secret: FORBIDDEN (fork instead). */
  update: saveProcedure
    .input(z.object({ id: graphIdSchema, editSecret: z.string().max(200).optional(), doc: graphDocInput }))
    .mutation(async ({ ctx, input }) => {
      const row = await findGraphRow(ctx.db, input.id);
      if (!input.editSecret || !secretMatches(input.editSecret, row.editSecretHash)) {
        throw new TRPCError({
          code: 'FORBIDDEN',
          message: 'Only the holder of this graph’s edit secret can change it; fork it to save your own copy.',
        });
      }
      const [updated] = await ctx.db
        .update(graphTable)
        .set({ title: displayTitle(input.doc.title), doc: input.doc, schemaVersion: input.doc.schemaVersion, updatedAt: sql`now()` })
        .where(eq(graphTable.id, input.id))
        .returning({ updatedAt: graphTable.updatedAt });
      if (!updated) throw new TRPCError({ code: 'NOT_FOUND', message: 'The graph was removed while saving.' });
      return { id: input.id, updatedAt: updated.updatedAt.toISOString() };
    }),

  /**
   * Copy a graph under a new id and secret, remembering where it came from. Pass `doc` to fork
   * with edits made on the read-only view; the original is never touched.
   */
  fork: saveProcedure
    .input(z.object({ id: graphIdSchema, doc: graphDocInput.optional() }))
    .mutation(async ({ ctx, input }) => {
      const source = await findGraphRow(ctx.db, input.id);
      let doc = input.doc;
      if (!doc) {
        const loaded = loadGraphDoc(source.doc);
        if (!loaded.ok) throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: `The saved graph no longer loads: ${loaded.message}` });
        doc = loaded.doc;
      }
      const created = await insertGraph(ctx.db, doc, source.id);
      return { ...created, forkedFrom: source.id };
    }),

  /** Titles and times of the graphs whose ids this browser remembers, newest first; unknown ids are skipped. */
  listMine: publicProcedure
    .input(z.object({ ids: z.array(graphIdSchema).max(MAX_LISTED_IDS) }))
    .query(async ({ ctx, input }): Promise<GraphMeta[]> => {
      const ids = [...new Set(input.ids)];
      if (ids.length === 0) return [];
      const rows = await ctx.db
        .select({
          id: graphTable.id,
          title: graphTable.title,
          forkedFrom: graphTable.forkedFrom,
          createdAt: graphTable.createdAt,
          updatedAt: graphTable.updatedAt,
        })
        .from(graphTable)
        .where(inArray(graphTable.id, ids))
        .orderBy(desc(graphTable.updatedAt), graphTable.id);
      return rows.map(toGraphMeta);
    }),
});

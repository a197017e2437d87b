/**
 * Saving keeps every JavaScript string exactly: U+0000, lone surrogates, astral pairs and any
 * other UTF-16 code units in titles, texts, params and ids come back identical from graph.get,
 * on a real PGlite (and on PostgreSQL too when DATABASE_URL is set). Postgres text and jsonb
 * cannot hold U+0000 and jsonb refuses lone surrogates, so this is what the storage encoding
 * (server/db/schema.ts) is for.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import { createCaller } from '@/server/api/root';
import { openDatabase, type DatabaseTarget, type OpenDatabase } from '@/server/db/client';
import { applyMigrations, migrationsFolder } from '@/server/db/migrate';
import * as schema from '@/server/db/schema';

const targets: Array<{ name: string; target: DatabaseTarget }> = [{ name: 'PGlite (in memory)', target: { driver: 'pglite', dataDir: 'memory://' } }];
if (process.env.DATABASE_URL) targets.push({ name: 'PostgreSQL (DATABASE_URL)', target: { driver: 'postgres', url: process.env.DATABASE_URL } });

/** Any UTF-16 code units, and the troublesome ones on their own. */
const anyString = (maxLength: number) =>
  fc.oneof(
    fc.string({ unit: 'binary', maxLength }),
    fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength }),
    fc.constantFrom('\u0000', '\uD800', 'a\uDFFFb', '\\u0000', '\u0000\uD83D\uDE00\uDE00', '"\\', ''),
  );

function docWith(title: string, text: string, id: string, replaceWith: string): GraphDoc {
  return {
    schemaVersion: 1,
    title,
    nodes: [
      { id, type: 'text', params: { text, origin: text.slice(0, 50) }, position: { x: 0, y: 0 } },
      { id: 'clean', type: 'clean', params: { replaceWith }, position: { x: 1, y: 2 } },
    ],
    edges: [{ id: `${id}→`, source: id, sourcePort: 'text', target: 'clean', targetPort: 'text' }],
    lesson: { steps: [{ nodeId: id, question: title, note: text.slice(0, 100), lookAt: '' }], controls: { hidePalette: false, lockGraph: false, visibleParams: {} } },
  };
}

describe.each(targets)('lossless saves on $name', ({ target }) => {
  let database: OpenDatabase;
  let caller: ReturnType<typeof createCaller>;

  beforeAll(async () => {
    database = await openDatabase(target);
    caller = createCaller({ db: database.db, headers: new Headers() });
  });
  afterAll(async () => {
    await database?.close();
  });

  it('saves a graph whose text holds U+0000 and a lone surrogate and loads it back identical', async () => {
    const doc = docWith('NUL \u0000 and \uD800', 'a\u0000b\uDC00c', 'text-\u0000', '\uD83D');
    const { id, editSecret } = await caller.graph.create({ doc });
    const loaded = await caller.graph.get({ id });
    expect(loaded.doc).toEqual(doc);
    expect(loaded.title).toBe(doc.title);
    await caller.graph.update({ id, editSecret, doc: { ...doc, title: '\u0000' } });
    expect((await caller.graph.get({ id })).doc.title).toBe('\u0000');
    const fork = await caller.graph.fork({ id });
    expect((await caller.graph.get({ id: fork.id })).doc.title).toBe('\u0000');
    expect((await caller.graph.listMine({ ids: [id] }))[0]?.title).toBeTypeOf('string');
  });

  it('saves arbitrary UTF-16 strings in titles, texts, ids and params and loads them back identical', async () => {
    await fc.assert(
      fc.asyncProperty(anyString(200), anyString(300), anyString(64).filter((s) => s.length > 0), anyString(100), async (title, text, id, replaceWith) => {
        const doc = docWith(title, text, id, replaceWith);
        const { id: graphId } = await caller.graph.create({ doc });
        const loaded = await caller.graph.get({ id: graphId });
        expect(loaded.doc).toEqual(doc);
        expect(loaded.title).toBe(title);
      }),
      { numRuns: 60 },
    );
  });
});

describe('a graph saved before documents were stored as JSON text', () => {
  it('still loads after the migration turns its jsonb document into JSON text', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'tokenloom-migrations-'));
    const client = await PGlite.create('memory://');
    try {
      // The migrations as they were before 0001: 0000 alone, with a journal that lists only it.
      const journal = JSON.parse(await readFile(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: Array<{ idx: number }> };
      await mkdir(path.join(folder, 'meta'));
      await writeFile(path.join(folder, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries: journal.entries.filter((e) => e.idx === 0) }));
      await copyFile(path.join(migrationsFolder, '0000_init.sql'), path.join(folder, '0000_init.sql'));
      await applyMigrations({ driver: 'pglite', client }, folder);

      const doc = docWith('Old row ଓଡ଼ିଆ 😀', 'I love "NLP" \\ \n', 'text', '$&');
      await client.query(`insert into graph (id, title, doc, schema_version, edit_secret_hash) values ($1, $2, $3::jsonb, 1, 'x')`, ['legacyRow_0123456789ab', doc.title, JSON.stringify(doc)]);
      await applyMigrations({ driver: 'pglite', client });

      const caller = createCaller({ db: drizzle({ client, schema }), headers: new Headers() });
      expect((await caller.graph.get({ id: 'legacyRow_0123456789ab' })).doc).toEqual(doc);
    } finally {
      await client.close();
      await rm(folder, { recursive: true, force: true });
    }
  });
});

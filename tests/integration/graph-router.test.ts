/**
 * graphRouter through tRPC's createCaller against real databases: an in-memory PGlite always,
 * and the PostgreSQL at DATABASE_URL too when it is set (scripts/with-postgres.sh sets one up).
 * Rows are never deleted, and every assertion looks only at graphs this run created, so the
 * suite can run against a shared database.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TRPCError } from '@trpc/server';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import { createCaller } from '@/server/api/root';
import { openDatabase, type DatabaseTarget, type OpenDatabase } from '@/server/db/client';
import { graphTable } from '@/server/db/schema';

const targets: Array<{ name: string; target: DatabaseTarget }> = [
  { name: 'PGlite (in memory)', target: { driver: 'pglite', dataDir: 'memory://' } },
];
if (process.env.DATABASE_URL) {
  targets.push({ name: 'PostgreSQL (DATABASE_URL)', target: { driver: 'postgres', url: process.env.DATABASE_URL } });
}

function sampleDoc(title = 'I love NLP', text = 'I love NLP'): GraphDoc {
  return {
    schemaVersion: 1,
    title,
    nodes: [
      { id: 'text-1', type: 'text', params: { text }, position: { x: 0, y: 0 } },
      { id: 'pretokenize-1', type: 'pretokenize', params: { scheme: 'gpt2' }, position: { x: 240, y: 0 } },
    ],
    edges: [{ id: 'e1', source: 'text-1', sourcePort: 'text', target: 'pretokenize-1', targetPort: 'text' }],
  };
}

/** A graph whose JSON is about `megabytes` MB, all of it in one text param. */
function docOfSize(megabytes: number): GraphDoc {
  const doc = sampleDoc('Big corpus');
  doc.nodes[0]!.params = { text: 'a'.repeat(Math.round(megabytes * 1_000_000)) };
  return doc;
}

function base64UrlToBigInt(value: string): bigint {
  return BigInt(`0x${Buffer.from(value, 'base64url').toString('hex')}`);
}

async function expectTrpcError(promise: Promise<unknown>, code: TRPCError['code']): Promise<TRPCError> {
  const error = await promise.then(
    () => {
      throw new Error(`expected a ${code} error, but the call succeeded`);
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TRPCError);
  expect((error as TRPCError).code).toBe(code);
  return error as TRPCError;
}

describe.each(targets)('graphRouter on $name', ({ target }) => {
  let database: OpenDatabase;
  let caller: ReturnType<typeof createCaller>;

  beforeAll(async () => {
    database = await openDatabase(target);
    caller = createCaller({ db: database.db, headers: new Headers() });
  });
  afterAll(async () => {
    await database?.close();
  });

  async function storedRow(id: string) {
    const [row] = await database.db.select().from(graphTable).where(eq(graphTable.id, id));
    return row;
  }

  it('saves a graph and reads back the same document and metadata, without the secret hash', async () => {
    const doc = sampleDoc('Tokenize a sentence');
    const { id, editSecret } = await caller.graph.create({ doc });
    const loaded = await caller.graph.get({ id });

    expect(loaded.doc).toEqual(doc);
    expect(loaded.id).toBe(id);
    expect(loaded.title).toBe('Tokenize a sentence');
    expect(loaded.forkedFrom).toBeNull();
    expect(Date.parse(loaded.createdAt)).not.toBeNaN();
    expect(loaded.updatedAt).toBe(loaded.createdAt);
    expect(Object.keys(loaded).sort()).toEqual(['createdAt', 'doc', 'forkedFrom', 'id', 'title', 'updatedAt']);
    expect(JSON.stringify(loaded)).not.toContain(editSecret);
    expect(JSON.stringify(loaded)).not.toContain(createHash('sha256').update(editSecret).digest('hex'));
  });

  it('stores only the sha256 of the edit secret, and the schema version of the document', async () => {
    const { id, editSecret } = await caller.graph.create({ doc: sampleDoc() });
    const row = await storedRow(id);
    expect(row?.editSecretHash).toBe(createHash('sha256').update(editSecret).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(editSecret);
    expect(row?.schemaVersion).toBe(1);
  });

  it('gives ids of 128 random bits that are neither sequential nor share a prefix', async () => {
    const created = [];
    for (let i = 0; i < 8; i += 1) created.push(await caller.graph.create({ doc: sampleDoc(`graph ${i}`) }));
    const ids = created.map((graph) => graph.id);

    for (const id of ids) {
      expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(Buffer.from(id, 'base64url')).toHaveLength(16); // 128 bits >= 96
    }
    expect(new Set(ids).size).toBe(ids.length);
    // Random 128-bit values differ by more than 2^64 except with probability ~2^-63 per pair;
    // a counter, a timestamp-major id (UUIDv7, ULID) or a hash of a counter prefix would not.
    const values = ids.map(base64UrlToBigInt);
    for (let i = 1; i < values.length; i += 1) {
      const gap = values[i]! > values[i - 1]! ? values[i]! - values[i - 1]! : values[i - 1]! - values[i]!;
      expect(gap > 2n ** 64n).toBe(true);
    }
    expect(new Set(ids.map((id) => id.slice(0, 4))).size).toBe(ids.length);
    // Secrets are 256 bits and unrelated to the id.
    for (const { id, editSecret } of created) {
      expect(Buffer.from(editSecret, 'base64url')).toHaveLength(32);
      expect(editSecret.startsWith(id)).toBe(false);
    }
    expect(new Set(created.map((graph) => graph.editSecret)).size).toBe(created.length);
  });

  it('updates a graph with its edit secret and moves updatedAt forward', async () => {
    const { id, editSecret } = await caller.graph.create({ doc: sampleDoc('Before') });
    // The times come from the database's clock; set this row's to a known past instant, so
    // "forward" is strictly later whatever the clock's resolution or the machine's speed.
    const past = new Date('2001-02-03T04:05:06.000Z');
    await database.db.update(graphTable).set({ createdAt: past, updatedAt: past }).where(eq(graphTable.id, id));
    const before = await caller.graph.get({ id });
    expect(before.updatedAt).toBe(past.toISOString());
    const edited = sampleDoc('After', 'Odia: ଓଡ଼ିଆ 🙂');

    const result = await caller.graph.update({ id, editSecret, doc: edited });
    const after = await caller.graph.get({ id });

    expect(result.id).toBe(id);
    expect(after.doc).toEqual(edited);
    expect(after.title).toBe('After');
    expect(after.createdAt).toBe(past.toISOString());
    expect(Date.parse(after.updatedAt)).toBeGreaterThan(past.getTime());
    expect(result.updatedAt).toBe(after.updatedAt);
  });

  it('refuses an update without the edit secret and leaves the graph unchanged', async () => {
    const doc = sampleDoc('Protected');
    const { id } = await caller.graph.create({ doc });

    const error = await expectTrpcError(caller.graph.update({ id, doc: sampleDoc('Vandalised') }), 'FORBIDDEN');
    expect(error.message).toMatch(/edit secret/);
    await expectTrpcError(caller.graph.update({ id, editSecret: '', doc: sampleDoc('Vandalised') }), 'FORBIDDEN');
    expect((await caller.graph.get({ id })).doc).toEqual(doc);
  });

  it('refuses an update with a wrong secret, including another graph’s secret', async () => {
    const doc = sampleDoc('Protected');
    const { id, editSecret } = await caller.graph.create({ doc });
    const other = await caller.graph.create({ doc: sampleDoc('Other') });
    const almost = `${editSecret.slice(0, -1)}${editSecret.endsWith('A') ? 'B' : 'A'}`;

    for (const wrong of [other.editSecret, almost, `${editSecret}x`, editSecret.toUpperCase()]) {
      if (wrong === editSecret) continue;
      await expectTrpcError(caller.graph.update({ id, editSecret: wrong, doc: sampleDoc('Vandalised') }), 'FORBIDDEN');
    }
    expect((await caller.graph.get({ id })).doc).toEqual(doc);
    expect((await storedRow(id))?.title).toBe('Protected');
  });

  it('answers NOT_FOUND for an id that was never saved, and BAD_REQUEST for a malformed id', async () => {
    const neverSaved = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url');
    await expectTrpcError(caller.graph.get({ id: neverSaved }), 'NOT_FOUND');
    await expectTrpcError(caller.graph.update({ id: neverSaved, editSecret: 'x', doc: sampleDoc() }), 'NOT_FOUND');
    await expectTrpcError(caller.graph.fork({ id: neverSaved }), 'NOT_FOUND');
    await expectTrpcError(caller.graph.get({ id: '1' }), 'BAD_REQUEST');
    await expectTrpcError(caller.graph.get({ id: "x' OR '1'='1" }), 'BAD_REQUEST');
  });

  it('refuses a 10 MB graph with its size and the limit, and stores nothing', async () => {
    const { id, editSecret } = await caller.graph.create({ doc: sampleDoc('Small') });

    const created = await expectTrpcError(caller.graph.create({ doc: docOfSize(10) }), 'BAD_REQUEST');
    expect(created.message).toBe('This graph is 10.0 MB; the limit is 2 MB.');
    const updated = await expectTrpcError(caller.graph.update({ id, editSecret, doc: docOfSize(10.3) }), 'BAD_REQUEST');
    expect(updated.message).toBe('This graph is 10.3 MB; the limit is 2 MB.');
    await expectTrpcError(caller.graph.fork({ id, doc: docOfSize(10) }), 'BAD_REQUEST');

    expect((await caller.graph.get({ id })).title).toBe('Small');
  });

  it('accepts a graph just under the 2 MB limit', async () => {
    const doc = docOfSize(1.99);
    const { id } = await caller.graph.create({ doc });
    const loaded = await caller.graph.get({ id });
    expect(loaded.doc.nodes[0]?.params.text).toHaveLength(1_990_000);
  });

  it('never prints a graph just over the limit as exactly the limit', async () => {
    const error = await expectTrpcError(caller.graph.create({ doc: docOfSize(2) }), 'BAD_REQUEST');
    expect(error.message).toMatch(/^This graph is 2\.0+[1-9]\d* MB; the limit is 2 MB\.$/);
  });

  it('refuses a malformed document with loadGraphDoc’s message naming the node', async () => {
    const broken = sampleDoc() as unknown as { nodes: Array<{ position: unknown }> };
    broken.nodes[1]!.position = { x: 'left', y: 0 };

    const error = await expectTrpcError(caller.graph.create({ doc: broken as unknown as GraphDoc }), 'BAD_REQUEST');
    expect(error.message).toMatch(/^The graph is malformed: node 'pretokenize-1' \(pretokenize\): position\.x must be a number\.$/);
  });

  it('refuses a graph with a node type it cannot run, naming the node', async () => {
    const doc = sampleDoc();
    const odd = { ...doc, nodes: [...doc.nodes, { id: 'sparkle-1', type: 'sparkle', params: {}, position: { x: 0, y: 0 } }] };
    const error = await expectTrpcError(caller.graph.create({ doc: odd }), 'BAD_REQUEST');
    expect(error.message).toContain("Node 'sparkle-1' has an unknown type 'sparkle'");
  });

  it('refuses a document from a newer schema, and one that is not an object', async () => {
    const newer = { ...sampleDoc(), schemaVersion: 99 } as unknown as GraphDoc;
    const error = await expectTrpcError(caller.graph.create({ doc: newer }), 'BAD_REQUEST');
    expect(error.message).toMatch(/newer Tokenloom \(schema 99/);

    const notAGraph = await expectTrpcError(caller.graph.create({ doc: [1, 2, 3] as unknown as GraphDoc }), 'BAD_REQUEST');
    expect(notAGraph.message).toMatch(/not a Tokenloom graph/);
  });

  it('migrates a version-0 (React Flow export) document before saving it', async () => {
    const reactFlowExport = {
      title: 'From devtools',
      nodes: [{ id: 'text-1', type: 'text', data: { params: { text: 'hi' } }, position: { x: 1, y: 2 } }],
      edges: [],
    };
    const { id } = await caller.graph.create({ doc: reactFlowExport as unknown as GraphDoc });
    const loaded = await caller.graph.get({ id });
    expect(loaded.doc.schemaVersion).toBe(1);
    expect(loaded.doc.nodes[0]).toEqual({ id: 'text-1', type: 'text', params: { text: 'hi' }, position: { x: 1, y: 2 } });
  });

  it('forks a graph under a new id and secret and leaves the original unchanged', async () => {
    const doc = sampleDoc('Original');
    const original = await caller.graph.create({ doc });
    const originalBefore = await caller.graph.get({ id: original.id });

    const fork = await caller.graph.fork({ id: original.id });
    expect(fork.id).not.toBe(original.id);
    expect(fork.editSecret).not.toBe(original.editSecret);
    expect(fork.forkedFrom).toBe(original.id);

    const forked = await caller.graph.get({ id: fork.id });
    expect(forked.doc).toEqual(doc);
    expect(forked.forkedFrom).toBe(original.id);

    // Each secret opens only its own graph.
    await expectTrpcError(caller.graph.update({ id: original.id, editSecret: fork.editSecret, doc: sampleDoc('Hijack') }), 'FORBIDDEN');
    await expectTrpcError(caller.graph.update({ id: fork.id, editSecret: original.editSecret, doc: sampleDoc('Hijack') }), 'FORBIDDEN');
    await caller.graph.update({ id: fork.id, editSecret: fork.editSecret, doc: sampleDoc('My fork') });

    expect(await caller.graph.get({ id: original.id })).toEqual(originalBefore);
    expect((await caller.graph.get({ id: fork.id })).title).toBe('My fork');
  });

  it('forks with the edits a reader made, still leaving the original unchanged', async () => {
    const original = await caller.graph.create({ doc: sampleDoc('Original') });
    const before = await caller.graph.get({ id: original.id });
    const edited = sampleDoc('Original, with my text', 'Hello world');

    const fork = await caller.graph.fork({ id: original.id, doc: edited });

    expect((await caller.graph.get({ id: fork.id })).doc).toEqual(edited);
    expect(await caller.graph.get({ id: original.id })).toEqual(before);
  });

  it('lists the graphs whose ids the browser holds, newest first, skipping unknown ids', async () => {
    const first = await caller.graph.create({ doc: sampleDoc('First') });
    const second = await caller.graph.create({ doc: sampleDoc('Second') });
    await caller.graph.update({ id: first.id, editSecret: first.editSecret, doc: sampleDoc('First, edited') });
    const unknown = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url');

    const listed = await caller.graph.listMine({ ids: [second.id, unknown, first.id, second.id] });

    expect(listed.map((graph) => graph.id)).toEqual([first.id, second.id]);
    expect(listed.map((graph) => graph.title)).toEqual(['First, edited', 'Second']);
    expect(Object.keys(listed[0]!).sort()).toEqual(['createdAt', 'forkedFrom', 'id', 'title', 'updatedAt']);
    expect(await caller.graph.listMine({ ids: [] })).toEqual([]);
  });

  it('refuses to list more than 100 ids at once', async () => {
    const ids = Array.from({ length: 101 }, () => Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url'));
    await expectTrpcError(caller.graph.listMine({ ids }), 'BAD_REQUEST');
    expect(await caller.graph.listMine({ ids: ids.slice(0, 100) })).toEqual([]);
  });

  it('can be opened again: migrations already applied are skipped', async () => {
    const again = await openDatabase(target);
    try {
      const { id } = await createCaller({ db: again.db, headers: new Headers() }).graph.create({ doc: sampleDoc('Again') });
      if (target.driver === 'postgres') expect((await caller.graph.get({ id })).title).toBe('Again');
      else expect(id).toHaveLength(22); // a second in-memory PGlite is a separate database
    } finally {
      await again.close();
    }
  });
});

describe('PGlite in a data folder', () => {
  let parent: string;
  beforeAll(async () => {
    parent = await mkdtemp(path.join(os.tmpdir(), 'tokenloom-pglite-'));
  });
  afterAll(async () => {
    await rm(parent, { recursive: true, force: true });
  });

  it('creates the folder on first run and keeps graphs after closing and reopening', async () => {
    const dataDir = path.join(parent, 'nested', 'pglite');
    const first = await openDatabase({ driver: 'pglite', dataDir });
    const { id } = await createCaller({ db: first.db, headers: new Headers() }).graph.create({ doc: sampleDoc('Persisted') });
    await first.close();

    const second = await openDatabase({ driver: 'pglite', dataDir });
    try {
      const loaded = await createCaller({ db: second.db, headers: new Headers() }).graph.get({ id });
      expect(loaded.title).toBe('Persisted');
      expect(loaded.doc).toEqual(sampleDoc('Persisted'));
    } finally {
      await second.close();
    }
  });
});

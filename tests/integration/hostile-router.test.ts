/**
 * Hostile saves against the graph router over real HTTP (the app's route handler on
 * 127.0.0.1, PGlite in memory, or PostgreSQL when DATABASE_URL is set): every garbled document
 * ends in a saved graph or a 4xx with a sentence about the graph; never a 500, never SQL, a
 * stack frame, a zod dump or the document's text in the answer or in the server log; and the
 * server still answers graph.get afterwards.
 */
import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import type { AppRouter } from '@/server/api/root';
import { UNEXPECTED_FAILURE_MESSAGE } from '@/server/api/trpc';
import { expectUserFacing, garbledDoc, PROTO_NAMES } from '../unit/engine/hostile-fixtures';
import { serveRoute, type RouteServer } from './run-http-server';

const at = { x: 0, y: 0 };

function textDoc(title: string, text: string): GraphDoc {
  return { schemaVersion: 1, title, nodes: [{ id: 'text', type: 'text', params: { text }, position: at }], edges: [] };
}

async function refusal(promise: Promise<unknown>): Promise<TRPCClientError<AppRouter>> {
  const error = await promise.then(
    () => {
      throw new Error('expected the call to be refused');
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  return error as TRPCClientError<AppRouter>;
}

describe('hostile saves over HTTP', () => {
  let route: RouteServer;
  let client: ReturnType<typeof createTRPCClient<AppRouter>>;
  let knownId: string;
  const known = textDoc('Known graph', 'I love NLP');

  beforeAll(async () => {
    route = await serveRoute();
    client = createTRPCClient<AppRouter>({ links: [httpLink({ url: route.url })] });
    knownId = (await client.graph.create.mutate({ doc: known })).id;
  });
  afterAll(async () => {
    await route?.close();
  });

  async function expectStillServing() {
    expect((await client.graph.get.query({ id: knownId })).doc).toEqual(known);
  }

  it('refuses a node typed __proto__ with a sentence naming node 0', async () => {
    for (const type of PROTO_NAMES) {
      const doc = { ...textDoc('proto', 'x'), nodes: [{ id: 'node-0', type, params: {}, position: at }] };
      const error = await refusal(client.graph.create.mutate({ doc }));
      expect(error.data?.httpStatus).toBe(400);
      expect(error.message).toBe(`This graph cannot be saved: Node 'node-0' has an unknown type '${type}'.`);
    }
    await expectStillServing();
  });

  it('refuses an edge to port __proto__ with a sentence naming the edge', async () => {
    const doc: GraphDoc = {
      ...textDoc('ports', 'x'),
      nodes: [...textDoc('', 'x').nodes, { id: 'clean', type: 'clean', params: {}, position: at }],
      edges: [{ id: 'edge-7', source: 'text', sourcePort: 'text', target: 'clean', targetPort: '__proto__' }],
    };
    const error = await refusal(client.graph.create.mutate({ doc }));
    expect(error.data?.httpStatus).toBe(400);
    expect(error.message).toMatch(/^This graph cannot be saved: Edge 'edge-7' goes into Clean 'clean' at an input '__proto__' it does not have/);
  });

  it('refuses {schemaVersion: 0, nodes: [1, null, "x"]} with a sentence naming each index', async () => {
    const error = await refusal(client.graph.create.mutate({ doc: { schemaVersion: 0, nodes: [1, null, 'x'] } as never }));
    expect(error.data?.httpStatus).toBe(400);
    expect(error.message).toMatch(/Node 0 is not an object.*Node 1 is not an object.*Node 2 is not an object/);
    await expectStillServing();
  });

  it('saves a graph whose param is nested 4,500 arrays deep, or refuses it in a sentence', async () => {
    // Sent as raw JSON: the tRPC client's own JSON.stringify runs out of stack at this depth.
    const deep = `${'['.repeat(4500)}"x"${']'.repeat(4500)}`;
    const body = `{"doc":{"schemaVersion":1,"title":"deep","nodes":[{"id":"text","type":"text","params":{"text":"x","deep":${deep}},"position":{"x":0,"y":0}}],"edges":[]}}`;
    const response = await fetch(`${route.url}/graph.create`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const answer = (await response.json()) as { result?: { data: { id: string } }; error?: { message: string } };
    if (response.ok) {
      expect((await client.graph.get.query({ id: answer.result!.data.id })).doc.nodes[0]?.params.text).toBe('x');
    } else {
      expect(response.status).toBe(400);
      expectUserFacing(answer.error!.message);
    }
    await expectStillServing();
  });

  it('refuses a huge text and a __proto__ id with a sentence, not a 500', async () => {
    const huge = await refusal(client.graph.create.mutate({ doc: textDoc('huge', 'ଓ'.repeat(1_000_000)) }));
    expect([400, 413]).toContain(huge.data?.httpStatus ?? 0);
    expect(huge.message).toMatch(/MB; the limit is \d+ MB/);
    const proto = await refusal(client.graph.get.query({ id: '__proto__' }));
    expect(proto.data?.httpStatus).toBe(400);
    expectUserFacing(proto.message);
    await expectStillServing();
  });

  it('refuses a Clean lookbehind on save, naming the construct', async () => {
    const doc: GraphDoc = { ...textDoc('re', 'x'), nodes: [{ id: 'clean', type: 'clean', params: { replacePattern: '(?<=a)b' }, position: at }] };
    const error = await refusal(client.graph.create.mutate({ doc }));
    expect(error.message).toMatch(/Lookbehind \(\?<=…\) is not supported: patterns run on a linear-time engine/);
  });

  it('saves U+0000 and lone surrogates over HTTP and reads them back identical', async () => {
    const doc = textDoc('\u0000\uD800', 'a\u0000b\uDFFF');
    const { id } = await client.graph.create.mutate({ doc });
    expect((await client.graph.get.query({ id })).doc).toEqual(doc);
  });

  it('answers a forced database error with one sentence and logs one line, neither with SQL nor the document', async () => {
    const { getDb } = await import('@/server/db/client');
    const db = await getDb();
    const secret = 'SECRET-DOCUMENT-TEXT-that-must-not-leak';
    const logged: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')));
    await db.execute(sql`alter table graph add constraint hostile_refuse_all check (false) not valid`);
    try {
      const error = await refusal(client.graph.create.mutate({ doc: textDoc('Forced failure', secret) }));
      expect(error.data?.httpStatus).toBe(500);
      expect(error.message).toBe(UNEXPECTED_FAILURE_MESSAGE);
      expect(JSON.stringify(error.data)).not.toMatch(/insert|graph"|SECRET|check/i);
      expectUserFacing(error.message, [secret]);
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatch(/^\[trpc\] graph\.create failed: INTERNAL_SERVER_ERROR \(.*SQLSTATE 23514\)$/);
      expect(logged[0]).not.toMatch(/insert|SECRET|Forced failure|hostile_refuse_all/i);
    } finally {
      await db.execute(sql`alter table graph drop constraint hostile_refuse_all`);
      spy.mockRestore();
    }
    await expectStillServing();
  });

  it('ends every garbled document in a saved graph or a 4xx sentence, and keeps serving', async () => {
    const logged: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')));
    try {
      await fc.assert(
        fc.asyncProperty(garbledDoc, async (raw) => {
          const result = await client.graph.create.mutate({ doc: raw as never }).then(
            (ok) => ok,
            (error: unknown) => error,
          );
          if (result instanceof TRPCClientError) {
            const status = (result as TRPCClientError<AppRouter>).data?.httpStatus ?? 0;
            expect(status, result.message).toBeGreaterThanOrEqual(400);
            expect(status, result.message).toBeLessThan(500);
            expectUserFacing(result.message);
          } else {
            expect(result).toMatchObject({ id: expect.any(String) });
          }
        }),
        { numRuns: 120 },
      );
    } finally {
      spy.mockRestore();
    }
    expect(logged).toEqual([]);
    await expectStillServing();
  }, 120_000);
});

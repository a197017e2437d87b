/**
 * The real route handler (app/api/trpc/[trpc]/route.ts) over real HTTP: a plain Node http
 * server on 127.0.0.1 hands each request to the route's GET/POST as a fetch Request, the way
 * Next.js does, and @trpc/client's httpBatchLink talks to it. The database is the app's own
 * getDb(): PGlite in a fresh temp folder, or PostgreSQL when DATABASE_URL is set.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createTRPCClient, httpBatchLink, httpLink, TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import type { AppRouter } from '@/server/api/root';

type RouteModule = typeof import('@/app/api/trpc/[trpc]/route');

function sampleDoc(title: string, text = 'I love NLP'): GraphDoc {
  return {
    schemaVersion: 1,
    title,
    nodes: [{ id: 'text-1', type: 'text', params: { text }, position: { x: 0, y: 0 } }],
    edges: [],
  };
}

async function clientError(promise: Promise<unknown>): Promise<TRPCClientError<AppRouter>> {
  const error = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  return error as TRPCClientError<AppRouter>;
}

describe(`tRPC route handler over HTTP (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite in a temp folder'})`, () => {
  let tempDir: string;
  let pgliteDir: string;
  let server: http.Server;
  let baseUrl: string;
  let closeDb: () => Promise<void>;
  const requestsSeen: Array<{ method: string; url: string }> = [];

  beforeAll(async () => {
    tempDir = await mkdtemp(path.join(os.tmpdir(), 'tokenloom-http-'));
    pgliteDir = path.join(tempDir, 'data', 'pglite');
    // Must be set before the server modules load: env.ts reads the environment once.
    process.env.PGLITE_DATA_DIR = pgliteDir;
    const route: RouteModule = await import('@/app/api/trpc/[trpc]/route');
    ({ closeDb } = await import('@/server/db/client'));

    server = http.createServer((req, res) => {
      requestsSeen.push({ method: req.method ?? '', url: req.url ?? '' });
      const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string') headers.set(name, value);
        else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
      }
      // As Next.js does (NextRequestAdapter.fromNodeNextRequest): the IncomingMessage itself is the body.
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
      const request = new Request(url, {
        method: req.method,
        headers,
        body: hasBody ? (req as unknown as ReadableStream<Uint8Array>) : undefined,
        duplex: 'half',
      } as RequestInit);
      const handler = req.method === 'GET' ? route.GET : route.POST;
      handler(request)
        .then(async (response) => {
          res.writeHead(response.status, Object.fromEntries(response.headers));
          res.end(Buffer.from(await response.arrayBuffer()));
        })
        .catch((error: unknown) => {
          res.writeHead(500).end(String(error));
        });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/trpc`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await closeDb?.();
    delete process.env.PGLITE_DATA_DIR;
    await rm(tempDir, { recursive: true, force: true });
  });

  const batchClient = () => createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: baseUrl })] });

  it('saves, reads, updates and forks a graph through httpBatchLink', async () => {
    const client = batchClient();
    const { id, editSecret } = await client.graph.create.mutate({ doc: sampleDoc('Over HTTP') });
    expect((await client.graph.get.query({ id })).doc).toEqual(sampleDoc('Over HTTP'));

    await client.graph.update.mutate({ id, editSecret, doc: sampleDoc('Over HTTP, edited', 'ଓଡ଼ିଆ 🙂') });
    const loaded = await client.graph.get.query({ id });
    expect(loaded.title).toBe('Over HTTP, edited');
    expect(loaded.doc.nodes[0]?.params.text).toBe('ଓଡ଼ିଆ 🙂');
    expect(typeof loaded.createdAt).toBe('string');

    const fork = await client.graph.fork.mutate({ id });
    expect((await client.graph.get.query({ id: fork.id })).forkedFrom).toBe(id);
  });

  it('creates the PGlite data folder on first use when DATABASE_URL is unset', () => {
    expect(existsSync(path.join(pgliteDir, 'PG_VERSION'))).toBe(!process.env.DATABASE_URL);
  });

  it('batches concurrent queries into one HTTP request', async () => {
    const client = batchClient();
    const a = await client.graph.create.mutate({ doc: sampleDoc('A') });
    const b = await client.graph.create.mutate({ doc: sampleDoc('B') });
    const before = requestsSeen.length;

    const [first, second, mine] = await Promise.all([
      client.graph.get.query({ id: a.id }),
      client.graph.get.query({ id: b.id }),
      client.graph.listMine.query({ ids: [a.id, b.id] }),
    ]);

    expect([first.title, second.title]).toEqual(['A', 'B']);
    expect(mine.map((graph) => graph.title).sort()).toEqual(['A', 'B']);
    expect(requestsSeen.length - before).toBe(1);
    expect(requestsSeen.at(-1)?.url).toContain('batch=1');
  });

  it('answers a wrong edit secret with FORBIDDEN (HTTP 403)', async () => {
    const client = batchClient();
    const { id } = await client.graph.create.mutate({ doc: sampleDoc('Guarded') });
    const error = await clientError(client.graph.update.mutate({ id, editSecret: 'not-the-secret', doc: sampleDoc('Hijacked') }));
    expect(error.data?.code).toBe('FORBIDDEN');
    expect(error.data?.httpStatus).toBe(403);
    expect((await client.graph.get.query({ id })).title).toBe('Guarded');
  });

  it('reports invalid input as a readable message with the zod issues', async () => {
    const client = batchClient();
    const error = await clientError(client.graph.get.query({ id: 'too-short' }));
    expect(error.data?.code).toBe('BAD_REQUEST');
    expect(error.message).toBe('id: a graph id is 22 characters of A–Z, a–z, 0–9, - and _');
    expect(error.data?.zodIssues).toEqual([{ path: 'id', message: 'a graph id is 22 characters of A–Z, a–z, 0–9, - and _' }]);
  });

  it('refuses a 2.5 MB graph inside the body limit with the graph size message', async () => {
    const doc = sampleDoc('Too big', 'a'.repeat(2_500_000));
    const error = await clientError(batchClient().graph.create.mutate({ doc }));
    expect(error.data?.code).toBe('BAD_REQUEST');
    expect(error.message).toBe('This graph is 2.5 MB; the limit is 2 MB.');
  });

  it('refuses a 10 MB request body with 413 before parsing it, and keeps serving', async () => {
    const doc = sampleDoc('Far too big', 'a'.repeat(10_000_000));
    for (const client of [batchClient(), createTRPCClient<AppRouter>({ links: [httpLink({ url: baseUrl })] })]) {
      const error = await clientError(client.graph.create.mutate({ doc }));
      expect(error.data?.code).toBe('PAYLOAD_TOO_LARGE');
      expect(error.data?.httpStatus).toBe(413);
      expect(error.message).toMatch(/^This request is 10\.0 MB; the limit is 3 MB \(a graph may be at most 2 MB\)\.$/);
    }
    const { id } = await batchClient().graph.create.mutate({ doc: sampleDoc('Still fine') });
    expect((await batchClient().graph.get.query({ id })).title).toBe('Still fine');
  });

  it('refuses an oversized chunked body that declares no Content-Length', async () => {
    const chunk = Buffer.alloc(256 * 1024, 'a');
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(`${baseUrl}/graph.create`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (part: string) => (text += part));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.write('{"doc":{"schemaVersion":1,"title":"chunked","nodes":[],"edges":[],"pad":"');
      let sent = 0;
      const pump = () => {
        while (sent < 16) {
          sent += 1;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end('"}}');
      };
      pump();
    });
    expect(status).toBe(413);
    const parsed = JSON.parse(body) as { error: { message: string; data: { code: string } } };
    expect(parsed.error.data.code).toBe('PAYLOAD_TOO_LARGE');
    expect(parsed.error.message).toMatch(/^This request is over 3 MB; the limit is 3 MB/);
  });
});

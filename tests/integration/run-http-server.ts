/**
 * Test helper for the run-*.test.ts files: serves the real route handler
 * (app/api/trpc/[trpc]/route.ts) on 127.0.0.1 with a plain Node http server, the way Next.js
 * does, but streaming: response bodies are piped as they are produced (server-sent events) and
 * the Request's signal aborts when the client goes away, so a closed stream cancels the run.
 * Also builds graphs for the tests and a server runner (components/canvas/server-runner.ts)
 * pointed at the server, one signed client cookie per simulated browser (made with the
 * server's own secret, as if the browser had been given it), and the helpers the isolation tests
 * share (fault graphs, "the server still serves", "every slot is free"). Not a test file itself; touches nothing but 127.0.0.1.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TRPCClientError, createTRPCClient, httpSubscriptionLink } from '@trpc/client';
import { EventSource } from 'eventsource';
import { expect } from 'vitest';
import { createServerRunner, type ServerRunner } from '@/components/canvas/server-runner';
import type { RunEvent } from '@/nodes/engine/executor';
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import type { AppRouter } from '@/server/api/root';
import type { RunAccepted, RunEventBatch } from '@/server/run/run-manager';

type RouteModule = typeof import('@/app/api/trpc/[trpc]/route');

export interface RouteServer {
  url: string;
  /** A server runner for the simulated browser `client` (one signed client cookie per name). */
  runner(client: string): ServerRunner;
  /** The `cookie` header of the simulated browser `client`, for raw requests. */
  cookieFor(client: string): string;
  /** Start a staged graph (run.stage's id) as `client`; resolves with its events, rejects like runOnServer. */
  startStaged(client: string, stagedId: string): Promise<RunEvent[]>;
  close(): Promise<void>;
}

/**
 * Import the route (after the caller has set any env) and serve it. The route's context opens
 * the app database on the first request: an in-memory PGlite (or DATABASE_URL's server).
 */
export async function serveRoute(): Promise<RouteServer> {
  process.env.PGLITE_DATA_DIR = 'memory://';
  const route: RouteModule = await import('@/app/api/trpc/[trpc]/route');
  // Imported after the env is set: the secret depends on PGLITE_DATA_DIR (memory:// → per process).
  const { CLIENT_COOKIE, issueClientCookieValue } = await import('@/server/api/client-identity');
  const cookies = new Map<string, string>();
  const cookieFor = (client: string) => {
    let cookie = cookies.get(client);
    if (!cookie) cookies.set(client, (cookie = `${CLIENT_COOKIE}=${issueClientCookieValue()}`));
    return cookie;
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string') headers.set(name, value);
      else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    }
    if (!headers.has('x-forwarded-for')) headers.set('x-forwarded-for', req.socket.remoteAddress ?? '');
    const gone = new AbortController();
    res.on('close', () => gone.abort());
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    const request = new Request(url, {
      method: req.method,
      headers,
      body: hasBody ? (req as unknown as ReadableStream<Uint8Array>) : undefined,
      duplex: 'half',
      signal: gone.signal,
    } as RequestInit);
    const handler = req.method === 'GET' ? route.GET : route.POST;
    handler(request)
      .then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        if (!response.body) return void res.end();
        const reader = response.body.getReader();
        gone.signal.addEventListener('abort', () => void reader.cancel().catch(() => undefined));
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          res.write(value);
        }
        res.end();
      })
      .catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500);
        res.end(String(error));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/trpc`;
  return {
    url,
    runner: (client) => createServerRunner({ url, EventSource, headers: { cookie: cookieFor(client) } }),
    cookieFor,
    startStaged: (client, stagedId) =>
      subscribeRun(url, { cookie: cookieFor(client) }, { stagedId }).then((messages) =>
        messages.filter((m): m is RunEvent => m.type !== 'run:accepted'),
      ),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      const { getRunManager } = await import('@/server/run/run-manager');
      await getRunManager().close();
      const { closeDb } = await import('@/server/db/client');
      await closeDb();
      delete process.env.PGLITE_DATA_DIR;
    },
  };
}

/**
 * Start a run with a bare tRPC client, seeing every message the server sends, run:accepted
 * (with the cancel token) included; `headers` go on the request (a cookie, forged headers).
 * Resolves with the messages when the stream completes, rejects with its error.
 */
export function subscribeRun(
  url: string,
  headers: Record<string, string>,
  input: { doc?: GraphDoc; stagedId?: string; runId?: string },
  onMessage: (message: RunAccepted | RunEvent) => void = () => undefined,
): Promise<(RunAccepted | RunEvent)[]> {
  const trpc = createTRPCClient<AppRouter>({
    links: [
      httpSubscriptionLink({
        url,
        EventSource,
        eventSourceOptions: {
          fetch: (input: string | URL, init?: RequestInit) => fetch(input, { ...init, headers: { ...Object.fromEntries(new Headers(init?.headers)), ...headers } }),
        } as EventSourceInit,
      }),
    ],
  });
  const messages: (RunAccepted | RunEvent)[] = [];
  return new Promise((resolve, reject) => {
    const subscription = trpc.run.start.subscribe(input, {
      onData: (data) => {
        // The wire type only loosens `view`; a run:events batch is its events, in order.
        const batch = data as RunAccepted | RunEvent | RunEventBatch;
        for (const message of batch.type === 'run:events' ? batch.events : [batch]) {
          messages.push(message);
          onMessage(message);
        }
      },
      onError: (error) => {
        subscription.unsubscribe();
        reject(error);
      },
      onComplete: () => resolve(messages),
    });
  });
}

/** Text → Clean → Pretokenize, the starter pipeline without its note. */
export function pipelineDoc(text: string, mode = 'bytelevel'): GraphDoc {
  return {
    schemaVersion: 1,
    title: 'pipeline',
    nodes: [
      { id: 'text', type: 'text', params: { text, origin: 'typed' }, position: { x: 0, y: 0 } },
      { id: 'clean', type: 'clean', params: {}, position: { x: 300, y: 0 } },
      { id: 'pretokenize', type: 'pretokenize', params: { mode }, position: { x: 600, y: 0 } },
    ],
    edges: [
      { id: 'e1', source: 'text', sourcePort: 'text', target: 'clean', targetPort: 'text' },
      { id: 'e2', source: 'clean', sourcePort: 'text', target: 'pretokenize', targetPort: 'text' },
    ],
  };
}

/**
 * A slow graph: one text of `bytes` characters fanned out to `branches` Clean → Pretokenize
 * chains whose params differ, so no branch reuses another's result. `seed` varies the text.
 */
export function slowDoc(seed: string, bytes = 1_000_000, branches = 8): GraphDoc {
  const base = `${seed} Tokenizers cut text into pieces, naïve café 🙂 and ଓଡ଼ିଆ. `;
  const text = base.repeat(Math.ceil(bytes / base.length)).slice(0, bytes);
  const forms = ['NFC', 'NFKC', 'NFD', 'NFKD'] as const;
  const modes = ['bytelevel', 'gpt2', 'whitespace', 'bert'] as const;
  const doc: GraphDoc = { schemaVersion: 1, title: 'slow', nodes: [{ id: 'text', type: 'text', params: { text, origin: 'typed' }, position: { x: 0, y: 0 } }], edges: [] };
  for (let i = 0; i < branches; i++) {
    const clean = `clean-${i}`;
    const pre = `pre-${i}`;
    doc.nodes.push(
      { id: clean, type: 'clean', params: { form: forms[i % 4], lowercase: i >= 4 }, position: { x: 300, y: i * 100 } },
      { id: pre, type: 'pretokenize', params: { mode: modes[i % 4] }, position: { x: 600, y: i * 100 } },
    );
    doc.edges.push(
      { id: `e-text-${clean}`, source: 'text', sourcePort: 'text', target: clean, targetPort: 'text' },
      { id: `e-${clean}-${pre}`, source: clean, sourcePort: 'text', target: pre, targetPort: 'text' },
    );
  }
  return doc;
}

/** Collect a run's events; resolves or rejects with the runner. */
export async function collect(runner: ServerRunner, doc: GraphDoc, signal?: AbortSignal): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  await runner.runOnServer(doc, { onEvent: (event) => events.push(event), signal });
  return events;
}

/**
 * The pipeline plus a Note that, with TOKENLOOM_TEST_FAULTS=1 in the server's environment,
 * makes its engine process fail as named (server/run/engine-process.ts).
 */
export function faultDoc(fault: 'oom' | 'invalid-size' | 'hang' | 'abort' | 'wait', id = 'fault', text = `text beside the ${fault}`): GraphDoc {
  const doc = pipelineDoc(text);
  doc.nodes.push({ id, type: 'note', params: { text: `TOKENLOOM_TEST_FAULT:${fault}` }, position: { x: 0, y: 300 } });
  return doc;
}

/** Start a run; `started` resolves when its node `nodeId` has started, `settled` with the outcome. */
export function startRun(server: RouteServer, client: string, doc: GraphDoc, nodeId: string) {
  const events: RunEvent[] = [];
  let markStarted!: () => void;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  const settled = server
    .runner(client)
    .runOnServer(doc, {
      onEvent: (event) => {
        events.push(event);
        if (event.type === 'node:start' && event.nodeId === nodeId) markStarted();
      },
    })
    .then(
      () => ({ error: undefined, events }),
      (error: unknown) => {
        markStarted(); // a run refused before it started does not keep the test waiting
        return { error: error as TRPCClientError<never>, events };
      },
    );
  return { started, settled };
}

/** The server still saves and reads a graph (graph.create, then graph.get). */
export async function serverStillServes(server: RouteServer): Promise<void> {
  const created = await fetch(`${server.url}/graph.create`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: server.cookieFor('still-serves') },
    body: JSON.stringify({ doc: pipelineDoc('saved while a run crashed') }),
  });
  expect(created.status).toBe(200);
  const { id } = ((await created.json()) as { result: { data: { id: string } } }).result.data;
  const loaded = await fetch(`${server.url}/graph.get?input=${encodeURIComponent(JSON.stringify({ id }))}`);
  expect(loaded.status).toBe(200);
  expect(((await loaded.json()) as { result: { data: { doc: GraphDoc } } }).result.data.doc.title).toBe('pipeline');
}

/** Waits until no run holds a slot or an execution, then asserts every counter is 0. */
export async function slotsFree(): Promise<void> {
  const { getRunManager } = await import('@/server/run/run-manager');
  const t0 = Date.now();
  while (getRunManager().stats().activeRuns > 0 || getRunManager().stats().executions > 0) {
    if (Date.now() - t0 > 10_000) throw new Error(`runs still going: ${JSON.stringify(getRunManager().stats())}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  expect(getRunManager().stats()).toEqual({ activeRuns: 0, executions: 0, staged: 0 });
}

/** The TRPCClientError a call was refused with; throws when it was not refused that way. */
export async function rejection(promise: Promise<unknown>): Promise<TRPCClientError<never>> {
  const outcome = await promise.then(
    () => new Error('expected the call to be refused, but it succeeded'),
    (caught: unknown) => caught,
  );
  if (!(outcome instanceof TRPCClientError)) throw outcome instanceof Error ? outcome : new Error(String(outcome));
  return outcome as TRPCClientError<never>;
}

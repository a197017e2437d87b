/**
 * Server runs on the PostgreSQL job queue (server/run/queue/), end to end on a real PostgreSQL
 * (scripts/with-postgres.sh sets DATABASE_URL; this file refuses to run without it): the real
 * route handler as web instance A, a second run manager with its own queue connection as web
 * instance B, and real `npm run worker` processes, killed with SIGKILL where a test says so.
 * One file, one order: the kill tests come last and replace the workers they kill.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '@/nodes/engine/executor';
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import { createInProcessEngine } from '@/server/run/engine';
import type { RunManager } from '@/server/run/run-manager';
import { collect, faultDoc, pipelineDoc, rejection, serveRoute, slowDoc, subscribeRun, type RouteServer } from '../run-http-server';
import { startWorker, type WorkerProcess } from './workers';

type NodeEvent = Extract<RunEvent, { nodeId: string }>;
const views = (events: RunEvent[]) =>
  Object.fromEntries(events.flatMap((e) => (e.type === 'node:done' || e.type === 'node:cached' ? [[e.nodeId, e.view]] : [])));

async function until(events: RunEvent[], test: (e: RunEvent) => boolean, ms = 60_000): Promise<void> {
  const t0 = Date.now();
  while (!events.some(test)) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for an event; got ${events.map((e) => e.type).join(', ')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The first run a worker took after `before` (took() counts per worker) at `attempt`, polled. */
async function whoTook(workers: WorkerProcess[], before: number[], attempt: number, ms = 90_000): Promise<{ worker: WorkerProcess; jobId: string }> {
  const t0 = Date.now();
  for (;;) {
    for (const [i, worker] of workers.entries()) {
      const found = worker.took().slice(before[i]).find((t) => t.attempt === attempt);
      if (found) return { worker, jobId: found.jobId };
    }
    if (Date.now() - t0 > ms) throw new Error(`no worker took attempt ${attempt}:\n${workers.map((w) => w.lines.join('\n')).join('\n---\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Hold this process's main thread for `ms` (both web instances of this file live in it), from a
 * setImmediate callback, so every promise already settled has run and every timer already set
 * is due before any message arrives.
 */
function busyFor(ms: number): Promise<void> {
  return new Promise((resolve) =>
    setImmediate(() => {
      const end = Date.now() + ms;
      while (Date.now() < end);
      resolve();
    }),
  );
}

/** Drain a run manager's stream for one run (web instance B has no HTTP face). */
async function drain(stream: AsyncGenerator<unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const message of stream) out.push(message);
  return out;
}

describe('server runs as pg-boss jobs taken by `npm run worker` processes (real PostgreSQL)', () => {
  let server: RouteServer;
  let workers: WorkerProcess[] = [];

  beforeAll(async () => {
    expect(process.env.DATABASE_URL, 'run this file with scripts/with-postgres.sh').toMatch(/^postgres/);
    // The workers run without TOKENLOOM_SECRET (they sign no cookies); the web instance has one.
    workers = await Promise.all([startWorker({ TOKENLOOM_SECRET: '' }), startWorker({ TOKENLOOM_SECRET: '' })]);
    server = await serveRoute();
    expect(await server.runner('setup').serverInfo()).toMatchObject({ engine: 'processes', queue: true });
  });

  afterAll(async () => {
    await server?.close();
    await Promise.all(workers.map((w) => w.stop()));
  });

  it('shares 20 runs between two workers (both take some), with every view equal to an in-process run', async () => {
    const docs = Array.from({ length: 20 }, (_, i) => pipelineDoc(`Run ${i}: naïve café 🙂 ଓଡ଼ିଆ and\u0000a NUL, ${'word '.repeat(i * 50)}`));
    const before = workers.map((w) => w.took().length);
    const results = await Promise.all(docs.map((doc, i) => collect(server.runner(`student-${i}`), doc)));
    const taken = workers.map((w, i) => w.took().length - before[i]!);
    expect(taken.reduce((a, b) => a + b, 0)).toBe(20);
    expect(Math.min(...taken)).toBeGreaterThan(0);

    const local = createInProcessEngine({ cacheBytes: 64 * 1024 * 1024 });
    for (const [i, events] of results.entries()) {
      expect(events.at(-1)).toMatchObject({ type: 'run:done', cancelled: false });
      const reference: RunEvent[] = [];
      await local.run(docs[i]!, { signal: new AbortController().signal, onEvent: (e) => reference.push(e) });
      expect(views(events)).toEqual(views(reference));
      expect(Object.keys(views(events))).toEqual(['text', 'clean', 'pretokenize']);
    }
    await local.close();
  });

  it('reports the database, the queue and both workers on /api/health', async () => {
    const { GET } = await import('@/app/api/health/route');
    let body: { ok: boolean; database: unknown; runs: { mode: string; queued?: number; workers?: { concurrency: number }[] } } | undefined;
    const t0 = Date.now();
    // A worker's registry row lists its work() once its next heartbeat (every 10 s) has run.
    while (!body || (body.runs.workers ?? []).filter((w) => w.concurrency === 2).length < 2) {
      if (Date.now() - t0 > 30_000) throw new Error(`health never listed both workers: ${JSON.stringify(body)}`);
      if (body) await new Promise((r) => setTimeout(r, 500));
      const response = await GET();
      expect(response.status).toBe(200);
      body = (await response.json()) as typeof body;
    }
    expect(body).toMatchObject({ ok: true, database: { ok: true, driver: 'postgres' }, runs: { mode: 'queue', queued: 0 } });
    expect(JSON.stringify(body)).not.toContain('postgres://');
  });

  it('answers a lookup from the worker that holds the result, through any web instance', async () => {
    const runner = server.runner('pager');
    const text = Array.from({ length: 3000 }, (_, i) => `w${i}`).join(' ');
    const events = await collect(runner, pipelineDoc(text, 'whitespace'));
    const pre = events.find((e): e is Extract<RunEvent, { type: 'node:done' }> => e.type === 'node:done' && e.nodeId === 'pretokenize')!;
    const page = await runner.fetchValuePage({ key: pre.key, port: 'pretokens', offset: 2990, limit: 5000 });
    expect(page.kind === 'array' && page.items.map((p) => (p as { text: string }).text)).toEqual(Array.from({ length: 10 }, (_, i) => `w${2990 + i}`));
    const gone = await rejection(runner.fetchValuePage({ key: 'no-such-recipe', port: 'text' }));
    expect(gone.data).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('counts the per-client limit in the database: three runs on web instance A, the fourth refused on instance B', async () => {
    const { createRunManager } = await import('@/server/run/run-manager');
    const b: RunManager = createRunManager();
    const controller = new AbortController();
    const runner = server.runner('busy-student');
    const started: RunEvent[][] = [[], [], []];
    const runs = started.map((events, i) =>
      runner.runOnServer(slowDoc(`busy-${i}`, 1_000_000, 32), { onEvent: (e) => events.push(e), signal: controller.signal }).catch(() => undefined),
    );
    try {
      for (const events of started) await until(events, (e) => e.type === 'run:start');
      // Instance B knows this client only by the same signed id; it has no run of its own.
      const { identifyClient } = await import('@/server/api/client-identity');
      const { client } = identifyClient(new Headers({ cookie: server.cookieFor('busy-student') }));
      expect(client).toMatch(/^c:/);
      const fourth = await drain(b.start({ doc: pipelineDoc('one too many'), client, runId: 'x', signal: new AbortController().signal })).then(
        () => null,
        (error: unknown) => error as Error,
      );
      expect(fourth?.message).toBe('You already have 3 runs going on the server (the limit is 3); wait for one to finish or cancel it.');
      const other = await drain(b.start({ doc: pipelineDoc('someone else'), client: 'another-client', runId: 'y', signal: new AbortController().signal }));
      expect(other.at(-1)).toMatchObject({ type: 'run:done', cancelled: false });
    } finally {
      controller.abort();
      await Promise.all(runs);
      await b.close();
    }
  });

  it('stops a run on a worker when its user cancels it (run.cancel), and the worker takes the next run', async () => {
    const runner = server.runner('canceller');
    const events: RunEvent[] = [];
    const run = runner.runOnServer(slowDoc('cancel-on-a-worker', 1_000_000, 8), { onEvent: (e) => events.push(e), runId: 'run-7' });
    await until(events, (e) => e.type === 'node:done' && e.nodeId === 'clean-0');
    expect(await runner.cancelRun('run-7')).toBe(true);
    await run;
    expect(events.at(-1)).toMatchObject({ type: 'run:done', cancelled: true });
    expect(events.some((e) => (e as NodeEvent).nodeId === 'pre-7' && e.type === 'node:done')).toBe(false);
    const next = await collect(runner, pipelineDoc('after a cancel'));
    expect(next.at(-1)).toMatchObject({ type: 'run:done', cancelled: false });
  });

  it('cancels a run from another web instance than the one streaming it, only with its token, and hears a busy holder', async () => {
    const { createRunManager } = await import('@/server/run/run-manager');
    const b: RunManager = createRunManager();
    try {
      const { identifyClient } = await import('@/server/api/client-identity');
      const cookie = server.cookieFor('roaming-student');
      const { client } = identifyClient(new Headers({ cookie }));
      let token = '';
      let markWaiting!: () => void;
      const waiting = new Promise<void>((resolve) => (markWaiting = resolve));
      // Its Note waits for a cancel (TOKENLOOM_TEST_FAULT:wait): the run never ends by itself.
      const stream = subscribeRun(server.url, { cookie }, { doc: faultDoc('wait'), runId: 'run-far' }, (m) => {
        if (m.type === 'run:accepted') token = m.cancelToken;
        if (m.type === 'node:start' && m.nodeId === 'fault') markWaiting();
      });
      await waiting;
      expect(await b.cancel(client, 'run-far', 'not-the-token')).toBe(false);
      expect(await b.cancel('c:someone-else', 'run-far', token)).toBe(false);
      expect(await b.cancel(client, 'another-run', token)).toBe(false);
      // The holding instance's main thread is busy for 2 s while the ask is out (as under load,
      // relaying heavy runs): its answer comes late, and still counts.
      const cancelled = b.cancel(client, 'run-far', token);
      await busyFor(2000);
      expect(await cancelled).toBe(true);
      const messages = await stream;
      expect(messages.at(-1)).toMatchObject({ type: 'run:done', cancelled: true });
      expect(messages.some((m) => m.type === 'node:done' && m.nodeId === 'fault')).toBe(false);
      expect(await b.cancel(client, 'run-far', token)).toBe(false); // over: nobody holds it now
    } finally {
      await b.close();
    }
  });

  it('retries a run once on another worker when its worker is killed (kill -9), and says so on its nodes', async () => {
    const doc: GraphDoc = slowDoc('killed mid-run', 1_000_000, 8);
    const events: RunEvent[] = [];
    const before = workers.map((w) => w.took().length);
    const run = server.runner('unlucky').runOnServer(doc, { onEvent: (e) => events.push(e) });
    await until(events, (e) => e.type === 'node:start' && e.nodeId === 'clean-0');
    const { worker: victim, jobId } = await whoTook(workers, before, 1);
    const survivor = workers.find((w) => w !== victim)!;
    await victim.kill9();
    await survivor.waitFor(new RegExp(`took run ${jobId} \\(attempt 2\\)`), 60_000);
    await run;
    const restarted = events.filter((e) => e.type === 'node:progress' && e.message?.startsWith('Restarted on another worker'));
    expect(restarted.length).toBeGreaterThan(0);
    expect(events.at(-1)).toMatchObject({ type: 'run:done', cancelled: false });
    expect(Object.keys(views(events))).toHaveLength(17);
    workers = [survivor, await startWorker()];
  }, 180_000); // a lost worker is noticed after pg-boss's 10 s heartbeat, then the run starts again

  it('fails a run that kills two workers with a clear sentence, instead of retrying it forever', async () => {
    const events: RunEvent[] = [];
    const run = server.runner('cursed').runOnServer(slowDoc('kills workers', 1_000_000, 8), { onEvent: (e) => events.push(e) });
    const before = workers.map((w) => w.took().length);
    for (const attempt of [1, 2]) {
      const { worker } = await whoTook(workers, before, attempt);
      await worker.kill9();
    }
    const error = await rejection(run);
    expect(error.data).toMatchObject({ code: 'INTERNAL_SERVER_ERROR' });
    expect(error.message).toBe(
      'This run stopped two workers in turn (each ended while running it), so it was not tried again. Use a smaller text, or run it in the browser.',
    );
    workers = [];
  }, 180_000);
});

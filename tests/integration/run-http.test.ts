/**
 * Server runs over real HTTP: the route handler served on 127.0.0.1 (run-http-server.ts),
 * driven by the canvas's own transport (components/canvas/server-runner.ts) with the
 * `eventsource` package, one signed client cookie per simulated browser. The engine runs in
 * engine processes (child processes), as in production.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecipeCache } from '@/nodes/engine/cache';
import { execute, type RunEvent } from '@/nodes/engine/executor';
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import { registry } from '@/nodes/index';
import { pretokenize } from '@/nodes/pretokenize/pretokenize';
import { serverResources } from '@/server/run/engine';
import { getRunManager } from '@/server/run/run-manager';
import { collect, faultDoc, pipelineDoc, serveRoute, slowDoc, type RouteServer, rejection } from './run-http-server';

type NodeEvent = Extract<RunEvent, { nodeId: string }>;
type ResultEvent = Extract<RunEvent, { type: 'node:done' | 'node:cached' }>;

const results = (events: RunEvent[]) => events.filter((e): e is ResultEvent => e.type === 'node:done' || e.type === 'node:cached');
const resultOf = (events: RunEvent[], nodeId: string) => results(events).find((e) => e.nodeId === nodeId);

/** Resolves once `events` has an event matching `test` (polls: events arrive from the stream). */
async function until(events: RunEvent[], test: (e: RunEvent) => boolean, ms = 30_000): Promise<void> {
  const t0 = Date.now();
  while (!events.some(test)) {
    if (Date.now() - t0 > ms) throw new Error('timed out waiting for an event');
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function settled(): Promise<void> {
  const t0 = Date.now();
  while (getRunManager().stats().activeRuns > 0 || getRunManager().stats().executions > 0) {
    if (Date.now() - t0 > 20_000) throw new Error(`runs still going: ${JSON.stringify(getRunManager().stats())}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('running graphs on the server over HTTP', () => {
  let server: RouteServer;

  beforeAll(async () => {
    // The engine's test faults (server/run/engine-process.ts): one test needs runs that never end by themselves.
    process.env.TOKENLOOM_TEST_FAULTS = '1';
    server = await serveRoute();
    // Opens the database and starts the engine threads before the timing-sensitive tests.
    expect((await server.runner('setup').serverInfo()).engine).toBe('processes');
  });

  afterAll(async () => {
    await server?.close();
    delete process.env.TOKENLOOM_TEST_FAULTS;
  });

  it('streams a run’s events in order: run:start, each node start then done in topological order, run:done', async () => {
    const text = 'Streaming, in order. ଓଡ଼ିଆ 🙂';
    const events = await collect(server.runner('order'), pipelineDoc(text));
    expect(events.map((e) => `${e.type}${'nodeId' in e ? ` ${e.nodeId}` : ''}`)).toEqual([
      'run:start',
      'node:start text',
      'node:done text',
      'node:start clean',
      'node:done clean',
      'node:start pretokenize',
      'node:done pretokenize',
      'run:done',
    ]);
    expect(events[0]).toMatchObject({ type: 'run:start', order: ['text', 'clean', 'pretokenize'], issues: [] });
    expect(events.at(-1)).toMatchObject({ type: 'run:done', cancelled: false });
    expect(resultOf(events, 'pretokenize')?.view).toMatchObject({ mode: 'bytelevel', count: pretokenize(text, 'bytelevel').length });
  });

  it('gives every node the same view as the browser’s in-process engine', async () => {
    const doc: GraphDoc = {
      ...pipelineDoc('Héllo  wörld! I love NLP. ଓଡ଼ିଆ ଭାଷା 🙂👍🏽 \u0007tab\there', 'gpt2'),
      title: 'identical outputs',
    };
    doc.nodes.push(
      { id: 'gpt2', type: 'pretrained', params: { model: 'gpt2' }, position: { x: 600, y: 200 } },
      { id: 'note', type: 'note', params: { text: 'a note' }, position: { x: 0, y: 300 } },
    );
    doc.edges.push({ id: 'e3', source: 'clean', sourcePort: 'text', target: 'gpt2', targetPort: 'text' });

    const browserViews = new Map<string, unknown>();
    await execute(doc, {
      registry,
      cache: createRecipeCache(),
      where: 'browser',
      resources: serverResources(),
      onEvent: (e) => {
        if (e.type === 'node:done' || e.type === 'node:cached') browserViews.set(e.nodeId, e.view);
        if (e.type === 'node:error') browserViews.set(e.nodeId, e.message);
      },
    });
    const events = await collect(server.runner('identical'), doc);
    const serverViews = new Map(results(events).map((e) => [e.nodeId, e.view]));

    expect(events.filter((e) => e.type === 'node:error')).toEqual([]);
    expect([...serverViews.keys()].sort()).toEqual(['clean', 'gpt2', 'note', 'pretokenize', 'text']);
    for (const [nodeId, view] of browserViews) {
      // Over the wire views are JSON; compare against the same JSON of the in-process view.
      expect(serverViews.get(nodeId), nodeId).toStrictEqual(JSON.parse(JSON.stringify(view)));
    }
    expect(resultOf(events, 'gpt2')?.view).toMatchObject({ label: expect.stringMatching(/GPT-2/i) });
  });

  it('shares the recipe cache between clients: a second client’s run of the same graph is all cache hits', async () => {
    const doc = pipelineDoc('Thirty students run the same template.');
    const first = await collect(server.runner('student-1'), doc);
    const second = await collect(server.runner('student-2'), doc);
    expect(results(first).map((e) => e.type)).toEqual(['node:done', 'node:done', 'node:done']);
    expect(results(second).map((e) => e.type)).toEqual(['node:cached', 'node:cached', 'node:cached']);
    expect(results(second).map((e) => e.key)).toEqual(results(first).map((e) => e.key));
  });

  it('computes a graph once when a second client starts it while the first client’s run is going', async () => {
    const doc = slowDoc('dedupe', 1_000_000, 2);
    // Client B asks once A's run has demonstrably started on the server (its first node:start),
    // rather than "at the same moment", which a busy machine does not guarantee.
    const a: RunEvent[] = [];
    let aStarted: () => void = () => undefined;
    const aIsRunning = new Promise<void>((resolve) => (aStarted = resolve));
    const runA = server.runner('twin-a').runOnServer(doc, {
      onEvent: (e) => {
        a.push(e);
        if (e.type === 'node:start') aStarted();
      },
    });
    await aIsRunning;
    const b = await collect(server.runner('twin-b'), doc);
    await runA;
    // Had B started an execution of its own after A's, it would have found every node cached.
    // Both watched one execution: identical events, computed (node:done) rather than cached,
    // down to each node's measured time.
    expect(results(a).every((e) => e.type === 'node:done')).toBe(true);
    expect(b).toEqual(a);
  });

  it('cancels the run on the server when the client aborts mid-run', async () => {
    const doc = slowDoc('abort-me', 1_000_000, 8);
    const controller = new AbortController();
    const events: RunEvent[] = [];
    const run = server.runner('aborter').runOnServer(doc, { onEvent: (e) => events.push(e), signal: controller.signal });
    await until(events, (e) => e.type === 'node:done' && e.nodeId === 'pre-0');
    controller.abort();
    await run; // an aborted run resolves: a stale run is not an error
    await settled();
    expect(events.some((e) => e.type === 'run:done')).toBe(false);

    // Nodes after the abort were never computed: running the graph again computes them now.
    const again = await collect(server.runner('aborter'), doc);
    expect(resultOf(again, 'pre-0')?.type).toBe('node:cached');
    expect(resultOf(again, 'pre-7')?.type).toBe('node:done');
  });

  it('stops a run by its id with run.cancel, which then ends with run:done cancelled', async () => {
    const runner = server.runner('canceller');
    const events: RunEvent[] = [];
    const run = runner.runOnServer(slowDoc('cancel-by-id', 1_000_000, 8), { onEvent: (e) => events.push(e), runId: 'run-42' });
    await until(events, (e) => e.type === 'node:done' && e.nodeId === 'pre-0');
    expect(await runner.cancelRun('run-42')).toBe(true);
    await run;
    expect(events.at(-1)).toMatchObject({ type: 'run:done', cancelled: true });
    expect(events.some((e) => (e as NodeEvent).nodeId === 'pre-7')).toBe(false);
    expect(await runner.cancelRun('run-42')).toBe(false);
  });

  it('refuses a client’s fourth concurrent run with TOO_MANY_REQUESTS while others still run', async () => {
    const busy = server.runner('busy-student');
    const controller = new AbortController();
    const started: RunEvent[][] = [[], [], []];
    const runs = started.map((events, i) =>
      // Runs that never end by themselves (the engine's `wait` test fault): however fast or slow
      // the machine, and however late a spare engine process starts the third, none frees its
      // slot before the fourth asks.
      busy.runOnServer(faultDoc('wait', 'fault', `busy ${i}`), { onEvent: (e) => events.push(e), signal: controller.signal }),
    );
    try {
      for (const events of started) await until(events, (e) => e.type === 'node:start' && e.nodeId === 'fault');
      const fourth = await rejection(collect(busy, pipelineDoc('one too many')));
      // The refusal came while all three still ran (a run that had ended would have freed its slot).
      expect(started.map((events) => events.some((e) => e.type === 'run:done'))).toEqual([false, false, false]);
      expect(fourth.data).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
      expect(fourth.message).toBe('You already have 3 runs going on the server (the limit is 3); wait for one to finish or cancel it.');
      // Another client is not affected.
      const other = await collect(server.runner('other-student'), pipelineDoc('my own run'));
      expect(other.at(-1)).toMatchObject({ type: 'run:done', cancelled: false });
    } finally {
      controller.abort();
      await Promise.all(runs);
    }
    await settled();
    expect((await collect(busy, pipelineDoc('a slot is free again'))).at(-1)).toMatchObject({ type: 'run:done' });
  });

  it('pages a large output held on the server by its recipe key', async () => {
    const text = Array.from({ length: 20_000 }, (_, i) => `word${i}`).join(' ');
    const runner = server.runner('pager');
    const events = await collect(runner, pipelineDoc(text, 'whitespace'));
    const pre = resultOf(events, 'pretokenize')!;
    const clean = resultOf(events, 'clean')!;
    expect(pre.view).toMatchObject({ count: 20_000 });
    expect((pre.view as { pieces: unknown[] }).pieces.length).toBeLessThan(20_000);

    const page = await runner.fetchValuePage({ key: pre.key, port: 'pretokens', offset: 19_990, limit: 50 });
    expect(page).toMatchObject({ kind: 'array', field: 'pieces', total: 20_000, offset: 19_990 });
    expect(page.kind === 'array' && page.items.map((p) => (p as { text: string }).text)).toEqual(
      Array.from({ length: 10 }, (_, i) => `word${19_990 + i}`),
    );
    expect(await runner.fetchValuePage({ key: clean.key, port: 'text', offset: 6, limit: 11 })).toEqual({
      kind: 'string',
      total: text.length,
      offset: 6,
      text: text.slice(6, 17),
    });

    const wrongPort = await rejection(runner.fetchValuePage({ key: pre.key, port: 'ids' }));
    expect(wrongPort.message).toBe("This node has no output 'ids' (its outputs: pretokens).");
    const unknown = await rejection(runner.fetchValuePage({ key: 'no-such-recipe', port: 'text' }));
    expect(unknown.data).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('answers an inspector’s question about a result held on the server (a vocabulary search)', async () => {
    const runner = server.runner('asker');
    const doc: GraphDoc = {
      schemaVersion: 1,
      title: 'vocab',
      nodes: [
        { id: 'text', type: 'text', params: { text: 'I love NLP' }, position: { x: 0, y: 0 } },
        { id: 'gpt2', type: 'pretrained', params: { model: 'gpt2' }, position: { x: 0, y: 0 } },
        { id: 'ids', type: 'ids', params: {}, position: { x: 0, y: 0 } },
      ],
      edges: [
        { id: 'a', source: 'text', sourcePort: 'text', target: 'gpt2', targetPort: 'text' },
        { id: 'b', source: 'gpt2', sourcePort: 'tokens', target: 'ids', targetPort: 'tokens' },
        { id: 'c', source: 'gpt2', sourcePort: 'tokenizer', target: 'ids', targetPort: 'tokenizer' },
      ],
    };
    const ids = resultOf(await collect(runner, doc), 'ids')!;
    const page = (await runner.queryNode('ids', ids.key, { query: '1842', page: 0 })) as { total: number; rows: { id: number; token: string }[] };
    expect(page).toEqual({ total: 1, page: 0, rows: [{ id: 1842, token: 'Ġlove' }] });
    const wrong = await rejection(runner.queryNode('text', ids.key, {}));
    expect(wrong.message).toBe('Text answers no questions.');
    const gone = await rejection(runner.queryNode('ids', 'no-such-recipe', {}));
    expect(gone.data).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('sends a large graph through run.stage and runs it like an inline one', async () => {
    const doc = pipelineDoc('staged '.repeat(5000));
    expect(encodeURIComponent(JSON.stringify({ doc })).length).toBeGreaterThan(8000);
    const events = await collect(server.runner('stager'), doc);
    expect(resultOf(events, 'text')?.view).toMatchObject({ codeUnits: 35_000 });
    expect(getRunManager().stats().staged).toBe(0);
  });
});

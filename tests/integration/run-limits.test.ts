/**
 * The server-run limits over real HTTP, with the limits lowered through the environment the
 * way an operator would set them: wall time 0.2 s, 1 MB of text per graph. Must be set before
 * the route (and so the run manager) loads; Vitest gives each test file its own modules.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '@/nodes/engine/executor';
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import { getRunManager } from '@/server/run/run-manager';
import { collect, pipelineDoc, serveRoute, slowDoc, type RouteServer, rejection } from './run-http-server';

describe('server run limits (TOKENLOOM_RUN_MAX_SECONDS=0.2, TOKENLOOM_RUN_MAX_INPUT_MB=1)', () => {
  let server: RouteServer;

  beforeAll(async () => {
    process.env.TOKENLOOM_RUN_MAX_SECONDS = '0.2';
    process.env.TOKENLOOM_RUN_MAX_INPUT_MB = '1';
    // A stopped run that yields ends itself; on a starved machine that can take seconds, so the
    // kill (tested in run-hang and run-isolation) waits long enough not to pre-empt it.
    process.env.TOKENLOOM_RUN_STOP_GRACE_SECONDS = '60';
    server = await serveRoute();
    expect(await server.runner('setup').serverInfo()).toMatchObject({ engine: 'processes', maxRunTime: '0.2 s', maxInput: '1 MB' });
  });

  afterAll(async () => {
    await server?.close();
    delete process.env.TOKENLOOM_RUN_MAX_SECONDS;
    delete process.env.TOKENLOOM_RUN_MAX_INPUT_MB;
    delete process.env.TOKENLOOM_RUN_STOP_GRACE_SECONDS;
  });

  it('stops a run at the wall-time limit with a clear error, and the engine keeps serving (cache intact)', async () => {
    const runner = server.runner('limits');
    const small = pipelineDoc('A small graph, well within the limit.');
    const before = await collect(runner, small);
    expect(before.at(-1)).toMatchObject({ type: 'run:done', cancelled: false });

    const events: RunEvent[] = [];
    const error = await rejection(runner.runOnServer(slowDoc('too slow', 600_000, 8), { onEvent: (e) => events.push(e) }));
    expect(error.data).toMatchObject({ code: 'TIMEOUT' });
    expect(error.message).toBe("This run was stopped after 0.2 s, the server's limit for one run. Use a smaller text, or run it in the browser.");
    expect(events.at(-1)).toMatchObject({ type: 'run:done', cancelled: true });
    expect(events.filter((e) => e.type === 'node:done').length).toBeLessThan(17);

    // Not a hard stop: the thread (and its cache) survived.
    const after = await collect(runner, small);
    expect(after.filter((e) => e.type === 'node:cached').length).toBe(3);
  });

  it('refuses a graph with more text than the input limit, naming both sizes', async () => {
    const doc = pipelineDoc('x'.repeat(700_000));
    doc.nodes.push({ id: 'text-2', type: 'text', params: { text: 'y'.repeat(700_000) }, position: { x: 0, y: 200 } });
    const error = await rejection(collect(server.runner('limits'), doc));
    expect(error.data).toMatchObject({ code: 'BAD_REQUEST' });
    expect(error.message).toBe('This graph holds 1.4 MB of text in its nodes; the server runs at most 1 MB per graph.');
  });

  it('refuses a request body far over the limit with 413 before reading it', async () => {
    const doc = pipelineDoc('z'.repeat(1_500_000));
    doc.nodes.push({ id: 'text-2', type: 'text', params: { text: 'w'.repeat(1_600_000) }, position: { x: 0, y: 200 } });
    const error = await rejection(collect(server.runner('limits'), doc));
    expect(error.data).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', httpStatus: 413 });
    expect(error.message).toMatch(/^This request is 3\.\d MB; the limit is 3 MB \(a graph run on the server may hold at most 1 MB of text\)\.$/);
  });

  it('refuses a graph over GRAPH_LIMITS with the validator’s message', async () => {
    const doc: GraphDoc = {
      schemaVersion: 1,
      title: 'too many nodes',
      nodes: Array.from({ length: 301 }, (_, i) => ({ id: `n${i}`, type: 'note', params: {}, position: { x: i, y: 0 } })),
      edges: [],
    };
    const error = await rejection(collect(server.runner('limits'), doc));
    expect(error.data).toMatchObject({ code: 'BAD_REQUEST' });
    expect(error.message).toMatch(/^This graph has 301 nodes; Tokenloom opens graphs of up to 300\.$/);
  });

  it('gives every slot back when a run fails before it starts (params nested 4,500 deep), so the client and others still run', async () => {
    // Built as text: JSON.stringify itself overflows on such a value, so no client library can send it.
    const deepJson = JSON.stringify({ doc: pipelineDoc('deep') }).replace(
      '"params":{}',
      `"params":{"nested":${'['.repeat(4500)}${']'.repeat(4500)}}`,
    );
    const runner = server.runner('deep-client');
    for (let i = 0; i < 70; i++) {
      const staged = await fetch(`${server.url}/run.stage`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: server.cookieFor('deep-client') },
        body: deepJson,
      });
      expect(staged.status).toBe(200);
      const { stagedId } = ((await staged.json()) as { result: { data: { stagedId: string } } }).result.data;
      const error = await rejection(server.startStaged('deep-client', stagedId));
      expect(error.data).toMatchObject({ code: 'BAD_REQUEST' });
      expect(error.message).toBe('This graph’s node settings are nested too deeply to run; remove the nested values.');
    }
    expect(getRunManager().stats()).toMatchObject({ activeRuns: 0, executions: 0 });
    expect((await collect(runner, pipelineDoc('after the deep ones'))).at(-1)).toMatchObject({ type: 'run:done', cancelled: false });
    expect((await collect(server.runner('someone-else'), pipelineDoc('another client'))).at(-1)).toMatchObject({ type: 'run:done', cancelled: false });
    expect(getRunManager().stats()).toMatchObject({ activeRuns: 0, executions: 0 });
  });

  it('refuses a malformed graph naming the node and field', async () => {
    const doc = pipelineDoc('fine');
    (doc.nodes[1] as { position: unknown }).position = { x: 'left', y: 0 };
    const error = await rejection(collect(server.runner('limits'), doc));
    expect(error.message).toBe("The graph is malformed: node 'clean' (clean): position.x must be a number.");
  });
});

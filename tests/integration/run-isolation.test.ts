/**
 * Engine processes contain what no thread can: a run that exhausts its heap, hits a V8 fatal
 * error ("invalid size") or loops forever ends only its own run, with a sentence saying why;
 * the pool replaces the process, other clients' runs complete, the server keeps serving and
 * every slot is free afterwards. The faults come from the engine's test hook
 * (TOKENLOOM_TEST_FAULTS=1: a Note whose text is TOKENLOOM_TEST_FAULT:<fault>; see
 * server/run/engine-process.ts), which runs the same expressions a hostile Clean input does,
 * so these tests do not depend on Clean's regex engine. Limits: 8 s per run (the out-of-memory needs a few seconds on a busy machine), 2 warm
 * processes, 4 at most, 512 MB of heap each.
 */
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '@/nodes/engine/executor';
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import { getRunManager } from '@/server/run/run-manager';
import { collect, pipelineDoc, serveRoute, type RouteServer } from './run-http-server';

function faultDoc(fault: 'oom' | 'invalid-size' | 'hang' | 'abort', id = 'fault'): GraphDoc {
  const doc = pipelineDoc(`text beside the ${fault}`);
  doc.nodes.push({ id, type: 'note', params: { text: `TOKENLOOM_TEST_FAULT:${fault}` }, position: { x: 0, y: 300 } });
  return doc;
}

/** Start a run; `started` resolves when its node `nodeId` has started, `settled` with the outcome. */
function startRun(server: RouteServer, client: string, doc: GraphDoc, nodeId: string) {
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

async function serverStillServes(server: RouteServer): Promise<void> {
  const created = await fetch(`${server.url}/graph.create`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ doc: pipelineDoc('saved while a run crashed') }),
  });
  expect(created.status).toBe(200);
  const { id } = ((await created.json()) as { result: { data: { id: string } } }).result.data;
  const loaded = await fetch(`${server.url}/graph.get?input=${encodeURIComponent(JSON.stringify({ id }))}`);
  expect(loaded.status).toBe(200);
  expect(((await loaded.json()) as { result: { data: { doc: GraphDoc } } }).result.data.doc.title).toBe('pipeline');
}

async function slotsFree(): Promise<void> {
  const t0 = Date.now();
  while (getRunManager().stats().activeRuns > 0 || getRunManager().stats().executions > 0) {
    if (Date.now() - t0 > 10_000) throw new Error(`runs still going: ${JSON.stringify(getRunManager().stats())}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  expect(getRunManager().stats()).toEqual({ activeRuns: 0, executions: 0, staged: 0 });
}

describe('engine processes isolate hostile runs (TOKENLOOM_RUN_MAX_SECONDS=8, 2–4 processes, 512 MB)', () => {
  let server: RouteServer;

  beforeAll(async () => {
    process.env.TOKENLOOM_TEST_FAULTS = '1';
    process.env.TOKENLOOM_RUN_MAX_SECONDS = '8';
    process.env.TOKENLOOM_RUN_PROCESSES = '2';
    process.env.TOKENLOOM_RUN_MAX_PROCESSES = '4';
    process.env.TOKENLOOM_RUN_MEMORY_MB = '512';
    server = await serveRoute();
    expect(await server.runner('setup').serverInfo()).toMatchObject({ engine: 'processes', processes: 2, maxProcesses: 4, maxMemory: '512 MB' });
  });

  afterAll(async () => {
    await server?.close();
    for (const name of ['TOKENLOOM_TEST_FAULTS', 'TOKENLOOM_RUN_MAX_SECONDS', 'TOKENLOOM_RUN_PROCESSES', 'TOKENLOOM_RUN_MAX_PROCESSES', 'TOKENLOOM_RUN_MEMORY_MB']) {
      delete process.env[name];
    }
  });

  it('ends only the run that exhausts its memory, with a sentence naming the limit; another client’s run and the server go on', async () => {
    const hostile = startRun(server, 'hog', faultDoc('oom'), 'fault');
    await hostile.started;
    const other = await collect(server.runner('bystander'), pipelineDoc('my run, during the out-of-memory'));
    expect(other.at(-1)).toMatchObject({ type: 'run:done', cancelled: false });
    await serverStillServes(server);

    const { error, events } = await hostile.settled;
    expect(error).toBeInstanceOf(TRPCClientError);
    expect(error?.data).toMatchObject({ code: 'UNPROCESSABLE_CONTENT' });
    expect(error?.message).toBe(
      "This run used more than 512 MB of memory, the server's limit for one run, so it was stopped. Use a smaller text, or run it in the browser.",
    );
    expect(events.at(-1)).toMatchObject({ type: 'run:done', cancelled: true });
    await slotsFree();
  });

  it('ends only the run that hits V8’s fatal "invalid size" error (as Clean’s "$&"×250 on a million characters raises it), and the pool replaces its process', async () => {
    const hostile = startRun(server, 'multiplier', faultDoc('invalid-size'), 'fault');
    await hostile.started;
    const { error } = await hostile.settled;
    expect(error?.data).toMatchObject({ code: 'UNPROCESSABLE_CONTENT' });
    expect(error?.message).toBe(
      'This run tried to build a value larger than the engine can hold (a text or list past its size limit), so it was stopped. Use a smaller text or a shorter replacement.',
    );
    await slotsFree();
    expect((await server.runner('setup').serverInfo()).processes).toBeGreaterThanOrEqual(2);
    const after = await collect(server.runner('multiplier'), pipelineDoc('the same client, next run'));
    expect(after.at(-1)).toMatchObject({ type: 'run:done', cancelled: false });
    await serverStillServes(server);
  });

  it('kills a run stuck in a catastrophic regex at its own deadline, while other clients’ runs start at once and finish within their own budget', async () => {
    // Two hung runs hold both warm processes; a third client's run gets a spare process.
    const first = startRun(server, 'regex-a', faultDoc('hang', 'hang-a'), 'hang-a');
    const second = startRun(server, 'regex-b', faultDoc('hang', 'hang-b'), 'hang-b');
    await Promise.all([first.started, second.started]);
    let hungSettled = false;
    void Promise.race([first.settled, second.settled]).then(() => (hungSettled = true));
    const other = await collect(server.runner('patient'), pipelineDoc('a small run behind two hung ones'));
    expect(other.at(-1)).toMatchObject({ type: 'run:done', cancelled: false });
    expect(hungSettled).toBe(false); // it did not wait for the hung runs to be killed
    await serverStillServes(server);

    for (const hung of [first, second]) {
      const { error, events } = await hung.settled;
      expect(error?.data).toMatchObject({ code: 'TIMEOUT' });
      expect(error?.message).toMatch(
        /^This run ran past (8|9|10)(\.\d+)? s and did not stop when asked, so its engine process was ended\. Use a smaller text or a simpler pattern, or run it in the browser\.$/,
      );
      expect(events.at(-1)).toMatchObject({ type: 'run:done', cancelled: true });
    }
    await slotsFree();
  });

  it('ends only the run whose process aborts, with a sentence rather than a stack trace', async () => {
    const hostile = startRun(server, 'aborter', faultDoc('abort'), 'fault');
    const other = startRun(server, 'neighbour', pipelineDoc('my run, next to an abort'), 'pretokenize');
    const [{ error }, { error: otherError, events }] = await Promise.all([hostile.settled, other.settled]);
    expect(error?.data).toMatchObject({ code: 'INTERNAL_SERVER_ERROR' });
    expect(error?.message).toBe("The server's engine process stopped while running this graph (SIGABRT); run it again.");
    expect(otherError).toBeUndefined();
    expect(events.at(-1)).toMatchObject({ type: 'run:done', cancelled: false });
    await slotsFree();
  });
});

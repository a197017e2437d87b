/**
 * Runs that hang (the catastrophic regex `(a+)+$` on "a"×40+"b", from the engine's test hook:
 * TOKENLOOM_TEST_FAULTS=1, see server/run/engine-process.ts) are killed with their engine
 * process at their own deadline, and never make another client's run wait or fail:
 * - over HTTP (8 s per run, so a spare process has time to load on a busy machine; 2 warm
 *   processes, 4 at most): two hung runs hold both warm processes; a third client's run gets
 *   a spare and finishes before they are killed;
 * - through the run manager with a single engine process (1.5 s per run): the small run that
 *   waited behind a hung one gets its own full time once that one's process is killed;
 * - the same when the replacement process takes 5 s to load (the test hook
 *   TOKENLOOM_TEST_SLOW_START_MS, as on a starved machine): the waiting run is not refused as
 *   "never started" while the process set aside for it loads.
 */
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '@/nodes/engine/executor';
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import { readRunLimits } from '@/server/run/limits';
import { createRunManager, type RunManager } from '@/server/run/run-manager';
import { collect, faultDoc, pipelineDoc, serveRoute, serverStillServes, slotsFree, startRun, type RouteServer } from './run-http-server';

describe('hung runs over HTTP (TOKENLOOM_RUN_MAX_SECONDS=8, 2–4 processes)', () => {
  let server: RouteServer;

  beforeAll(async () => {
    process.env.TOKENLOOM_TEST_FAULTS = '1';
    process.env.TOKENLOOM_RUN_MAX_SECONDS = '8';
    process.env.TOKENLOOM_RUN_PROCESSES = '2';
    process.env.TOKENLOOM_RUN_MAX_PROCESSES = '4';
    // The hung runs are killed 8 s + 20 s after they start: room for the small run beside them to
    // start a spare process and finish first even on a starved machine.
    process.env.TOKENLOOM_RUN_STOP_GRACE_SECONDS = '20';
    server = await serveRoute();
    expect(await server.runner('setup').serverInfo()).toMatchObject({ engine: 'processes', processes: 2, maxProcesses: 4 });
  });

  afterAll(async () => {
    await server?.close();
    for (const name of ['TOKENLOOM_RUN_MAX_SECONDS', 'TOKENLOOM_RUN_PROCESSES', 'TOKENLOOM_RUN_MAX_PROCESSES', 'TOKENLOOM_RUN_STOP_GRACE_SECONDS']) delete process.env[name];
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
      expect(error?.message).toBe(
        "This run ran past 8 s, the server's limit for one run, and did not stop when asked, so its engine process was ended. Use a smaller text or a simpler pattern, or run it in the browser.",
      );
      expect(events.at(-1)).toMatchObject({ type: 'run:done', cancelled: true });
    }
    await slotsFree();
  });

});

function drain(manager: RunManager, client: string, doc: GraphDoc, onEvent: (event: RunEvent) => void = () => undefined) {
  const events: RunEvent[] = [];
  return (async () => {
    try {
      for await (const event of manager.start({ doc, client, runId: `${client}-run`, signal: new AbortController().signal })) {
        if (event.type === 'run:accepted') continue;
        events.push(event);
        onEvent(event);
      }
      return { events, error: undefined };
    } catch (error) {
      return { events, error: error as TRPCError };
    }
  })();
}

/** A run whose hung regex has started (its node:start came); `ended` is its drain (wrapped, so awaiting this does not wait for it). */
async function startHungRun(manager: RunManager, text: string) {
  const hungDoc = pipelineDoc(text);
  hungDoc.nodes.push({ id: 'hang', type: 'note', params: { text: 'TOKENLOOM_TEST_FAULT:hang' }, position: { x: 0, y: 300 } });
  let markHung!: () => void;
  const hangStarted = new Promise<void>((resolve) => (markHung = resolve));
  const hung = drain(manager, 'regex-user', hungDoc, (event) => {
    if (event.type === 'node:start' && event.nodeId === 'hang') markHung();
  });
  await hangStarted;
  return { ended: hung };
}

describe('a run queued behind a hung one (one engine process, 1.5 s per run)', () => {
  let manager: RunManager;

  beforeAll(async () => {
    process.env.TOKENLOOM_TEST_FAULTS = '1';
    manager = createRunManager({ limits: { ...readRunLimits({}), processes: 1, maxProcesses: 1, maxRunMs: 1500 } });
    expect(await manager.info()).toMatchObject({ engine: 'processes', processes: 1, maxProcesses: 1 });
  });

  afterAll(async () => {
    await manager?.close();
    delete process.env.TOKENLOOM_TEST_FAULTS;
  });

  it('gives the waiting run its own full time once the hung run’s process is killed at its deadline', async () => {
    const hung = await startHungRun(manager, 'hung');

    const queuedAt = Date.now();
    const small = await drain(manager, 'other-user', pipelineDoc('a small run that had to wait'));
    expect(small.error).toBeUndefined();
    expect(small.events.at(-1)).toMatchObject({ type: 'run:done', cancelled: false });
    expect(Date.now() - queuedAt).toBeGreaterThan(1500); // it did wait past the limit, and was not stopped for it

    const { error } = await hung.ended;
    expect(error).toBeInstanceOf(TRPCError);
    expect(error?.code).toBe('TIMEOUT');
    expect(error?.message).toBe(
      "This run ran past 1.5 s, the server's limit for one run, and did not stop when asked, so its engine process was ended. Use a smaller text or a simpler pattern, or run it in the browser.",
    );
    expect(manager.stats()).toEqual({ activeRuns: 0, executions: 0, staged: 0 });
  });
});

describe('a run queued behind a hung one, when its replacement process is slow to load', () => {
  let manager: RunManager;
  // The hung run is killed 1.5 s + 8 s after it starts; the wait for a process is bounded by
  // 1.5 s + 8 s + 5 s. A replacement that loads in 5 s (and however long this machine adds) is
  // ready past that bound, counted from the queueing: the run must wait for the load instead.
  const limits = { ...readRunLimits({}), processes: 1, maxProcesses: 1, maxRunMs: 1500, stopGraceMs: 8000 };

  beforeAll(async () => {
    process.env.TOKENLOOM_TEST_FAULTS = '1';
    process.env.TOKENLOOM_TEST_SLOW_START_MS = '5000';
    manager = createRunManager({ limits });
    await manager.info();
  });

  afterAll(async () => {
    await manager?.close();
    delete process.env.TOKENLOOM_TEST_FAULTS;
    delete process.env.TOKENLOOM_TEST_SLOW_START_MS;
  });

  it('runs the waiting run once the slow replacement has loaded, instead of refusing it', async () => {
    const hung = await startHungRun(manager, 'hung, slow machine');

    const queuedAt = Date.now();
    const small = await drain(manager, 'other-user', pipelineDoc('waited for a process that loads slowly'));
    expect(small.error).toBeUndefined();
    expect(small.events.at(-1)).toMatchObject({ type: 'run:done', cancelled: false });
    // It waited past the bound counted from its queueing (1.5 + 8 + 5 s) and still ran.
    expect(Date.now() - queuedAt).toBeGreaterThan(limits.maxRunMs + limits.stopGraceMs + 5000 - 500);
    expect((await hung.ended).error?.code).toBe('TIMEOUT');
  }, 90_000);
});

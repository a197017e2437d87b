/**
 * A run queued behind a hung one is not blamed for it: with a single engine process
 * (TOKENLOOM_RUN_MAX_PROCESSES=1) and a 1.5 s limit, a run stuck in a catastrophic regex is
 * killed at its own deadline, and the small run that waited for its process then gets its own
 * full budget and completes. Driven through the run manager directly (no HTTP); the hang
 * comes from the engine's test hook (TOKENLOOM_TEST_FAULTS=1, see server/run/engine-process.ts).
 */
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '@/nodes/engine/executor';
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import { readRunLimits } from '@/server/run/limits';
import { createRunManager, type RunManager } from '@/server/run/run-manager';
import { pipelineDoc } from './run-http-server';

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
    const hungDoc = pipelineDoc('hung');
    hungDoc.nodes.push({ id: 'hang', type: 'note', params: { text: 'TOKENLOOM_TEST_FAULT:hang' }, position: { x: 0, y: 300 } });
    let markHung!: () => void;
    const hangStarted = new Promise<void>((resolve) => (markHung = resolve));
    const hung = drain(manager, 'regex-user', hungDoc, (event) => {
      if (event.type === 'node:start' && event.nodeId === 'hang') markHung();
    });
    await hangStarted;

    const queuedAt = Date.now();
    const small = await drain(manager, 'other-user', pipelineDoc('a small run that had to wait'));
    expect(small.error).toBeUndefined();
    expect(small.events.at(-1)).toMatchObject({ type: 'run:done', cancelled: false });
    expect(Date.now() - queuedAt).toBeGreaterThan(1500); // it did wait past the limit, and was not stopped for it

    const { error } = await hung;
    expect(error).toBeInstanceOf(TRPCError);
    expect(error?.code).toBe('TIMEOUT');
    expect(error?.message).toMatch(/^This run ran past \d+(\.\d+)? s and did not stop when asked, so its engine process was ended\./);
    expect(manager.stats()).toEqual({ activeRuns: 0, executions: 0, staged: 0 });
  });
});

/**
 * The run router's stream sends the events that wait together as one `run:events` message
 * (run-manager.ts, RunEventBatch), in the order the engine gave them; a caller that does not
 * ask for batches gets one event per message. A real run manager on the in-process engine.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '@/nodes/engine/executor';
import { createInProcessEngine } from '@/server/run/engine';
import { readRunLimits } from '@/server/run/limits';
import { createRunManager, type RunAccepted, type RunEventBatch } from '@/server/run/run-manager';
import { pipelineDoc } from './run-http-server';

const manager = createRunManager({ limits: readRunLimits({}), engine: createInProcessEngine({ cacheBytes: 16 * 1024 * 1024 }) });
afterAll(() => manager.close());

async function messages(batch: boolean, runId: string): Promise<(RunAccepted | RunEvent | RunEventBatch)[]> {
  const out: (RunAccepted | RunEvent | RunEventBatch)[] = [];
  const options = { doc: pipelineDoc('the same text twice: naïve café 🙂'), client: 'batch-test', runId, signal: new AbortController().signal };
  for await (const message of batch ? manager.start({ ...options, batch: true }) : manager.start(options)) out.push(message);
  return out;
}

const flat = (list: (RunAccepted | RunEvent | RunEventBatch)[]) =>
  list.flatMap((m) => (m.type === 'run:events' ? m.events : m.type === 'run:accepted' ? [] : [m])).map((e) => ('nodeId' in e ? `${e.type}:${e.nodeId}` : e.type));

describe('run stream batches', () => {
  it('sends a cached run’s burst of events as batches, in the same order as one event per message', async () => {
    await messages(false, 'warm'); // computes and caches every node
    const single = await messages(false, 'single');
    const batched = await messages(true, 'batched');
    expect(single.some((m) => m.type === 'run:events')).toBe(false);
    expect(flat(batched)).toEqual(flat(single));
    expect(flat(batched)).toEqual(['run:start', 'node:cached:text', 'node:cached:clean', 'node:cached:pretokenize', 'run:done']);
    expect(batched.length).toBeLessThan(single.length);
    for (const m of batched) if (m.type === 'run:events') expect(m.events.length).toBeGreaterThan(1);
  });
});

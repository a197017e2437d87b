import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineNode } from '@/nodes/engine/define-node';
import { ALIVE_EVERY_MS, createRunHost, type HostMessage } from '@/nodes/engine/worker-host';
import { graph, nodeResources, testRegistry } from './fixtures';

/** Called as the blocking node begins, before it holds the thread. */
let onBlockStart: () => void = () => undefined;

/** A node that holds the thread without yielding, as a runaway computation would. Test-only. */
const blockingNode = defineNode({
  type: 'blocking',
  version: 1,
  title: 'Blocking',
  question: 'test',
  summary: 'test',
  category: 'text',
  inputs: { text: { kind: 'text', label: 'text' } },
  outputs: { text: { kind: 'text', label: 'text' } },
  params: z.object({ ms: z.number().default(30) }),
  run: ({ text }, { ms }) => {
    onBlockStart();
    const until = Date.now() + ms;
    while (Date.now() < until) {
      // hold the thread
    }
    return { text };
  },
  view: () => null,
});

const registry = { ...testRegistry, blocking: blockingNode };

describe('the signals the canvas watchdog reads', () => {
  it('says which node started before that node blocks the thread, while its events wait in the batch', async () => {
    const messages: HostMessage[] = [];
    const host = createRunHost({ registry, where: 'browser', resources: nodeResources, post: (m) => messages.push(m) });
    let startedSeenWhileBlocked = false;
    let batchesBeforeBlock = -1;
    onBlockStart = () => {
      startedSeenWhileBlocked = messages.some((m) => m.type === 'started' && m.nodeId === 'b');
      batchesBeforeBlock = messages.filter((m) => m.type === 'events').length;
    };
    const blocking = graph(
      [
        ['t', 'text', {}],
        ['b', 'blocking', { ms: 30 }],
      ],
      [['t', 'b']],
    );
    await host.handle({ type: 'run', runId: 1, doc: blocking });
    // As the node begins to block, 'started' for it is out, while the batch with its start waits.
    expect(startedSeenWhileBlocked).toBe(true);
    expect(batchesBeforeBlock).toBe(0);
    const started = messages.findIndex((m) => m.type === 'started' && m.nodeId === 'b');
    const done = messages.findIndex((m) => m.type === 'events' && m.events.some((e) => e.type === 'node:done' && e.nodeId === 'b'));
    expect(started).toBeGreaterThanOrEqual(0);
    expect(done).toBeGreaterThan(started);
  });

  it('says it is alive while a cooperative node runs, and stops saying so when the run ends', async () => {
    const messages: HostMessage[] = [];
    const host = createRunHost({ registry, where: 'browser', resources: nodeResources, post: (m) => messages.push(m) });
    const slow = graph(
      [
        ['t', 'text', {}],
        ['s', 'slow', { steps: 3 * ALIVE_EVERY_MS }],
      ],
      [['t', 's']],
    );
    // The slow node yields every millisecond or more, so the run lasts at least 3 intervals.
    await host.handle({ type: 'run', runId: 7, doc: slow });
    const alive = messages.filter((m) => m.type === 'alive');
    expect(alive.length).toBeGreaterThanOrEqual(2);
    expect(alive.every((m) => m.type === 'alive' && m.runId === 7)).toBe(true);
    const count = alive.length;
    await new Promise((r) => setTimeout(r, 2 * ALIVE_EVERY_MS));
    expect(messages.filter((m) => m.type === 'alive')).toHaveLength(count);
  });
});

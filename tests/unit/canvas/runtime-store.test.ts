import { describe, expect, it } from 'vitest';
import { markStopped, reduceRunEvent, titleOf } from '@/components/canvas/store/runtime';
import { nodeKinds } from '@/nodes';
import type { LabState } from '@/components/canvas/store/types';

const state = (runtime: LabState['runtime']) => ({ runtime, run: { running: true, where: 'browser' }, missingInputs: {}, nodes: [], edges: [] }) as unknown as LabState;

describe('the store after a run event', () => {
  it('keeps a node\'s runtime object when its result is the one it shows (no re-render)', () => {
    const view = { pieces: [1, 2] };
    const s = state({ p: { status: 'cached', ms: 3, view, key: 'k1', where: 'browser' } });
    expect(reduceRunEvent(s, { type: 'node:cached', nodeId: 'p', key: 'k1', ms: 3, view })).toEqual({});
  });

  it('replaces it when the view, the key or the status differ', () => {
    const view = { pieces: [1, 2] };
    const s = state({ p: { status: 'cached', ms: 3, view, key: 'k1', where: 'browser' } });
    const equalButNew = reduceRunEvent(s, { type: 'node:cached', nodeId: 'p', key: 'k1', ms: 3, view: { pieces: [1, 2] } });
    expect(equalButNew.runtime?.p?.view).toEqual(view);
    expect(reduceRunEvent(s, { type: 'node:cached', nodeId: 'p', key: 'k2', ms: 3, view }).runtime?.p?.key).toBe('k2');
    expect(reduceRunEvent(s, { type: 'node:done', nodeId: 'p', key: 'k1', ms: 3, view }).runtime?.p?.status).toBe('done');
    // A node that was running (progress fields) is done now, without them.
    const running = state({ p: { status: 'running', progress: 0.5, progressMessage: 'half', view, key: 'k1', ms: 3, where: 'browser' } });
    expect(reduceRunEvent(running, { type: 'node:done', nodeId: 'p', key: 'k1', ms: 3, view }).runtime?.p).toEqual({ status: 'done', ms: 3, view, key: 'k1', where: 'browser' });
  });
});

describe('the canvas after Stop', () => {
  // Text → BPE (renamed "Odia") → IDs → Decode, and a Pretokenize beside BPE that is not under it.
  const graph = {
    nodes: [
      { id: 't', type: 'text', data: { params: {} } },
      { id: 'b', type: 'bpe', data: { params: {}, title: 'Odia' } },
      { id: 'i', type: 'ids', data: { params: {} } },
      { id: 'd', type: 'decode', data: { params: {} } },
      { id: 'p', type: 'pretokenize', data: { params: {} } },
    ],
    edges: [
      { id: 'e1', source: 't', target: 'b' },
      { id: 'e2', source: 'b', target: 'i' },
      { id: 'e3', source: 'i', target: 'd' },
      { id: 'e4', source: 't', target: 'p' },
    ],
  } as unknown as Pick<LabState, 'nodes' | 'edges'>;
  const old = { status: 'done', view: { ids: [1, 2, 3] }, ms: 4, key: 'k', where: 'browser' } as const;
  const runtime: LabState['runtime'] = { t: old, b: { status: 'running', startedAt: 1_000 }, i: old, d: old, p: old };

  it('says how long the stopped node ran and why', () => {
    const next = markStopped({ ...graph, runtime }, new Map([['b', 1_000]]), 4_600, 'you pressed Stop');
    expect(next.b).toEqual({ status: 'stopped', stoppedBecause: 'Stopped after 4 s: you pressed Stop.' });
  });

  it('shows no result computed from the input being replaced anywhere below it, and names the node they wait for', () => {
    const next = markStopped({ ...graph, runtime }, new Map([['b', 1_000]]), 4_600, 'you pressed Stop');
    expect(next.i).toEqual({ status: 'stopped', stoppedBecause: 'Not computed: Odia, which it reads from, was stopped.' });
    expect(next.d).toEqual({ status: 'stopped', stoppedBecause: 'Not computed: Odia, which it reads from, was stopped.' });
    expect(next.i?.view).toBeUndefined();
  });

  it('keeps the results of nodes that are not below a stopped one', () => {
    const next = markStopped({ ...graph, runtime }, new Map([['b', 1_000]]), 4_600, 'you pressed Stop');
    expect(next.t).toBe(old);
    expect(next.p).toBe(old);
  });

  it('stops a node that started in the engine before the page heard of it, and what is below it', () => {
    const next = markStopped({ ...graph, runtime: { t: old } }, new Map([['i', 2_000]]), 2_100, 'it held the engine');
    expect(next.i).toEqual({ status: 'stopped', stoppedBecause: 'Stopped after 1 s: it held the engine.' });
    expect(next.d?.stoppedBecause).toBe('Not computed: IDs, which it reads from, was stopped.');
    expect(next.b).toBeUndefined();
  });

  it('puts a node that never started back to idle', () => {
    const next = markStopped({ ...graph, runtime: { ...runtime, b: { status: 'running' } } }, new Map(), 5_000, 'you pressed Stop');
    expect(next.b).toEqual({ status: 'idle' });
  });

  it('names a node by its kind when it has no title of its own', () => {
    expect(titleOf(graph, 'i')).toBe(nodeKinds.ids.title);
    expect(titleOf(graph, 'b')).toBe('Odia');
    expect(titleOf(graph, 'gone')).toBe('gone');
  });
});

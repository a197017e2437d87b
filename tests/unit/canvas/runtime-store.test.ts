import { describe, expect, it } from 'vitest';
import { reduceRunEvent } from '@/components/canvas/store/runtime';
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

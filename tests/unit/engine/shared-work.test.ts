import { afterEach, describe, expect, it, vi } from 'vitest';
import { AbortError } from '@/nodes/engine/executor';
import { fingerprint, runningWork, shareWork, type WorkHooks } from '@/nodes/engine/shared-work';
import { createRecipeCache } from '@/nodes/engine/cache';
import { execute, type RunEvent } from '@/nodes/engine/executor';
import { registry } from '@/nodes';
import { nodeResources } from './fixtures';

function run() {
  const controller = new AbortController();
  const progress: number[] = [];
  return { controller, progress, ctx: { signal: controller.signal, progress: (f: number) => progress.push(f) } };
}

/**
 * Work that counts its starts, reports half-way, then waits for the test to `finish()` it: no
 * sleeps, so nothing depends on how fast the machine is.
 */
function gatedWork() {
  const starts = { n: 0 };
  let finish: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (finish = resolve));
  let aborted = false;
  const work = async (hooks: WorkHooks) => {
    starts.n++;
    hooks.signal.addEventListener('abort', () => (aborted = true));
    hooks.progress(0.5);
    await gate;
    await hooks.checkpoint();
    hooks.progress(1);
    return 'trained';
  };
  return { work, starts, finish: () => finish(), aborted: () => aborted };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('shareWork', () => {
  it('keeps going when the run that started it is cancelled and the next run wants the same work', async () => {
    const { work, starts, finish } = gatedWork();
    const first = run();
    const a = shareWork('same-key', first.ctx, work);
    first.controller.abort();
    await expect(a).rejects.toBeInstanceOf(AbortError);
    const second = run();
    const b = shareWork('same-key', second.ctx, work);
    finish();
    await expect(b).resolves.toBe('trained');
    expect(starts.n).toBe(1);
    expect(second.progress).toEqual([1]);
    // Remembered: asking again returns at once without working.
    await expect(shareWork('same-key', run().ctx, work)).resolves.toBe('trained');
    expect(starts.n).toBe(1);
  });

  it('stops the work once nobody has wanted it for the 400 ms grace period, and not before', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { work, aborted } = gatedWork();
    const only = run();
    const pending = shareWork('orphan', only.ctx, work);
    only.controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortError);
    vi.advanceTimersByTime(399);
    expect(aborted()).toBe(false);
    vi.advanceTimersByTime(1);
    expect(aborted()).toBe(true);
  });

  it('keeps the work for a run that asks again within the grace period', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { work, starts, finish, aborted } = gatedWork();
    const first = run();
    const a = shareWork('typed-again', first.ctx, work);
    first.controller.abort();
    await expect(a).rejects.toBeInstanceOf(AbortError);
    vi.advanceTimersByTime(399);
    const next = run();
    const b = shareWork('typed-again', next.ctx, work);
    vi.advanceTimersByTime(1_000);
    expect(aborted()).toBe(false);
    finish();
    await expect(b).resolves.toBe('trained');
    expect(starts.n).toBe(1);
  });

  it('starts stopped work afresh for a run that asks after the grace period, instead of joining work that is ending', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const gated = gatedWork();
    const first = run();
    const a = shareWork('stopped', first.ctx, gated.work);
    first.controller.abort();
    await expect(a).rejects.toBeInstanceOf(AbortError);
    vi.advanceTimersByTime(400);
    expect(gated.aborted()).toBe(true);
    // The stopped work has not reached its checkpoint yet: it still counts as running.
    expect(runningWork()).toContain('stopped');
    const next = run();
    const b = shareWork('stopped', next.ctx, gated.work);
    expect(gated.starts.n).toBe(2);
    gated.finish();
    await expect(b).resolves.toBe('trained');
    expect(runningWork()).not.toContain('stopped');
  });

  it('fingerprints long strings apart, and equal strings alike', () => {
    expect(fingerprint('a'.repeat(100_000))).toBe(fingerprint('a'.repeat(100_000)));
    expect(fingerprint('a'.repeat(100_000))).not.toBe(fingerprint(`${'a'.repeat(99_999)}b`));
  });
});

describe('outputs that depend on part of the recipe', () => {
  it('leave a node that only needs the tokenizer cached when the text the tokenizer encodes changes', async () => {
    const doc = (text: string) => ({
      schemaVersion: 1 as const,
      title: 't',
      nodes: [
        { id: 't1', type: 'text', params: { text }, position: { x: 0, y: 0 } },
        { id: 't2', type: 'text', params: { text: 'I love NLP' }, position: { x: 0, y: 0 } },
        { id: 'gpt2', type: 'pretrained', params: { model: 'gpt2' }, position: { x: 0, y: 0 } },
        { id: 'cmp', type: 'compare', params: { gpt2: false, bert: true, tinyllama: false }, position: { x: 0, y: 0 } },
      ],
      edges: [
        { id: 'a', source: 't1', sourcePort: 'text', target: 'gpt2', targetPort: 'text' },
        { id: 'b', source: 't2', sourcePort: 'text', target: 'cmp', targetPort: 'text' },
        { id: 'c', source: 'gpt2', sourcePort: 'tokenizer', target: 'cmp', targetPort: 'a' },
      ],
    });
    const cache = createRecipeCache();
    await execute(doc('first'), { registry, cache, where: 'server', resources: nodeResources });
    const events: RunEvent[] = [];
    await execute(doc('second'), { registry, cache, where: 'server', resources: nodeResources, onEvent: (e) => events.push(e) });
    const ran = events.filter((e) => e.type === 'node:done').map((e) => (e as { nodeId: string }).nodeId);
    expect(ran).toEqual(['t1', 'gpt2']);
    expect(events.some((e) => e.type === 'node:cached' && e.nodeId === 'cmp')).toBe(true);
  });
});

import { EventEmitter } from 'node:events';
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
  let settled = false;
  const work = async (hooks: WorkHooks) => {
    starts.n++;
    hooks.signal.addEventListener('abort', () => (aborted = true));
    hooks.progress(0.5);
    try {
      await gate;
      await hooks.checkpoint();
      hooks.progress(1);
      return 'trained';
    } finally {
      settled = true;
    }
  };
  return { work, starts, finish: () => finish(), aborted: () => aborted, settled: () => settled };
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

  it('stops unwanted work at its next checkpoint, forgets it, and starts it again for the next run', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const stopped = gatedWork();
    const first = run();
    const a = shareWork('abandoned', first.ctx, stopped.work);
    first.controller.abort();
    await expect(a).rejects.toBeInstanceOf(AbortError);
    vi.advanceTimersByTime(400);
    // A later run starts the work again while the stopped one still has to reach its checkpoint.
    const again = gatedWork();
    const next = run();
    const b = shareWork('abandoned', next.ctx, again.work);
    expect(again.starts.n).toBe(1);
    stopped.finish(); // its checkpoint throws: it ends without a result
    await vi.waitFor(() => expect(stopped.settled()).toBe(true));
    for (let hop = 0; hop < 5; hop++) await Promise.resolve(); // its end reaches shareWork's cleanup
    // The stopped work's end does not unregister the work that replaced it: a third run joins it.
    expect(runningWork()).toContain('abandoned');
    const third = run();
    const c = shareWork('abandoned', third.ctx, gatedWork().work);
    again.finish();
    await expect(b).resolves.toBe('trained');
    await expect(c).resolves.toBe('trained');
    expect(again.starts.n).toBe(1);
    expect(runningWork()).not.toContain('abandoned');
  });

  it('lets the stopped work end with an abort at its checkpoint, not with a result anyone is given', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let ended: unknown;
    let finish: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (finish = resolve));
    const work = async (hooks: WorkHooks) => {
      try {
        await gate;
        await hooks.checkpoint();
        return 'trained';
      } catch (error) {
        ended = error;
        throw error;
      }
    };
    const only = run();
    const pending = shareWork('never-finished', only.ctx, work);
    only.controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortError);
    vi.advanceTimersByTime(400);
    finish();
    await vi.waitFor(() => expect(ended).toBeInstanceOf(AbortError));
    await vi.waitFor(() => expect(runningWork()).not.toContain('never-finished'));
    // Nothing was remembered: the next run works again.
    const gated = gatedWork();
    const next = run();
    const result = shareWork('never-finished', next.ctx, gated.work);
    expect(gated.starts.n).toBe(1);
    gated.finish();
    await expect(result).resolves.toBe('trained');
  });

  it('refuses at once a run whose signal is already aborted, and stops the work nobody else wants', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const gated = gatedWork();
    const late = run();
    late.controller.abort();
    await expect(shareWork('too-late', late.ctx, gated.work)).rejects.toBeInstanceOf(AbortError);
    vi.advanceTimersByTime(400);
    expect(gated.aborted()).toBe(true);
  });

  it('gives every waiting run the error of work that fails, and does not remember it', async () => {
    let attempts = 0;
    const failing = async () => {
      attempts++;
      await Promise.resolve();
      throw new Error('the corpus could not be read');
    };
    const [a, b] = [run(), run()];
    const both = [shareWork('fails', a.ctx, failing), shareWork('fails', b.ctx, failing)];
    for (const p of both) await expect(p).rejects.toThrow('the corpus could not be read');
    expect(attempts).toBe(1);
    await expect(shareWork('fails', run().ctx, failing)).rejects.toThrow('the corpus could not be read');
    expect(attempts).toBe(2);
    expect(runningWork()).not.toContain('fails');
  });

  it('leaves no abort listener on a run’s signal once its work is done', async () => {
    const gated = gatedWork();
    const one = run();
    const p = shareWork('listener', one.ctx, gated.work);
    expect(EventEmitter.getEventListeners(one.controller.signal, 'abort')).toHaveLength(1);
    gated.finish();
    await p;
    expect(EventEmitter.getEventListeners(one.controller.signal, 'abort')).toHaveLength(0);
  });

  it('yields to the event loop during long work, but not at every checkpoint of quick work', async () => {
    let ticks = 0;
    let ticking = true;
    const tick = () => {
      ticks++;
      if (ticking) setImmediate(tick);
    };
    // Long: 8 steps of 5 ms busy each; a tick queued before it starts runs before it ends.
    let ticksBeforeEnd = -1;
    setImmediate(tick);
    await shareWork('long', run().ctx, async (hooks) => {
      for (let step = 0; step < 8; step++) {
        const end = performance.now() + 5;
        while (performance.now() < end);
        await hooks.checkpoint();
      }
      ticksBeforeEnd = ticks;
      return 'done';
    });
    ticking = false;
    expect(ticksBeforeEnd).toBeGreaterThan(0);
    // Quick: 2,000 checkpoints with nothing between them take far less than 12 ms of work each.
    ticks = 0;
    ticking = true;
    setImmediate(tick);
    let quickTicks = -1;
    await shareWork('quick', run().ctx, async (hooks) => {
      for (let step = 0; step < 2000; step++) await hooks.checkpoint();
      quickTicks = ticks;
      return 'done';
    });
    ticking = false;
    expect(quickTicks).toBeLessThan(200);
  });

  it('remembers the last four results, the most recently asked kept longest', async () => {
    const starts: string[] = [];
    const quick = (key: string) => shareWork(key, run().ctx, async () => (starts.push(key), key));
    for (const key of ['r1', 'r2', 'r3', 'r4']) await quick(key);
    await quick('r1'); // asked again: now the most recent
    await quick('r5'); // forgets the oldest, r2
    starts.length = 0;
    for (const key of ['r1', 'r3', 'r4', 'r5']) await quick(key);
    expect(starts).toEqual([]);
    await quick('r2');
    expect(starts).toEqual(['r2']);
  });

  it('fingerprints with FNV-1a: the standard test values for the empty string and "a"', () => {
    expect(fingerprint('').split('-')[1]).toBe((0x811c9dc5).toString(36));
    expect(fingerprint('a').split('-')[1]).toBe((0xe40c292c).toString(36));
    expect(fingerprint('foobar').split('-')[1]).toBe((0xbf9cf968).toString(36));
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

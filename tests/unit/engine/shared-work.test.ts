import { describe, expect, it } from 'vitest';
import { AbortError } from '@/nodes/engine/executor';
import { fingerprint, shareWork, type WorkHooks } from '@/nodes/engine/shared-work';
import { createRecipeCache } from '@/nodes/engine/cache';
import { execute, type RunEvent } from '@/nodes/engine/executor';
import { registry } from '@/nodes';
import { nodeResources } from './fixtures';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function run() {
  const controller = new AbortController();
  const progress: number[] = [];
  return { controller, progress, ctx: { signal: controller.signal, progress: (f: number) => progress.push(f) } };
}

/** Work that counts its starts and takes `steps` × 5 ms. */
function slowWork(starts: { n: number }, steps = 20) {
  return async ({ checkpoint, progress }: WorkHooks) => {
    starts.n++;
    for (let i = 1; i <= steps; i++) {
      await sleep(5);
      await checkpoint();
      progress(i / steps);
    }
    return 'trained';
  };
}

describe('shareWork', () => {
  it('keeps going when the run that started it is cancelled and the next run wants the same work', async () => {
    const starts = { n: 0 };
    const first = run();
    const a = shareWork('same-key', first.ctx, slowWork(starts));
    await sleep(30);
    first.controller.abort();
    await expect(a).rejects.toBeInstanceOf(AbortError);
    const second = run();
    await expect(shareWork('same-key', second.ctx, slowWork(starts))).resolves.toBe('trained');
    expect(starts.n).toBe(1);
    expect(second.progress.at(-1)).toBe(1);
    // Remembered: asking again returns at once without working.
    await expect(shareWork('same-key', run().ctx, slowWork(starts))).resolves.toBe('trained');
    expect(starts.n).toBe(1);
  });

  it('stops the work once nobody has wanted it for the grace period', async () => {
    const starts = { n: 0 };
    let aborted = false;
    const only = run();
    const pending = shareWork('orphan', only.ctx, async (hooks) => {
      hooks.signal.addEventListener('abort', () => (aborted = true));
      return slowWork(starts, 400)(hooks);
    });
    await sleep(20);
    only.controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortError);
    expect(aborted).toBe(false);
    await sleep(600);
    expect(aborted).toBe(true);
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

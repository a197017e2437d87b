/**
 * The GPT-2 pretrained tokenizer node on a few MB of text: no "Maximum call stack size
 * exceeded" from spreading a large array into push or Math.max, and time that grows linearly
 * with the text: four times the text in clearly under the sixteen times a quadratic step (such
 * as rebuilding a growing array or string per piece) would take, in CPU time (other processes
 * on a busy machine do not count). The bound is loose on purpose; `npm run bench` is where
 * speed is measured.
 */
import { describe, expect, it } from 'vitest';
import { createRecipeCache } from '@/nodes/engine/cache';
import { execute } from '@/nodes/engine/executor';
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import { registry } from '@/nodes';
import { padStream } from '@/nodes/finetune/finetune';
import { nodeResources } from '../../engine/fixtures';

function gpt2Doc(text: string): GraphDoc {
  return {
    schemaVersion: 1,
    title: 'large',
    nodes: [
      { id: 't', type: 'text', params: { text }, position: { x: 0, y: 0 } },
      { id: 'p', type: 'pretrained', params: { model: 'gpt2' }, position: { x: 0, y: 0 } },
    ],
    edges: [{ id: 'e', source: 't', sourcePort: 'text', target: 'p', targetPort: 'text' }],
  };
}

const SENTENCE = 'I love NLP, and tokenizers split words into pieces: café, ଓଡ଼ିଆ, 😀, 1234.\n';

async function runGpt2(megabytes: number) {
  const text = SENTENCE.repeat(Math.ceil((megabytes * 1_000_000) / SENTENCE.length));
  // CPU time of this process, not wall time: other processes on a busy machine do not count.
  const cpu = process.cpuUsage();
  const report = await execute(gpt2Doc(text), { registry, cache: createRecipeCache(), where: 'server', resources: nodeResources });
  const used = process.cpuUsage(cpu);
  return { outcome: report.outcomes.get('p') as { status: string; message?: string; view?: { offsetNote?: string } }, ms: (used.user + used.system) / 1000 };
}

describe('the GPT-2 pretrained tokenizer on large input', () => {
  it('tokenizes 2 MB of text with offsets, in time linear in its length', async () => {
    const small = await runGpt2(0.5);
    const large = await runGpt2(2);
    expect(small.outcome.message).toBeUndefined();
    expect(large.outcome.status).toBe('done');
    expect(large.outcome.view?.offsetNote).toBeUndefined();
    expect(large.ms / small.ms).toBeLessThan(9);
  }, 240_000);

  it('pads a short token stream into a long window without spreading it into push', () => {
    const window = padStream([1, 2, 3], 300_000, 0);
    expect(window.length).toBeGreaterThanOrEqual(300_000);
    expect(window.slice(0, 5)).toEqual([1, 2, 3, 0, 1]);
    expect(padStream(Array.from({ length: 200_000 }, (_, i) => i), 500_000, 7).length).toBeGreaterThanOrEqual(500_000);
  });
});

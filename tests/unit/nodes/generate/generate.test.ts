/** The Generate node on the shipped model: seeded sampling, streaming, Stop, the context limit. */
import { describe, expect, it } from 'vitest';
import type { ViewOf } from '@/nodes';
import { doc, done, pipeline, run } from '../transformer/model-graphs';

describe('Generate: sampling, streaming and Stop', () => {
  const sample = (seed: number) => pipeline('We the people', ['gen', 'generate', { strategy: 'sample', temperature: 1, topK: 50, topP: 0.95, maxNewTokens: 15, seed, stopAtEos: false }]);

  it('repeats a seeded sample exactly, and another seed gives another text', async () => {
    const first = done<ViewOf<'generate'>>((await run(sample(7))).outcomes.get('gen')).view;
    const again = done<ViewOf<'generate'>>((await run(sample(7))).outcomes.get('gen')).view;
    const other = done<ViewOf<'generate'>>((await run(sample(8))).outcomes.get('gen')).view;
    expect(first.steps).toHaveLength(15);
    expect(again.steps.map((s) => s.id)).toEqual(first.steps.map((s) => s.id));
    expect(other.steps.map((s) => s.id)).not.toEqual(first.steps.map((s) => s.id));
    expect(first.steps.every((s) => s.pool >= 1 && s.pool <= 50)).toBe(true);
  });

  it('streams the growing text as progress messages, ending with the whole continuation', async () => {
    const messages: string[] = [];
    const report = await run(pipeline('I love', ['gen', 'generate', { maxNewTokens: 5, stopAtEos: false }]), {
      onEvent: (e) => {
        if (e.type === 'node:progress' && e.nodeId === 'gen' && e.message !== undefined && !e.message.startsWith('Loading')) messages.push(e.message);
      },
    });
    const { view } = done<ViewOf<'generate'>>(report.outcomes.get('gen'));
    expect(messages).toEqual([' of', ' of the', ' of the United', ' of the United States', ' of the United States,']);
    expect(view.text).toBe(messages.at(-1));
  });

  it('stops between tokens when the run is cancelled', async () => {
    const controller = new AbortController();
    let streamed = 0;
    const report = await run(pipeline('I love', ['gen', 'generate', { maxNewTokens: 200, stopAtEos: false }]), {
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'node:progress' && e.nodeId === 'gen' && !e.message?.startsWith('Loading') && ++streamed === 3) controller.abort();
      },
    });
    expect(report.cancelled).toBe(true);
    expect(report.outcomes.has('gen')).toBe(false);
    expect(streamed).toBeLessThan(10);
  });

  it('keeps prompt + new tokens within the 256 positions', async () => {
    const prompt = Array.from({ length: 250 }, (_, i) => 262 + (i % 5));
    const report = await run(
      doc([['ids', 'fixed-ids', { ids: prompt }], ['gen', 'generate', { maxNewTokens: 200, stopAtEos: false }]], [['ids', 'ids', 'gen', 'ids']]),
    );
    const { view, outputs } = done<ViewOf<'generate'>>(report.outcomes.get('gen'));
    expect(view.steps).toHaveLength(6);
    expect((outputs.ids as { ids: number[] }).ids).toHaveLength(256);
  });
});

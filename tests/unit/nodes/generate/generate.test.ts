/** The Generate node on the shipped model: seeded sampling, streaming, Stop, the context limit. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nodeKinds, type ViewOf } from '@/nodes';
import { doc, done, pipeline, run } from '../transformer/model-graphs';

interface Reference {
  prompts: {
    prompt: string;
    greedy: { ids: number[]; text: string };
    sampled: { strategy: string; temperature: number; topK: number; topP: number; seed: number; new_tokens: number; ids: number[]; text: string; contains_eos: boolean };
  }[];
}
const reference = JSON.parse(readFileSync('public/models/tokenloom-tiny/reference.json', 'utf8')) as Reference;
const iLove = reference.prompts.find((p) => p.prompt === 'I love')!;

/** The first run of three words (lower case, punctuation aside) that occurs three times, if any. */
function repeatedPhrase(text: string): string | undefined {
  const words = text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
  const seen = new Map<string, number>();
  for (let i = 0; i + 3 <= words.length; i++) {
    const phrase = words.slice(i, i + 3).join(' ');
    const count = (seen.get(phrase) ?? 0) + 1;
    if (count === 3) return phrase;
    seen.set(phrase, count);
  }
  return undefined;
}

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
    const report = await run(pipeline('I love', ['gen', 'generate', { strategy: 'greedy', maxNewTokens: 5, stopAtEos: false }]), {
      onEvent: (e) => {
        if (e.type === 'node:progress' && e.nodeId === 'gen' && e.message !== undefined && !e.message.startsWith('Loading')) messages.push(e.message);
      },
    });
    const { view } = done<ViewOf<'generate'>>(report.outcomes.get('gen'));
    expect(view.steps.map((s) => s.id)).toEqual(iLove.greedy.ids.slice(0, 5));
    expect(messages).toHaveLength(5);
    messages.forEach((m, i) => expect(m.length > (messages[i - 1]?.length ?? 0) && m.startsWith(messages[i - 1] ?? '')).toBe(true));
    expect(view.text).toBe(messages.at(-1));
    expect(iLove.greedy.text.startsWith(view.text)).toBe(true);
  });

  it('samples by default, with the settings the reference continuations were computed with', () => {
    const defaults = nodeKinds.generate.params.parse({});
    const { ids: _ids, text: _text, contains_eos: _eos, new_tokens: newTokens, ...rule } = iLove.sampled;
    expect({ strategy: defaults.strategy, temperature: defaults.temperature, topK: defaults.topK, topP: defaults.topP, seed: defaults.seed }).toEqual(rule);
    expect(defaults.maxNewTokens).toBe(newTokens);
  });

  for (const ref of reference.prompts) {
    it(`writes the reference's seeded continuation of "${ref.prompt}" with the default settings`, async () => {
      const report = await run(pipeline(ref.prompt, ['gen', 'generate', { stopAtEos: false }]));
      const { view } = done<ViewOf<'generate'>>(report.outcomes.get('gen'));
      expect(view.steps.map((s) => s.id)).toEqual(ref.sampled.ids);
    });
  }

  it('never repeats a phrase three times in the default continuations of the reference prompts', async () => {
    for (const ref of reference.prompts) {
      const { view } = done<ViewOf<'generate'>>((await run(pipeline(ref.prompt, ['gen', 'generate', {}]))).outcomes.get('gen'));
      expect(repeatedPhrase(ref.prompt + view.text), `${ref.prompt}|${view.text}`).toBeUndefined();
    }
  });

  it('finds a phrase written three times, and lets two pass', () => {
    expect(repeatedPhrase('of the United States of the United States of the United States')).toBe('of the united');
    expect(repeatedPhrase('the people, the people and the Congress')).toBeUndefined();
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

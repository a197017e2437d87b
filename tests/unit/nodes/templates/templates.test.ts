import { describe, expect, it } from 'vitest';
import { createRecipeCache } from '@/nodes/engine/cache';
import { execute } from '@/nodes/engine/executor';
import { validateGraph } from '@/nodes/engine/validate';
import { registry } from '@/nodes';
import { TEMPLATES } from '@/nodes/templates';
import { nodeResources } from '../../engine/fixtures';
import { fewSteps } from './few-steps';

// A busy machine runs these many times slower than a quiet one: the limit only catches a hang.
describe('templates', { timeout: 240_000 }, () => {
  for (const template of TEMPLATES) {
    it(`"${template.title}" validates and every node runs`, async () => {
      expect(validateGraph(template.doc, registry)).toEqual([]);
      const report = await execute(fewSteps(template.doc), { registry, cache: createRecipeCache(), where: 'server', resources: nodeResources });
      const failed = [...report.outcomes].filter(([, o]) => o.status !== 'done').map(([id, o]) => `${id}: ${JSON.stringify(o)}`);
      expect(failed).toEqual([]);
      expect(report.outcomes.has(template.focus)).toBe(true);
    });
  }

  it('gives every node of a template a title no other node of it has', () => {
    for (const template of TEMPLATES) {
      const titles = template.doc.nodes.filter((n) => n.type !== 'note').map((n) => n.title ?? registry[n.type]!.title);
      expect(new Set(titles).size, `${template.id}: ${titles.join(', ')}`).toBe(titles.length);
    }
  });

  it('the GPT-2 chain gives the official GPT-2 IDs and decodes back exactly', async () => {
    const doc = TEMPLATES.find((t) => t.id === 'gpt2-chain')!.doc;
    const report = await execute(doc, { registry, cache: createRecipeCache(), where: 'server', resources: nodeResources });
    const bpe = report.outcomes.get('bpe') as unknown as { view: { faithful: { equal: boolean } } };
    expect(bpe.view.faithful.equal).toBe(true);
    const ids = report.outcomes.get('ids') as unknown as { outputs: { ids: { ids: number[] } } };
    expect(ids.outputs.ids.ids.slice(0, 4)).toEqual([40, 1842, 399, 19930]);
    const decode = report.outcomes.get('decode') as unknown as { view: { roundTrip: { equal: boolean } } };
    expect(decode.view.roundTrip.equal).toBe(true);
  });

  it('BPE vs n-gram sets the bigram model and the Transformer side by side, after the same token', async () => {
    const doc = TEMPLATES.find((t) => t.id === 'bpe-vs-ngram')!.doc;
    const report = await execute(doc, { registry, cache: createRecipeCache(), where: 'server', resources: nodeResources });
    const view = (report.outcomes.get('ngram') as unknown as {
      view: { level: string; prediction: { next: { unit: string }[] }; transformer: { sameContext: boolean; candidates: { token: string }[] } };
    }).view;
    expect(view.level).toBe('token');
    expect(view.transformer.sameContext).toBe(true);
    expect(view.transformer.candidates).toHaveLength(5);
    expect(view.prediction.next.length).toBeGreaterThan(0);
  });
});

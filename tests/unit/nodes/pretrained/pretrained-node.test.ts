import { describe, expect, it } from 'vitest';
import { createRecipeCache } from '@/nodes/engine/cache';
import { execute } from '@/nodes/engine/executor';
import { registry } from '@/nodes';
import { findTemplate } from '@/nodes/templates';
import { nodeResources } from '../../engine/fixtures';

describe('pretrained and compare nodes in Node', () => {
  it('runs the Compare template on the server side with the shipped files', async () => {
    const template = findTemplate('compare')!;
    const report = await execute(template.doc, { registry, cache: createRecipeCache(), where: 'server', resources: nodeResources });
    const compare = report.outcomes.get('compare');
    expect(compare?.status).toBe('done');
    const view = (compare as { view: { kinds: { label: string; ids: number[] }[]; sameIdsAnswer: string } }).view;
    expect(view.kinds.map((k) => [k.label, k.ids.join(' ')])).toEqual([
      ['GPT-2', '40 1842 399 19930'],
      ['BERT', '101 1045 2293 17953 2361 102'],
      ['TinyLlama', '1 306 5360 405 13208'],
    ]);
    const gpt2 = report.outcomes.get('gpt2') as { view: { splitWords: { word: string; pieces: string[] }[] } };
    expect(gpt2.view.splitWords).toEqual([{ word: ' NLP', pieces: ['ĠN', 'LP'], ids: [399, 19930] }]);
  });

  it('reports an unknown hub id offline as an error on the node, naming the shipped tokenizers', async () => {
    const doc = {
      schemaVersion: 1 as const,
      title: 't',
      nodes: [
        { id: 't', type: 'text', params: { text: 'hi' }, position: { x: 0, y: 0 } },
        { id: 'p', type: 'pretrained', params: { model: 'hub', hubId: 'someone/not-shipped' }, position: { x: 0, y: 0 } },
      ],
      edges: [{ id: 'e', source: 't', sourcePort: 'text', target: 'p', targetPort: 'text' }],
    };
    const report = await execute(doc, { registry, cache: createRecipeCache(), where: 'server', resources: nodeResources });
    const p = report.outcomes.get('p') as { status: string; message: string };
    expect(p.status).toBe('error');
    expect(p.message).toMatch(/gpt2, bert-base-uncased, tinyllama/);
  });
});

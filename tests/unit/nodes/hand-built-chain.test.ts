/**
 * The pipeline a newcomer wires by hand from the palette, with every default: what the BPE node
 * says when it has no corpus, and what Decode says when it is given IDs from another tokenizer.
 */
import { describe, expect, it } from 'vitest';
import { createRecipeCache } from '@/nodes/engine/cache';
import { execute } from '@/nodes/engine/executor';
import { registry } from '@/nodes';
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import { nodeResources } from '../engine/fixtures';

const at = { x: 0, y: 0 };
const edge = (source: string, sourcePort: string, target: string, targetPort: string) => ({
  id: `${source}.${sourcePort}-${target}.${targetPort}`,
  source,
  sourcePort,
  target,
  targetPort,
});

function chain(text: string, extra: Partial<GraphDoc> = {}): GraphDoc {
  return {
    schemaVersion: 1,
    title: 'by hand',
    nodes: [
      { id: 'text', type: 'text', params: { text }, position: at },
      { id: 'clean', type: 'clean', params: {}, position: at },
      { id: 'pre', type: 'pretokenize', params: {}, position: at },
      { id: 'bpe', type: 'bpe', params: {}, position: at },
      { id: 'ids', type: 'ids', params: {}, position: at },
      ...(extra.nodes ?? []),
    ],
    edges: [
      edge('text', 'text', 'clean', 'text'),
      edge('clean', 'text', 'pre', 'text'),
      edge('pre', 'pretokens', 'bpe', 'pretokens'),
      edge('bpe', 'tokens', 'ids', 'tokens'),
      edge('bpe', 'tokenizer', 'ids', 'tokenizer'),
      ...(extra.edges ?? []),
    ],
  };
}

const run = (doc: GraphDoc) => execute(doc, { registry, cache: createRecipeCache(), where: 'server', resources: nodeResources });

describe('a pipeline built by hand from the palette', () => {
  it('says on the BPE node that ten characters give almost no merges, and how to get more', async () => {
    const report = await run(chain('I love NLP'));
    const bpe = report.outcomes.get('bpe') as unknown as { status: string; view: { hint: string | null; mergeCount: number } };
    expect(bpe.status).toBe('done');
    expect(bpe.view.mergeCount).toBeLessThan(50);
    expect(bpe.view.hint).toBe(
      `Training on 10 characters gives ${bpe.view.mergeCount} ${bpe.view.mergeCount === 1 ? 'merge' : 'merges'}, so most tokens are single bytes: connect a corpus to the corpus input, or set Merges to GPT-2’s.`,
    );
  });

  it('drops the hint once a corpus is connected or GPT-2’s merges are chosen', async () => {
    const withCorpus = chain('I love NLP', {
      nodes: [{ id: 'corpus', type: 'text', params: { text: 'the cat sat on the mat. '.repeat(200) }, position: at }],
      edges: [edge('corpus', 'text', 'bpe', 'corpus')],
    });
    const corpusView = (await run(withCorpus)).outcomes.get('bpe') as unknown as { view: { hint: string | null } };
    expect(corpusView.view.hint).toBeNull();
    const gpt2 = chain('I love NLP');
    gpt2.nodes[3]!.params = { source: 'gpt2' };
    const gpt2View = (await run(gpt2)).outcomes.get('bpe') as unknown as { view: { hint: string | null; mergeCount: number } };
    expect(gpt2View.view).toMatchObject({ hint: null, mergeCount: 50000 });
  });

  it('makes Decode name the tokenizer the IDs came from when they are not in its vocabulary', async () => {
    const doc = chain('I love NLP', {
      nodes: [
        { id: 'gpt2', type: 'pretrained', params: { model: 'gpt2' }, position: at },
        { id: 'gpt2-ids', type: 'ids', params: {}, position: at },
        { id: 'decode', type: 'decode', params: {}, position: at },
      ],
      edges: [
        edge('clean', 'text', 'gpt2', 'text'),
        edge('gpt2', 'tokens', 'gpt2-ids', 'tokens'),
        edge('gpt2-ids', 'ids', 'decode', 'ids'),
        edge('bpe', 'tokenizer', 'decode', 'tokenizer'),
      ],
    });
    const decode = (await run(doc)).outcomes.get('decode') as unknown as { status: string; message: string };
    expect(decode.status).toBe('error');
    expect(decode.message).toMatch(/^ID \d+ is not in the vocabulary of BPE \(trained\) \(IDs 0–\d+\)\. /);
    expect(decode.message).toContain('These IDs were made by GPT-2, but this Decode node is given BPE (trained): connect its tokenizer input to the GPT-2 tokenizer that made them.');
  });

  it('decodes its own IDs back to the text, with no provenance note', async () => {
    const doc = chain('I love NLP', {
      nodes: [{ id: 'decode', type: 'decode', params: {}, position: at }],
      edges: [edge('ids', 'ids', 'decode', 'ids'), edge('bpe', 'tokenizer', 'decode', 'tokenizer')],
    });
    const decode = (await run(doc)).outcomes.get('decode') as unknown as { status: string; outputs: { text: string } };
    expect(decode).toMatchObject({ status: 'done', outputs: { text: 'I love NLP' } });
  });
});

/**
 * WordPiece and Unigram on the canvas: each trains on a corpus, feeds IDs (with its own special
 * tokens), Decode, Compare and the Transformer's tokenizer check, exactly as BPE does.
 */
import { describe, expect, it } from 'vitest';
import { createRecipeCache } from '@/nodes/engine/cache';
import { execute } from '@/nodes/engine/executor';
import { registry } from '@/nodes';
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import { mismatchWarning } from '@/nodes/transformer/model-choice';
import { SHIPPED_MODEL } from '@/nodes/shared/model-ref';
import { englishCorpus } from '@/scripts/make-corpora';
import { nodeResources } from '../../engine/fixtures';

const at = { x: 0, y: 0 };
const edge = (source: string, sourcePort: string, target: string, targetPort: string) => ({ id: `${source}.${sourcePort}-${target}.${targetPort}`, source, sourcePort, target, targetPort });
const corpus = englishCorpus(60_000).split(/(?<=[.!?])\s+/).join('\n');
const sentence = 'The people of the United States are unaffable.';

function graph(kind: 'wordpiece' | 'unigram', special: string, params: Record<string, unknown> = {}): GraphDoc {
  return {
    schemaVersion: 1,
    title: kind,
    nodes: [
      { id: 'corpus', type: 'text', params: { text: corpus }, position: at },
      { id: 'text', type: 'text', params: { text: sentence }, position: at },
      { id: 'tok', type: kind, params: { vocabSize: 800, ...params }, position: at },
      { id: 'ids', type: 'ids', params: { special }, position: at },
      { id: 'decode', type: 'decode', params: {}, position: at },
      { id: 'compare', type: 'compare', params: { gpt2: true, bert: false, tinyllama: false }, position: at },
    ],
    edges: [
      edge('corpus', 'text', 'tok', 'corpus'),
      edge('text', 'text', 'tok', 'text'),
      edge('tok', 'tokens', 'ids', 'tokens'),
      edge('tok', 'tokenizer', 'ids', 'tokenizer'),
      edge('ids', 'ids', 'decode', 'ids'),
      edge('tok', 'tokenizer', 'decode', 'tokenizer'),
      edge('text', 'text', 'decode', 'original'),
      edge('text', 'text', 'compare', 'text'),
      edge('tok', 'tokenizer', 'compare', 'a'),
    ],
  };
}

const run = (doc: GraphDoc) => execute(doc, { registry, cache: createRecipeCache(), where: 'server', resources: nodeResources });
type Done = { status: 'done'; view: Record<string, unknown>; outputs: Record<string, unknown> };
const outcome = (report: Awaited<ReturnType<typeof run>>, id: string) => {
  const o = report.outcomes.get(id) as Done | { status: string; message?: string };
  expect(o.status, JSON.stringify(o)).toBe('done');
  return o as Done;
};

describe('trained WordPiece and Unigram tokenizers in a graph', () => {
  it('WordPiece: [CLS] … [SEP] from the IDs node, decoded back to the lowercased sentence, compared with GPT-2', async () => {
    const report = await run(graph('wordpiece', 'cls-sep'));
    const ids = (outcome(report, 'ids').outputs.ids as { ids: number[] }).ids;
    expect(ids[0]).toBe(2); // [CLS]: specials are [PAD] [UNK] [CLS] [SEP] [MASK]
    expect(ids.at(-1)).toBe(3);
    const decoded = outcome(report, 'decode').view as { text: string };
    expect(decoded.text).toContain('the people of the united states are');
    const compare = outcome(report, 'compare').view as { kinds: { label: string }[] };
    expect(compare.kinds.map((k) => k.label)).toEqual(['WordPiece (trained)', 'GPT-2']);
    const view = outcome(report, 'tok').view as { traces: { word: string; pieces: string[] | null }[]; training: { merges: number } };
    expect(view.training.merges).toBeGreaterThan(100);
    expect(view.traces.find((t) => t.word === 'unaffable')?.pieces?.join('')).toMatch(/^un/);
  });

  it('Unigram: <s> … </s> from the IDs node, the exact sentence back from Decode, a lattice for one word', async () => {
    const report = await run(graph('unigram', 'bos-eos'));
    const ids = (outcome(report, 'ids').outputs.ids as { ids: number[] }).ids;
    expect(ids[0]).toBe(1);
    expect(ids.at(-1)).toBe(2);
    const decoded = outcome(report, 'decode').view as { text: string };
    expect(decoded.text).toContain(sentence.slice(0, 30));
    const view = outcome(report, 'tok').view as { lattice: { word: string; best: string[] }; rounds: { size: number }[] };
    expect(view.lattice.word).toBe('▁The');
    expect(view.lattice.best.join('')).toBe('▁The');
    expect(view.rounds[0]!.size).toBeGreaterThan(view.rounds.at(-1)!.size);
    const lattice = registry.unigram!.query!({ outputs: outcome(report, 'tok').outputs as never, details: undefined }, { lattice: 'unaffable' }) as { best: string[] };
    expect(lattice.best.join('')).toBe('▁unaffable');
  });

  it('explains a bad setting in a sentence about the graph', async () => {
    const report = await run(graph('unigram', 'as-is', { vocabSize: 20 }));
    const tok = report.outcomes.get('tok') as { status: string; message: string };
    expect(tok.status).toBe('error');
    expect(tok.message).toMatch(/raise the vocabulary size to \d+/);
  });

  it('warns the Transformer that these IDs are not its tokenizer’s', () => {
    for (const label of ['WordPiece (trained)', 'Unigram (trained)']) {
      expect(mismatchWarning({ ids: [1, 2], tokenizer: label, attentionMask: [1, 1] }, SHIPPED_MODEL)).toMatch(new RegExp(`These IDs come from ${label.replace(/[()]/g, '\\$&')}`));
    }
  });
});

describe('the BPE vs WordPiece vs Unigram template', () => {
  it('cuts the unseen sentence with all three, counts tokens per word, and lists pieces only one learned', async () => {
    const { TEMPLATES } = await import('@/nodes/templates');
    const doc = TEMPLATES.find((t) => t.id === 'three-algorithms')!.doc;
    const report = await run(doc);
    const view = outcome(report, 'compare').view as { kinds: { label: string; tokensPerWord: number; onlyHere: string[] | null }[] };
    expect(view.kinds.map((k) => k.label)).toEqual(['BPE (trained)', 'WordPiece (trained)', 'Unigram (trained)']);
    for (const k of view.kinds) {
      expect(k.tokensPerWord).toBeGreaterThan(1);
      expect(k.onlyHere!.length).toBeGreaterThan(0);
    }
  });
});

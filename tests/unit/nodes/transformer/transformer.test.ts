import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type ViewOf } from '@/nodes';
import { SHIPPED_MODEL } from '@/nodes/shared/model-ref';
import { findTemplate } from '@/nodes/templates';
import { EMBEDDING_DIMS_SHOWN } from '@/nodes/transformer/transformer';
import { findEmbeddingTable, readInitializers } from '@/nodes/shared/onnx/initializers';
import { chooseNext, seededRandom, softmax, topCandidates } from '@/nodes/transformer/sampling';
import { generateIds } from '@/nodes/generate/generate';
import { doc, done, modelRefs, pipeline, run } from './model-graphs';

interface Reference {
  prompts: {
    prompt: string;
    input_ids: number[];
    top5: { id: number; token: string; prob: number }[];
    greedy: { ids: number[]; text: string };
  }[];
}
const reference = JSON.parse(readFileSync('public/models/tokenloom-tiny/reference.json', 'utf8')) as Reference;
const onnxBytes = new Uint8Array(readFileSync('public/models/tokenloom-tiny/onnx/model.onnx'));
const config = JSON.parse(readFileSync('public/models/tokenloom-tiny/config.json', 'utf8')) as { n_layer: number; n_head: number; n_embd: number };

describe('the Transformer node on the shipped model (Node, onnxruntime-node)', () => {
  for (const ref of reference.prompts) {
    it(`gives the reference top-5 for "${ref.prompt}" within 1e-4`, async () => {
      const report = await run(pipeline(ref.prompt, ['model', 'transformer', { topK: 5 }]));
      const { view } = done<ViewOf<'transformer'>>(report.outcomes.get('model'));
      expect(view.ids).toEqual(ref.input_ids);
      expect(view.backend).toBe('cpu');
      const top = view.topK[0]!;
      expect(top.position).toBe(ref.input_ids.length - 1);
      expect(top.candidates.map((c) => [c.id, c.token])).toEqual(ref.top5.map((c) => [c.id, c.token]));
      top.candidates.forEach((c, i) => expect(Math.abs(c.prob - ref.top5[i]!.prob)).toBeLessThan(1e-4));
      expect(view.warning).toBeNull();
    });
  }

  for (const ref of reference.prompts) {
    it(`continues "${ref.prompt}" greedily exactly as the reference (20 tokens, KV cache)`, async () => {
      const report = await run(pipeline(ref.prompt, ['gen', 'generate', { strategy: 'greedy', maxNewTokens: 20, stopAtEos: false }]));
      const { view, outputs } = done<ViewOf<'generate'>>(report.outcomes.get('gen'));
      expect(view.steps.map((s) => s.id)).toEqual(ref.greedy.ids);
      expect(view.text).toBe(ref.greedy.text);
      const ids = outputs.ids as { ids: number[]; tokenizer: string };
      expect(ids.ids).toEqual([...ref.input_ids, ...ref.greedy.ids]);
      expect(ids.tokenizer).toBe('GPT-2');
      expect(view.stopped).toBe('length');
    });
  }

  it('the pipeline template decodes the generated IDs back to the reference text', async () => {
    const report = await run(findTemplate('pipeline')!.doc);
    const { view } = done<ViewOf<'decode'>>(report.outcomes.get('decode'));
    const iLove = reference.prompts.find((p) => p.prompt === 'I love')!;
    expect(view.text).toBe(`I love${iLove.greedy.text}`);
  });

  it('shows attention rows that sum to 1 and never look ahead, for every layer and head', async () => {
    const report = await run(pipeline('The state of the Union is', ['model', 'transformer', {}]));
    const { view } = done<ViewOf<'transformer'>>(report.outcomes.get('model'));
    const attention = view.attention!;
    expect(attention.tokens).toEqual(['The', 'Ġstate', 'Ġof', 'Ġthe', 'ĠUnion', 'Ġis']);
    expect(attention.layers).toHaveLength(config.n_layer);
    for (const layer of attention.layers) {
      expect(layer).toHaveLength(config.n_head);
      for (const head of layer) {
        head.forEach((row, r) => {
          expect(Math.abs(row.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(0.01);
          row.slice(r + 1).forEach((w) => expect(w).toBe(0));
        });
      }
    }
    // The first token can only look at itself.
    expect(attention.layers[0]![0]![0]![0]).toBe(1);
  });

  it('predicts at a clicked position exactly what it predicts for the prompt cut there (causality)', async () => {
    const long = done<ViewOf<'transformer'>>((await run(pipeline('I love', ['model', 'transformer', { position: 0 }]))).outcomes.get('model')).view;
    const short = done<ViewOf<'transformer'>>((await run(pipeline('I', ['model', 'transformer', {}]))).outcomes.get('model')).view;
    expect(long.topK).toHaveLength(2);
    expect(long.topK[1]!.position).toBe(0);
    const a = long.topK[1]!.candidates;
    const b = short.topK[0]!.candidates;
    expect(a.map((c) => c.id)).toEqual(b.map((c) => c.id));
    a.forEach((c, i) => expect(Math.abs(c.prob - b[i]!.prob)).toBeLessThan(1e-5));
    // The embedding shown is the clicked token's row ('I' = 40): its first EMBEDDING_DIMS_SHOWN
    // numbers, and the length of all of them.
    expect(long.embedding).toMatchObject({ position: 0, id: 40, token: 'I', width: config.n_embd });
    const values = long.embedding!.values;
    expect(values).toHaveLength(Math.min(config.n_embd, EMBEDDING_DIMS_SHOWN));
    const row = findEmbeddingTable(onnxBytes, 50257)!.row(40);
    expect(Math.abs(Math.hypot(...row) - long.embedding!.norm)).toBeLessThan(1e-3);
    values.forEach((v, i) => expect(Math.abs(v - row[i]!)).toBeLessThan(1e-4));
  });

  it('warns plainly when BERT IDs are wired into the GPT-2-family model, and still runs', async () => {
    const report = await run(pipeline('I love NLP', ['model', 'transformer', {}], 'bert-base-uncased'));
    const { view } = done<ViewOf<'transformer'>>(report.outcomes.get('model'));
    expect(view.ids).toEqual([101, 1045, 2293, 17953, 2361, 102]);
    expect(view.warning).toMatch(/come from BERT.*reads GPT-2 IDs/);
    // What the model reads instead: GPT-2's tokens with BERT's numbers.
    expect(view.tokens[1]).not.toBe('i');
    expect(view.idsTokenizer).toBe('BERT');
  });

  it('fails with a clear message when an ID is outside the vocabulary', async () => {
    const report = await run(
      doc([['ids', 'fixed-ids', { ids: [40, 60000], tokenizer: 'TinyLlama' }], ['model', 'transformer', {}]], [['ids', 'ids', 'model', 'ids']]),
    );
    const outcome = report.outcomes.get('model') as { status: string; message: string };
    expect(outcome.status).toBe('error');
    expect(outcome.message).toMatch(/ID 60000 .* outside tokenloom-tiny.*50,257/);
  });

  it('refuses a hub model when remote loading is off, naming the shipped model', async () => {
    const report = await run(pipeline('I love', ['model', 'transformer', { model: 'hub', hubId: 'Xenova/distilgpt2' }]));
    const outcome = report.outcomes.get('model') as { status: string; message: string };
    expect(outcome.status).toBe('error');
    expect(outcome.message).toMatch(/not shipped.*tokenloom-tiny/);
  });

  it('runs fine-tuned ONNX bytes from the model port: same bytes, same top-5; a changed embedding row, another prediction', async () => {
    const table = [...readInitializers(onnxBytes).values()].find((t) => t.dims[0] === 50257 && t.dims.length === 2)!;
    // Patch: make 'Ġlove' (1842) embed exactly like 'Ġthe' (262): "I love" must then predict like "I the".
    const patched = onnxBytes.slice();
    const start = table.offset;
    const width = table.dims[1]!;
    patched.copyWithin(start + 1842 * width * 4, start + 262 * width * 4, start + 263 * width * 4);
    modelRefs.set('same', { ...SHIPPED_MODEL, label: 'same bytes', onnx: onnxBytes, weightsId: 'test-same' });
    modelRefs.set('patched', { ...SHIPPED_MODEL, label: 'patched', onnx: patched, weightsId: 'test-patched' });
    const withModel = (ref: string, text: string) => {
      const g = pipeline(text, ['model', 'transformer', {}]);
      g.nodes.push({ id: 'm', type: 'fixed-model', params: { ref }, position: { x: 0, y: 0 } });
      g.edges.push({ id: 'm-model', source: 'm', sourcePort: 'model', target: 'model', targetPort: 'model' });
      return g;
    };
    const same = done<ViewOf<'transformer'>>((await run(withModel('same', 'I love'))).outcomes.get('model')).view;
    expect(same.fineTuned).toBe(true);
    expect(same.model).toBe('same bytes');
    expect(same.topK[0]!.candidates.map((c) => c.id)).toEqual(reference.prompts[0]!.top5.map((c) => c.id));

    const patchedView = done<ViewOf<'transformer'>>((await run(withModel('patched', 'I love'))).outcomes.get('model')).view;
    const theView = done<ViewOf<'transformer'>>((await run(pipeline('I the', ['model', 'transformer', {}]))).outcomes.get('model')).view;
    expect(patchedView.topK[0]!.candidates.map((c) => c.id)).not.toEqual(same.topK[0]!.candidates.map((c) => c.id));
    expect(patchedView.topK[0]!.candidates.map((c) => c.id)).toEqual(theView.topK[0]!.candidates.map((c) => c.id));
    expect(patchedView.embedding!.values).toEqual(theView.embedding!.values);
  });
});

describe('sampling rules', () => {
  it('softmax sums to 1 and keeps the order of the logits', () => {
    const p = softmax([1, 3, 2]);
    expect(p[0]! + p[1]! + p[2]!).toBeCloseTo(1, 12);
    expect(topCandidates(p, 3).map((c) => c.id)).toEqual([1, 2, 0]);
  });

  it('greedy takes the argmax; top-k 1 sampling does too; top-p keeps the smallest set reaching p', () => {
    const logits = [0, Math.log(6), Math.log(3), Math.log(1)]; // probabilities 1/11, 6/11, 3/11, 1/11
    const rng = seededRandom(1);
    expect(chooseNext(logits, { strategy: 'greedy', temperature: 1, topK: 0, topP: 1 }, rng).id).toBe(1);
    for (let i = 0; i < 20; i++) expect(chooseNext(logits, { strategy: 'sample', temperature: 1, topK: 1, topP: 1 }, rng).id).toBe(1);
    const pool = chooseNext(logits, { strategy: 'sample', temperature: 1, topK: 0, topP: 0.8 }, rng).pool;
    expect(pool).toBe(2); // 6/11 + 3/11 = 0.818 ≥ 0.8
  });

  it('the seeded generator is repeatable and spreads over [0, 1)', () => {
    const a = seededRandom(123);
    const b = seededRandom(123);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(xs.filter((x) => x < 0.5).length).toBeGreaterThan(450);
    expect(xs.filter((x) => x < 0.5).length).toBeLessThan(550);
  });

  it('generateIds stops at end-of-text and keeps it', async () => {
    // A fake model: after any input, token 2 is the most likely; token 2 is EOS.
    const feed = async () => Float32Array.from([0, 1, 5]);
    const out = await generateIds({ prompt: [0], feed, rule: { strategy: 'greedy', temperature: 1, topK: 0, topP: 1 }, maxNew: 10, eosId: 2, random: Math.random });
    expect(out).toMatchObject({ stopped: 'eos', steps: [{ id: 2 }] });
  });
});

describe('reading the embedding table from ONNX bytes', () => {
  it('finds the [50257, width] float matrix and reads rows of it', () => {
    const table = findEmbeddingTable(onnxBytes, 50257)!;
    expect([table.rows, table.cols]).toEqual([50257, config.n_embd]);
    expect(table.row(40)).not.toEqual(table.row(1842));
    expect(() => table.row(50257)).toThrow(/outside/);
    expect(findEmbeddingTable(onnxBytes, 12345)).toBeNull();
  });
});

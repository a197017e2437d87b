import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRecipeCache } from '@/nodes/engine/cache';
import { execute, type NodeOutcome } from '@/nodes/engine/executor';
import { loadTf, type LoadedTf } from '@/nodes/finetune/backend';
import { Gpt2, configFromInitializers } from '@/nodes/finetune/gpt2';
import { readInitializers, replaceInitializers } from '@/nodes/shared/onnx/initializers';
import { evenStarts, padStream } from '@/nodes/finetune/finetune';
import { finetuneNode, type FinetuneDetails } from '@/nodes/finetune';
import type { ModelRef } from '@/nodes/shared/model-ref';
import { nodeKinds } from '@/nodes';
import type { Registry } from '@/nodes/engine/validate';
import { graph, nodeResources } from '../../engine/fixtures';

const MODEL = resolve('public/models/tokenloom-tiny/onnx/model.onnx');
const CONFIG = JSON.parse(readFileSync('public/models/tokenloom-tiny/config.json', 'utf8')) as { n_layer: number; n_head: number; n_embd: number; n_positions: number };
const registry: Registry = { ...nodeKinds, finetune: finetuneNode };

/** onnxruntime's logits [T, V] for one prompt (empty KV cache), the reference the tfjs model must match. */
async function ortLogits(bytes: Uint8Array, ids: number[]): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  const t = ids.length;
  const int64 = (values: number[]) => new ort.Tensor('int64', BigInt64Array.from(values.map(BigInt)), [1, values.length]);
  const feeds: Record<string, ort.Tensor> = {
    input_ids: int64(ids),
    attention_mask: int64(ids.map(() => 1)),
    position_ids: int64(ids.map((_, i) => i)),
  };
  for (let layer = 0; layer < CONFIG.n_layer; layer++) {
    for (const kind of ['key', 'value'])
      feeds[`past_key_values.${layer}.${kind}`] = new ort.Tensor('float32', new Float32Array(0), [1, CONFIG.n_head, 0, CONFIG.n_embd / CONFIG.n_head]);
  }
  const out = await session.run(feeds, ['logits']);
  await session.release();
  const logits = out.logits!;
  expect(logits.dims).toEqual([1, t, 50257]);
  return logits.data as Float32Array;
}

async function tfLogits(loaded: LoadedTf, bytes: Uint8Array, ids: number[]): Promise<Float32Array> {
  const inits = readInitializers(bytes);
  const model = new Gpt2(loaded.tf, inits, configFromInitializers(inits, 'tokenloom-tiny'));
  const logits = loaded.tf.tidy(() => model.logits(loaded.tf.tensor2d([ids], [1, ids.length], 'int32')));
  const data = (await logits.data()) as Float32Array;
  logits.dispose();
  model.dispose();
  return data;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

const FINE_TUNE_TEXT =
  'Tokenizers turn text into numbers. A tokenizer is trained once and then frozen. Fine-tuning changes the weights of the model, never its vocabulary. ';

async function runFinetune(params: Record<string, unknown>): Promise<{ details: FinetuneDetails; model: ModelRef }> {
  const doc = graph([['text', 'text', { text: FINE_TUNE_TEXT.repeat(3) }], ['ft', 'finetune', params]], [['text', 'ft']]);
  const report = await execute(doc, { registry, cache: createRecipeCache(), where: 'server', resources: nodeResources });
  const outcome = report.outcomes.get('ft') as NodeOutcome;
  if (outcome.status !== 'done') throw new Error(`fine-tune did not finish: ${JSON.stringify(outcome)}`);
  return { details: outcome.view as FinetuneDetails, model: outcome.outputs.model as ModelRef };
}

describe('ONNX initializers', () => {
  const bytes = new Uint8Array(readFileSync(MODEL));

  it('reads every weight of the shipped model with its shape', () => {
    const inits = readInitializers(bytes);
    // wte, wpe, 12 per block (two LayerNorms, two linear layers each in attention and MLP, weights and biases), ln_f's two.
    expect(inits.size).toBe(4 + 12 * CONFIG.n_layer);
    const width = CONFIG.n_embd;
    expect(inits.get('transformer.wte.weight')!.dims).toEqual([50257, width]);
    expect(inits.get('transformer.h.1.attn.c_attn.weight')!.dims).toEqual([width, 3 * width]);
    expect(inits.get('transformer.ln_f.bias')!.data!.length).toBe(width);
  });

  it('replaces an initializer in a copy of the bytes and leaves every other byte alone', () => {
    const before = readInitializers(bytes).get('transformer.wpe.weight')!;
    const values = new Float32Array(before.data!.length).map((_, i) => i / 7);
    const patched = replaceInitializers(bytes, new Map([['transformer.wpe.weight', values]]));
    expect(patched.length).toBe(bytes.length);
    expect(readInitializers(patched).get('transformer.wpe.weight')!.data).toEqual(values);
    let changed = 0;
    for (let i = 0; i < bytes.length; i++) if (bytes[i] !== patched[i]) changed++;
    expect(changed).toBeGreaterThan(0);
    expect(changed).toBeLessThanOrEqual(before.byteLength);
    expect(readInitializers(bytes).get('transformer.wpe.weight')!.data).toEqual(before.data); // the original is untouched
  });

  it('refuses a replacement of the wrong size or an unknown name', () => {
    expect(() => replaceInitializers(bytes, new Map([['transformer.wpe.weight', new Float32Array(3)]]))).toThrow(new RegExp(`holds ${CONFIG.n_positions * CONFIG.n_embd} values; 3 were given`));
    expect(() => replaceInitializers(bytes, new Map([['nope', new Float32Array(3)]]))).toThrow(/no initializer 'nope'/);
  });
});

describe('training data', () => {
  it('repeats a stream shorter than one window, joined by end-of-text', () => {
    expect(padStream([1, 2], 5, 0)).toEqual([1, 2, 0, 1, 2, 0]);
    expect(padStream([1, 2, 3], 3, 0)).toEqual([1, 2, 3]);
  });

  it('spreads evaluation windows evenly, the last ending at the stream’s end', () => {
    expect(evenStarts(100, 10, 4)).toEqual([0, 30, 60, 90]);
    expect(evenStarts(5, 10, 4)).toEqual([0]);
  });
});

describe('fine-tuning tokenloom-tiny in tfjs (wasm)', () => {
  let loaded: LoadedTf;
  const bytes = new Uint8Array(readFileSync(MODEL));
  beforeAll(async () => {
    loaded = await loadTf('auto', 'server');
  });

  it('runs on wasm in Node', () => {
    expect(loaded.backend).toBe('wasm');
    expect(loaded.tf.getBackend()).toBe('wasm');
  });

  it('gives the logits onnxruntime gives for the shipped model (≤ 1e-4)', async () => {
    for (const ids of [[40, 1842], [464, 1181, 286, 262, 4479, 318], [1135, 262, 661, 290, 11, 13, 50256, 40]]) {
      expect(maxAbsDiff(await tfLogits(loaded, bytes, ids), await ortLogits(bytes, ids))).toBeLessThan(1e-4);
    }
  });

  it('five seeded steps lower the fine-tune loss, move the watched rows and leave the watch text’s IDs unchanged', async () => {
    const tensorsBefore = loaded.tf.memory().numTensors;
    const { details, model } = await runFinetune({ steps: 5, batchSize: 2, seqLength: 16, learningRate: 3e-3, watchText: 'I love NLP', seed: 7 });
    expect(loaded.tf.memory().numTensors).toBe(tensorsBefore); // nothing left behind in the worker
    expect(details.backend).toBe('wasm');
    expect(details.history).toHaveLength(6);
    expect(details.history[5]!.fineTuneLoss).toBeLessThan(details.history[0]!.fineTuneLoss - 0.1);
    expect(details.watch.before.map((t) => t.id)).toEqual([40, 1842, 399, 19930]);
    expect(details.watch.after.map((t) => t.id)).toEqual([40, 1842, 399, 19930]);
    expect(details.watch.identical).toBe(true);
    expect(details.watchedRows.map((r) => r.piece)).toEqual(['I', 'Ġlove', 'ĠN', 'LP']);
    for (const row of details.watchedRows) expect(row.change).toBeGreaterThan(1e-4);
    expect(details.history[5]!.watchedChange).toBeGreaterThan(0);
    expect(details.attention).toHaveLength(CONFIG.n_layer * CONFIG.n_head); // one per layer and head
    for (const m of details.attention) expect(m.change).toBeGreaterThan(0);
    expect(details.probeBefore).toHaveLength(5);

    // The output is the same model with new weights, in ONNX bytes.
    expect(model.name).toBe('tokenloom-tiny');
    expect(model.label).toBe('tokenloom-tiny fine-tuned (5 steps)');
    expect(model.weightsId).toMatch(/^tokenloom-tiny-ft-[0-9a-f]{12}$/);
    expect(model.onnx!.length).toBe(bytes.length);

    // …which onnxruntime loads, giving the logits tfjs gives for the trained weights, not the old ones.
    const prompt = [40, 1842, 399, 19930, 13];
    const tuned = await ortLogits(model.onnx!, prompt);
    expect(maxAbsDiff(tuned, await tfLogits(loaded, model.onnx!, prompt))).toBeLessThan(1e-4);
    expect(maxAbsDiff(tuned, await ortLogits(bytes, prompt))).toBeGreaterThan(1e-2);
  });

  it('with the embedding frozen, the embedding rows stay exactly where they were while attention moves', async () => {
    const { details, model } = await runFinetune({ steps: 2, batchSize: 1, seqLength: 8, freezeEmbedding: true, seed: 3 });
    for (const row of details.watchedRows) expect(row.change).toBe(0);
    expect(details.history[2]!.meanRowChange).toBe(0);
    expect(details.attention.some((m) => m.change > 0)).toBe(true);
    expect(details.watch.identical).toBe(true);
    const table = (b: Uint8Array) => readInitializers(b).get('transformer.wte.weight')!.data!;
    expect(maxAbsDiff(table(model.onnx!), table(bytes))).toBe(0);
    const blockWeights = (b: Uint8Array) => readInitializers(b).get('transformer.h.0.attn.c_attn.weight')!.data!;
    expect(maxAbsDiff(blockWeights(model.onnx!), blockWeights(bytes))).toBeGreaterThan(0);
  });

  it('stops between steps when the run is cancelled', async () => {
    const controller = new AbortController();
    const doc = graph([['text', 'text', { text: FINE_TUNE_TEXT }], ['ft', 'finetune', { steps: 200, batchSize: 1, seqLength: 8 }]], [['text', 'ft']]);
    const steps: number[] = [];
    const report = await execute(doc, {
      registry,
      cache: createRecipeCache(),
      where: 'server',
      resources: nodeResources,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type !== 'node:progress' || !e.message?.startsWith('Step')) return;
        steps.push(Number(/Step (\d+)/.exec(e.message)![1]));
        if (steps.length === 2) controller.abort();
      },
    });
    expect(report.cancelled).toBe(true);
    expect(Math.max(...steps)).toBeLessThan(5);
  });
});

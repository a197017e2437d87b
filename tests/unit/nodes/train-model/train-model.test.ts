import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTf, type LoadedTf } from '@/nodes/finetune/backend';
import { initialWeights, type Gpt2Config } from '@/nodes/finetune/gpt2';
import { gpt2Onnx } from '@/nodes/shared/onnx/gpt2-onnx';
import { readInitializers, replaceInitializers } from '@/nodes/shared/onnx/initializers';
import { Trainer, learningRateAt, type TrainOptions } from '@/nodes/train-model/train';
import { baselines } from '@/nodes/train-model/baselines';
import { checkVocabulary, presetSpec, splitCorpus } from '@/nodes/train-model/presets';
import { AbortError } from '@/nodes/engine/executor';
import { trainBpe } from '@/nodes/bpe/train-bpe';
import { bpeEncoderFor } from '@/nodes/shared/tokenizer-ref';
import { SOTU_1862_EXCERPT } from '@/nodes/text/corpus-sample';

const CONFIG: Gpt2Config = { nLayer: 2, nHead: 4, nEmbd: 32, nPositions: 32, vocabSize: 400, layerNormEps: 1e-5 };
const OPTIONS: TrainOptions = { batchSize: 4, learningRate: 3e-3, seed: 3, evalEvery: 5, sampleEvery: 5, sampleTokens: 6 };

let loaded: LoadedTf;
let ids: number[];
beforeAll(async () => {
  loaded = await loadTf('wasm', 'server');
  const bpe = await trainBpe(SOTU_1862_EXCERPT, { vocabSize: CONFIG.vocabSize, specialTokens: ['<|endoftext|>'] });
  ids = bpeEncoderFor(bpe).encodeTokens(SOTU_1862_EXCERPT).map((t) => t.id);
}, 60_000);

function data() {
  const { train, heldOut } = splitCorpus(ids, CONFIG.nPositions);
  return { trainIds: train, heldOutIds: heldOut, promptIds: ids.slice(0, 3) };
}

async function weightsOf(trainer: Trainer): Promise<Map<string, Float32Array>> {
  return new Map([...(await trainer.weights())].map(([name, w]) => [name, w.data]));
}

/** onnxruntime-node's logits [T, V] for a prompt with an empty KV cache, and the present keys/values. */
async function ortRun(session: ort.InferenceSession, config: Gpt2Config, input: number[], past?: Record<string, ort.Tensor>, pastLength = 0) {
  const int64 = (values: number[]) => new ort.Tensor('int64', BigInt64Array.from(values.map(BigInt)), [1, values.length]);
  const hd = config.nEmbd / config.nHead;
  const feeds: Record<string, ort.Tensor> = {
    input_ids: int64(input),
    attention_mask: int64(Array.from({ length: pastLength + input.length }, () => 1)),
    position_ids: int64(input.map((_, i) => pastLength + i)),
  };
  for (let layer = 0; layer < config.nLayer; layer++) {
    for (const kind of ['key', 'value']) {
      feeds[`past_key_values.${layer}.${kind}`] = past?.[`present.${layer}.${kind}`] ?? new ort.Tensor('float32', new Float32Array(0), [1, config.nHead, 0, hd]);
    }
  }
  return session.run(feeds);
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

describe('training a GPT from scratch', () => {
  it('lowers the held-out loss in a few seeded steps, from about ln(vocab) at the start', async () => {
    const trainer = new Trainer(loaded.tf, CONFIG, data(), OPTIONS);
    try {
      await trainer.trainTo(15);
      const start = trainer.history[0]!.heldOutLoss!;
      expect(Math.abs(start - Math.log(CONFIG.vocabSize))).toBeLessThan(0.2);
      expect(trainer.history.at(-1)!.heldOutLoss!).toBeLessThan(start - 0.5);
      expect(trainer.history.at(-1)!.trainLoss).toBeLessThan(trainer.history[0]!.trainLoss);
      expect(trainer.samples.map((s) => s.step)).toEqual([0, 5, 10, 15]);
      expect(trainer.samples.every((s) => s.ids.length === OPTIONS.sampleTokens)).toBe(true);
    } finally {
      trainer.dispose();
    }
  }, 60_000);

  it('gives the same weights for the same seed, and other weights for another seed', async () => {
    const runs = [OPTIONS, OPTIONS, { ...OPTIONS, seed: 4 }].map((o) => new Trainer(loaded.tf, CONFIG, data(), o));
    try {
      for (const t of runs) await t.trainTo(3);
      const [a, b, c] = await Promise.all(runs.map(weightsOf));
      expect(b).toEqual(a);
      expect(c!.get('transformer.wte.weight')).not.toEqual(a!.get('transformer.wte.weight'));
    } finally {
      runs.forEach((t) => t.dispose());
    }
  }, 60_000);

  it('resumed after a stop, ends with exactly the weights of an uninterrupted run (learning rate decaying)', async () => {
    const decaying = { ...OPTIONS, decaySteps: 8 };
    const whole = new Trainer(loaded.tf, CONFIG, data(), decaying);
    const split = new Trainer(loaded.tf, CONFIG, data(), { ...decaying, evalEvery: 2, sampleEvery: 3 });
    try {
      await whole.trainTo(8);
      let checks = 0;
      const stopAtFour = async () => {
        if (++checks === 5) throw new AbortError();
      };
      await expect(split.trainTo(8, { checkpoint: stopAtFour })).rejects.toThrow(AbortError);
      expect(split.step).toBe(4);
      await split.trainTo(8);
      expect(split.step).toBe(8);
      expect(await weightsOf(split)).toEqual(await weightsOf(whole));
      expect(split.history.map((h) => h.trainLoss)).toEqual(whole.history.map((h) => h.trainLoss));
    } finally {
      whole.dispose();
      split.dispose();
    }
  }, 60_000);
});

describe('the learning-rate schedule', () => {
  it('starts at the peak, falls along a cosine to a tenth at decaySteps, then stays there', () => {
    const o = { learningRate: 3e-3, decaySteps: 300 };
    expect(learningRateAt(o, 1)).toBe(3e-3);
    expect(learningRateAt(o, 300)).toBeCloseTo(3e-4, 12);
    expect(learningRateAt(o, 1000)).toBeCloseTo(3e-4, 12);
    // Half-way: half-way between the peak and the floor.
    expect(learningRateAt(o, 150.5)).toBeCloseTo(1.65e-3, 12);
    const rates = Array.from({ length: 400 }, (_, i) => learningRateAt(o, i + 1));
    expect(rates.every((r, i) => i === 0 || r <= rates[i - 1]!)).toBe(true);
  });

  it('is flat at the peak without decaySteps, and for a one-step run', () => {
    expect(learningRateAt({ learningRate: 1e-3 }, 50)).toBe(1e-3);
    expect(learningRateAt({ learningRate: 1e-3, decaySteps: 1 }, 1)).toBe(1e-3);
  });

  it('changes the weights against a flat rate: the schedule reaches the optimiser', async () => {
    const flat = new Trainer(loaded.tf, CONFIG, data(), OPTIONS);
    const decaying = new Trainer(loaded.tf, CONFIG, data(), { ...OPTIONS, decaySteps: 3 });
    try {
      await flat.trainTo(3);
      await decaying.trainTo(3);
      // Step 1 runs at the peak in both; steps 2 and 3 do not.
      expect(decaying.history[1]!.trainLoss).toBe(flat.history[1]!.trainLoss);
      expect((await weightsOf(decaying)).get('transformer.wte.weight')).not.toEqual((await weightsOf(flat)).get('transformer.wte.weight'));
    } finally {
      flat.dispose();
      decaying.dispose();
    }
  }, 60_000);
});

describe('the exported ONNX', () => {
  it('gives the tfjs model’s logits in onnxruntime-node within 1e-4, with and without the KV cache', async () => {
    const config: Gpt2Config = { ...CONFIG, nEmbd: 48 };
    const trainer = new Trainer(loaded.tf, config, data(), OPTIONS);
    try {
      await trainer.trainTo(4);
      const bytes = gpt2Onnx(config, await trainer.weights());
      const session = await ort.InferenceSession.create(bytes);
      const prompt = ids.slice(10, 30);
      const tf = loaded.tf;
      const expected = tf.tidy(() => trainer.model.logits(tf.tensor2d([prompt], [1, prompt.length], 'int32')));
      const want = (await expected.data()) as Float32Array;
      expected.dispose();

      const full = await ortRun(session, config, prompt);
      expect(full.logits!.dims).toEqual([1, prompt.length, config.vocabSize]);
      expect(maxAbsDiff(full.logits!.data as Float32Array, want)).toBeLessThan(1e-4);
      expect(full['attentions.1']!.dims).toEqual([1, 4, prompt.length, prompt.length]);

      // The first 15 tokens, then the last 5 with the cache: the same logits for those 5.
      const head = await ortRun(session, config, prompt.slice(0, 15));
      const tail = await ortRun(session, config, prompt.slice(15), head, 15);
      const v = config.vocabSize;
      expect(maxAbsDiff(tail.logits!.data as Float32Array, want.subarray(15 * v))).toBeLessThan(1e-4);
      await session.release();
    } finally {
      trainer.dispose();
    }
  }, 60_000);

  it('keeps the Fine-tune node’s initializer layout: names, shapes and in-place replacement', () => {
    const weights = initialWeights(CONFIG, 1);
    const bytes = gpt2Onnx(CONFIG, weights);
    const inits = readInitializers(bytes);
    expect(inits.get('transformer.wte.weight')!.dims).toEqual([400, 32]);
    expect(inits.get('transformer.h.1.mlp.c_fc.weight')!.dims).toEqual([32, 128]);
    expect(inits.get('transformer.wte.weight')!.data).toEqual(weights.get('transformer.wte.weight')!.data);
    const zeros = new Float32Array(32);
    const patched = replaceInitializers(bytes, new Map([['transformer.ln_f.bias', zeros.fill(0.5)]]));
    expect(readInitializers(patched).get('transformer.ln_f.bias')!.data).toEqual(zeros);
  });
});

describe('what the node refuses, in words', () => {
  it('refuses a corpus shorter than two context windows, saying how long it is and what it needs', () => {
    expect(() => splitCorpus([1, 2, 3], 64)).toThrow('The corpus is 3 tokens long, but this model reads 64 tokens at a time: it needs at least 130');
  });

  it('refuses a vocabulary over the tiny preset’s cap and points to the small preset; takes it on small', () => {
    const tiny = presetSpec('tiny', { layers: 1, width: 32, context: 64 });
    const small = presetSpec('small', { layers: 1, width: 32, context: 64 });
    expect(() => checkVocabulary(50257, 'tiny', tiny, 'GPT-2')).toThrow('GPT-2 has 50,257 tokens, and the tiny preset takes at most 8,000');
    expect(() => checkVocabulary(50257, 'tiny', tiny, 'GPT-2')).toThrow('Choose the small preset');
    expect(() => checkVocabulary(50257, 'small', small, 'GPT-2')).not.toThrow();
    expect(() => checkVocabulary(8000, 'tiny', tiny, 'BPE')).not.toThrow();
    expect(() => checkVocabulary(8001, 'tiny', tiny, 'BPE')).toThrow('at most 8,000');
    expect(() => checkVocabulary(60000, 'small', small, 'Big')).toThrow('more than any preset here takes');
  });
});

describe('baselines', () => {
  it('scores a perfectly alternating text near zero with the bigram and near ln 2 with the unigram', () => {
    const b = baselines([0, 1, 0, 1, 0, 1, 0, 1], [0, 1, 0, 1], 2);
    expect(b.bigram).toBeLessThan(0.1);
    expect(Math.abs(b.unigram - Math.log(2))).toBeLessThan(1e-9);
    expect(b.lambda).toBeCloseTo(0.95);
  });

  it('never gives infinity for a pair or token unseen in training', () => {
    const b = baselines([0, 0, 0], [2, 1, 2], 3);
    expect(Number.isFinite(b.unigram) && Number.isFinite(b.bigram)).toBe(true);
  });
});

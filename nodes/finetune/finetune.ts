/**
 * Fine-tune GPT-2 weights on token ids with Adam, and record after every step what changed:
 * the loss on the fine-tune text and on text from the model's original corpus, how far the
 * embedding rows of watched tokens moved, how far each attention matrix moved, and the top-5
 * next tokens for a probe prompt. Returns the weights written back into a copy of the ONNX bytes.
 *
 * Deterministic for a seed: batches are windows drawn with mulberry32, and the evaluation windows
 * are fixed, evenly spaced ones.
 *
 *   const result = await finetune(tf, { modelBytes, modelName: 'tokenloom-tiny', trainIds, corpusIds, watchIds, probeIds },
 *     { steps: 5, learningRate: 1e-3, batchSize: 2, seqLength: 16, freezeEmbedding: false, seed: 1 }, hooks);
 *   result.history[5]!.fineTuneLoss < result.history[0]!.fineTuneLoss   // true: it learned the text
 *
 * Not handled here: tokenizing (the node's job: ids come in), learning-rate schedules, gradient
 * clipping, weight decay, mixed precision, and text shorter than two tokens (rejected).
 */
import type * as TfCore from '@tensorflow/tfjs';
import type { Tf } from './backend';
import { EMBEDDING, Gpt2, configFromInitializers, weightNames } from './gpt2';
import { readInitializers, replaceInitializers } from '../shared/onnx/initializers';
import { seededRandom } from '../transformer/sampling';
import { pushAll } from '../shared/arrays';

export interface FinetuneOptions {
  steps: number;
  learningRate: number;
  batchSize: number;
  seqLength: number;
  /** Keep the token embedding (and so the tied output layer) fixed; train the blocks only. */
  freezeEmbedding: boolean;
  seed: number;
}

export interface FinetuneData {
  modelBytes: Uint8Array;
  modelName: string;
  /** Heads, for a model trained here (its config says); the shipped model's are known. */
  heads?: number;
  /** The token that joins repeats of a short text: the tokenizer's end-of-text (GPT-2's by default). */
  separator?: number;
  /** The fine-tune text's ids, in the model's tokenizer. */
  trainIds: readonly number[];
  /** Ids of text from the model's original corpus: its loss shows forgetting. */
  corpusIds: readonly number[];
  /** Tokens whose embedding rows are watched. */
  watchIds: readonly number[];
  probeIds: readonly number[];
}

export interface FinetuneHooks {
  /** Called after step 0 (before training) and after every step. */
  onStep?(record: StepRecord, steps: number): void;
  /** Throws to stop (ctx.checkpoint). */
  checkpoint?(): Promise<void>;
}

export interface Candidate {
  id: number;
  prob: number;
}

export interface StepRecord {
  step: number;
  /** Loss of the batch this step trained on (null for step 0). */
  batchLoss: number | null;
  /** Loss on fixed windows of the fine-tune text. */
  fineTuneLoss: number;
  /** Loss on fixed windows of the original corpus. */
  corpusLoss: number;
  /** L2 norm of the change of the watched tokens' embedding rows, all together. */
  watchedChange: number;
  /** The same, averaged per row, over the whole table (for scale). */
  meanRowChange: number;
  /** L2 change of each attention matrix (ATTENTION_MATRICES order). */
  attentionChange: number[];
  probeTop: Candidate[];
  ms: number;
}

export interface AttentionMatrix {
  /** 'layer 0 · query' */
  label: string;
  layer: number;
  part: 'query' | 'key' | 'value' | 'output';
}

export interface FinetuneResult {
  history: StepRecord[];
  /** Per watched token (distinct, in order of first appearance): how far its row moved. */
  watchedRows: { id: number; change: number; norm: number; inTrainingText: number }[];
  attention: (AttentionMatrix & { change: number; relative: number })[];
  probeBefore: Candidate[];
  probeAfter: Candidate[];
  /** The ONNX file with the trained weights. */
  onnx: Uint8Array;
  trainTokens: number;
  /** Median time of a training step (forward, backward, Adam update), without the measurements. */
  stepMs: number;
}

const EVAL_WINDOWS = 4;
const TOP_K = 5;

/**
 * The token stream cut into windows of `length`: a stream shorter than one window is repeated
 * (joined by `separator`, GPT-2's <|endoftext|>) until it fills one.
 */
export function padStream(ids: readonly number[], length: number, separator: number): number[] {
  if (ids.length >= length) return [...ids];
  const out: number[] = [];
  while (out.length < length) {
    pushAll(out, ids);
    out.push(separator);
  }
  return out;
}

/** `count` window starts evenly spread over a stream of `n` tokens (windows of `length`). */
export function evenStarts(n: number, length: number, count: number): number[] {
  const last = n - length;
  if (count <= 1 || last <= 0) return [0];
  return Array.from({ length: count }, (_, i) => Math.round((i * last) / (count - 1)));
}

/** The attention matrices of a GPT-2 with `layers` layers, in the order StepRecord uses. */
export function attentionMatrices(layers: number): AttentionMatrix[] {
  const parts = ['query', 'key', 'value', 'output'] as const;
  return Array.from({ length: layers }, (_, layer) => parts.map((part) => ({ label: `layer ${layer} · ${part}`, layer, part }))).flat();
}

/** The slice of the weights one attention matrix is: Q, K, V are column thirds of c_attn. */
function attentionSlice(tf: Tf, model: Gpt2, m: AttentionMatrix): TfCore.Tensor {
  const c = model.config.nEmbd;
  if (m.part === 'output') return model.w(`transformer.h.${m.layer}.attn.c_proj.weight`);
  const column = { query: 0, key: 1, value: 2 }[m.part] * c;
  return tf.slice(model.w(`transformer.h.${m.layer}.attn.c_attn.weight`), [0, column], [c, c]);
}

export const EOT = 50256;

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function finetune(tf: Tf, data: FinetuneData, options: FinetuneOptions, hooks: FinetuneHooks = {}): Promise<FinetuneResult> {
  if (data.trainIds.length < 2) throw new Error('The fine-tune text is too short: it needs at least two tokens.');
  const inits = readInitializers(data.modelBytes);
  const config = configFromInitializers(inits, data.modelName, data.heads);
  const window = options.seqLength + 1;
  if (options.seqLength > config.nPositions) throw new Error(`Sequence length is limited to ${config.nPositions} tokens by this model.`);
  const train = padStream(data.trainIds, window, data.separator ?? EOT);
  const corpus = padStream(data.corpusIds, window, data.separator ?? EOT);
  const random = seededRandom(options.seed);

  const model = new Gpt2(tf, inits, config, !options.freezeEmbedding);
  const optimizer = tf.train.adam(options.learningRate);
  const watch = [...new Set(data.watchIds)];
  const matrices = attentionMatrices(config.nLayer);
  const windowsOf = (stream: number[], starts: number[]) =>
    tf.tensor2d(starts.map((s) => stream.slice(s, s + window)), [starts.length, window], 'int32');
  const trainEval = windowsOf(train, evenStarts(train.length, window, EVAL_WINDOWS));
  const corpusEval = windowsOf(corpus, evenStarts(corpus.length, window, EVAL_WINDOWS));
  const watchIndex = tf.tensor1d(watch.length ? watch : [0], 'int32');
  const before = {
    watched: tf.gather(model.w(EMBEDDING), watchIndex),
    table: tf.clone(model.w(EMBEDDING)),
    attention: matrices.map((m) => tf.tidy(() => tf.clone(attentionSlice(tf, model, m)))),
  };

  const scalar = async (t: TfCore.Tensor) => {
    const v = (await t.data())[0]!;
    t.dispose();
    return v;
  };
  const probe = async (): Promise<Candidate[]> => {
    if (data.probeIds.length === 0) return [];
    const ids = data.probeIds.slice(-config.nPositions);
    const probs = tf.tidy(() => {
      const logits = model.logits(tf.tensor2d([ids], [1, ids.length], 'int32'));
      return tf.softmax(tf.slice(logits, [ids.length - 1, 0], [1, -1]));
    });
    const top = tf.topk(probs, TOP_K);
    const [values, indices] = [await top.values.data(), await top.indices.data()];
    tf.dispose([probs, top.values, top.indices]);
    return Array.from(indices, (id, i) => ({ id, prob: values[i]! }));
  };
  const measure = async (step: number, batchLoss: number | null, ms: number): Promise<StepRecord> => {
    const fineTuneLoss = await scalar(tf.tidy(() => model.loss(trainEval)));
    const corpusLoss = await scalar(tf.tidy(() => model.loss(corpusEval)));
    const watchedChange = watch.length ? await scalar(tf.tidy(() => tf.norm(tf.sub(tf.gather(model.w(EMBEDDING), watchIndex), before.watched)))) : 0;
    const meanRowChange = await scalar(tf.tidy(() => tf.mean(tf.norm(tf.sub(model.w(EMBEDDING), before.table), 'euclidean', 1))));
    const attentionChange: number[] = [];
    for (const [i, m] of matrices.entries()) {
      attentionChange.push(await scalar(tf.tidy(() => tf.norm(tf.sub(attentionSlice(tf, model, m), before.attention[i]!)))));
    }
    return { step, batchLoss, fineTuneLoss, corpusLoss, watchedChange, meanRowChange, attentionChange, probeTop: await probe(), ms };
  };

  const history: StepRecord[] = [];
  try {
    history.push(await measure(0, null, 0));
    hooks.onStep?.(history[0]!, options.steps);
    for (let step = 1; step <= options.steps; step++) {
      await hooks.checkpoint?.();
      const starts = Array.from({ length: options.batchSize }, () => Math.floor(random() * (train.length - window + 1)));
      const batch = windowsOf(train, starts);
      const t0 = performance.now();
      const loss = optimizer.minimize(() => model.loss(batch), true);
      const batchLoss = loss ? await scalar(loss) : null;
      const ms = performance.now() - t0;
      batch.dispose();
      const record = await measure(step, batchLoss, ms);
      history.push(record);
      hooks.onStep?.(record, options.steps);
    }

    const values = async (t: TfCore.Tensor) => {
      const v = await t.data();
      t.dispose();
      return v;
    };
    const rowChanges = await values(tf.tidy(() => tf.norm(tf.sub(tf.gather(model.w(EMBEDDING), watchIndex), before.watched), 'euclidean', 1)));
    const rowNorms = await values(tf.tidy(() => tf.norm(before.watched, 'euclidean', 1)));
    const counts = new Map<number, number>();
    for (const id of data.trainIds) counts.set(id, (counts.get(id) ?? 0) + 1);
    const relative: number[] = [];
    for (const b of before.attention) relative.push(await scalar(tf.norm(b)));
    const last = history[history.length - 1]!;
    const trainable = weightNames(config).filter((n) => n !== EMBEDDING || !options.freezeEmbedding);
    return {
      history,
      watchedRows: watch.map((id, i) => ({ id, change: rowChanges[i]!, norm: rowNorms[i]!, inTrainingText: counts.get(id) ?? 0 })),
      attention: matrices.map((m, i) => ({ ...m, change: last.attentionChange[i]!, relative: last.attentionChange[i]! / (relative[i]! || 1) })),
      probeBefore: history[0]!.probeTop,
      probeAfter: last.probeTop,
      onnx: replaceInitializers(data.modelBytes, await model.values(trainable)),
      trainTokens: data.trainIds.length,
      stepMs: median(history.slice(1).map((r) => r.ms)),
    };
  } finally {
    tf.dispose([trainEval, corpusEval, watchIndex, before.watched, before.table, ...before.attention]);
    optimizer.dispose();
    model.dispose();
  }
}

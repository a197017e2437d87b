/**
 * GPT-2's forward pass in TensorFlow.js, built from the weights of the shipped ONNX model (Hugging
 * Face GPT2LMHeadModel names: transformer.wte.weight, transformer.h.0.attn.c_attn.weight, …), so
 * the model can be trained in the browser and its weights written back into the ONNX bytes.
 *
 * Same arithmetic as scripts/train-model.py: pre-LayerNorm blocks, gelu_new, learned positions,
 * Conv1D weights stored [in, out], language-model head tied to the token embedding. On the
 * shipped model the logits match onnxruntime's within about 1e-5.
 *
 * Two details make training fast and possible on the wasm backend:
 * - every matrix product goes through `matMul`, whose gradient transposes explicitly: tfjs'
 *   wasm kernel for a product with a transposed operand is ~10× slower than transposing first
 *   (for the 50,257-wide head: 680 ms against 65 ms per product at 128 tokens);
 * - the embedding lookup has its own gradient (rows scattered back with scatterND, which sums
 *   repeated ids): the wasm backend has no UnsortedSegmentSum, which tf.gather's gradient needs.
 *
 * Not handled here: padding and attention masks (every sequence is full), the KV cache, dropout,
 * other architectures, and models longer than their position table (nPositions).
 */
import type * as TfCore from '@tensorflow/tfjs';
import type { Tf } from './backend';
import type { Initializer } from '../shared/onnx/initializers';
import { seededRandom } from '../transformer/sampling';

export interface Gpt2Config {
  nLayer: number;
  nHead: number;
  nEmbd: number;
  nPositions: number;
  vocabSize: number;
  layerNormEps: number;
}

/** Heads cannot be read off the weights' shapes; the models this node knows. */
const HEADS: Record<string, number> = { 'tokenloom-tiny': 4 };

/**
 * The config implied by the initializers, plus the head count: given (a model trained here
 * carries its own), or that of a model this node knows.
 */
export function configFromInitializers(inits: ReadonlyMap<string, Initializer>, modelName: string, heads?: number): Gpt2Config {
  const wte = inits.get('transformer.wte.weight');
  const wpe = inits.get('transformer.wpe.weight');
  if (!wte || !wpe || wte.dims.length !== 2 || wpe.dims.length !== 2) {
    throw new Error('This ONNX model does not have GPT-2’s weights (transformer.wte.weight, transformer.wpe.weight).');
  }
  let nLayer = 0;
  while (inits.has(`transformer.h.${nLayer}.ln_1.weight`)) nLayer++;
  const nHead = heads ?? HEADS[modelName];
  if (nHead === undefined) throw new Error(`Fine-tune knows the shipped model and models trained here, not '${modelName}'.`);
  return { nLayer, nHead, nEmbd: wte.dims[1]!, nPositions: wpe.dims[0]!, vocabSize: wte.dims[0]!, layerNormEps: 1e-5 };
}

/** Names of the weights the model uses, in a fixed order. */
export function weightNames(config: Gpt2Config): string[] {
  const names = ['transformer.wte.weight', 'transformer.wpe.weight'];
  for (let i = 0; i < config.nLayer; i++) {
    const p = `transformer.h.${i}.`;
    for (const n of ['ln_1', 'attn.c_attn', 'attn.c_proj', 'ln_2', 'mlp.c_fc', 'mlp.c_proj']) names.push(`${p}${n}.weight`, `${p}${n}.bias`);
  }
  names.push('transformer.ln_f.weight', 'transformer.ln_f.bias');
  return names;
}

export const EMBEDDING = 'transformer.wte.weight';

/** A weight's shape and values: an ONNX initializer, or a freshly initialised one. */
export interface WeightSource {
  dims: readonly number[];
  data: Float32Array | null;
}

/**
 * Fresh weights for training from scratch, as GPT-2 initialises them: every matrix and both
 * embeddings N(0, 0.02), the two projections into the residual stream (attn.c_proj, mlp.c_proj)
 * N(0, 0.02/√(2·layers)), LayerNorm gains 1, biases 0. Normals from mulberry32 by Box-Muller,
 * in weightNames order, so a seed gives the same weights everywhere.
 *
 *   initialWeights({ nLayer: 1, nHead: 2, nEmbd: 32, nPositions: 64, vocabSize: 500, layerNormEps: 1e-5 }, 1)
 *     .get('transformer.wte.weight')   // { dims: [500, 32], data: Float32Array(16000) }, std ≈ 0.02
 */
export function initialWeights(config: Gpt2Config, seed: number): Map<string, WeightSource & { data: Float32Array }> {
  const random = seededRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const { nEmbd: c, nLayer } = config;
  const shape = (name: string): number[] => {
    if (name === EMBEDDING) return [config.vocabSize, c];
    if (name === 'transformer.wpe.weight') return [config.nPositions, c];
    const widths: Record<string, [number, number]> = { 'attn.c_attn': [c, 3 * c], 'attn.c_proj': [c, c], 'mlp.c_fc': [c, 4 * c], 'mlp.c_proj': [4 * c, c] };
    const part = Object.keys(widths).find((k) => name.includes(k));
    if (!part) return [c];
    const [rows, cols] = widths[part]!;
    return name.endsWith('.bias') ? [cols] : [rows, cols];
  };
  const out = new Map<string, WeightSource & { data: Float32Array }>();
  for (const name of weightNames(config)) {
    const dims = shape(name);
    const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
    if (/ln_\d|ln_f/.test(name)) {
      if (name.endsWith('.weight')) data.fill(1);
    } else if (dims.length === 2) {
      const std = /c_proj\.weight$/.test(name) ? 0.02 / Math.sqrt(2 * nLayer) : 0.02;
      for (let i = 0; i < data.length; i++) data[i] = normal() * std;
    }
    out.set(name, { dims, data });
  }
  return out;
}

/** tfjs variable names are global to the realm: each model gets its own prefix. */
let modelCount = 0;

export class Gpt2 {
  readonly weights = new Map<string, TfCore.Variable>();
  private readonly matMul: (a: TfCore.Tensor, b: TfCore.Tensor) => TfCore.Tensor;
  private readonly causalMask: TfCore.Tensor2D;

  /**
   * @param trainEmbedding false freezes the token embedding (and with it the tied output layer):
   *   its variable is not trainable and its gradient is never computed.
   */
  constructor(
    readonly tf: Tf,
    inits: ReadonlyMap<string, WeightSource>,
    readonly config: Gpt2Config,
    readonly trainEmbedding = true,
  ) {
    const prefix = `gpt2-${++modelCount}`;
    for (const name of weightNames(config)) {
      const init = inits.get(name);
      if (!init?.data) throw new Error(`The ONNX model has no float32 weight '${name}'.`);
      const trainable = name !== EMBEDDING || trainEmbedding;
      this.weights.set(name, tf.tidy(() => tf.variable(tf.tensor(init.data!, [...init.dims]), trainable, `${prefix}/${name}`)));
    }
    const transposeLast = (t: TfCore.Tensor) => tf.transpose(t, t.rank === 2 ? [1, 0] : [0, 2, 1]);
    this.matMul = tf.customGrad((a, b, save) => {
      const [x, y] = [a as TfCore.Tensor, b as TfCore.Tensor];
      (save as TfCore.GradSaveFunc)([x, y]);
      return {
        value: tf.matMul(x, y),
        gradFunc: (dy, saved) => [tf.matMul(dy, transposeLast(saved[1]!)), tf.matMul(transposeLast(saved[0]!), dy)],
      };
    }) as (a: TfCore.Tensor, b: TfCore.Tensor) => TfCore.Tensor;
    const t = config.nPositions;
    // 0 where a position may attend (itself and earlier), -1e9 after: added to the scores.
    this.causalMask = tf.tidy(() => tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([t, t]), -1, 0)), -1e9) as TfCore.Tensor2D);
  }

  w(name: string): TfCore.Variable {
    const v = this.weights.get(name);
    if (!v) throw new Error(`No weight '${name}'.`);
    return v;
  }

  /** The token embedding rows of `ids` ([n] int32 → [n, C]), with a gradient the wasm backend can run. */
  private embed(ids: TfCore.Tensor1D): TfCore.Tensor2D {
    const tf = this.tf;
    const table = this.w(EMBEDDING);
    if (!this.trainEmbedding) return tf.gather(table, ids) as TfCore.Tensor2D;
    const indices = tf.reshape(ids, [-1, 1]);
    // The indices are saved with the op: a tensor only captured by the closure would be
    // disposed with the forward pass, before the gradient runs.
    const lookup = tf.customGrad((t, save) => {
      (save as TfCore.GradSaveFunc)([indices]);
      return {
        value: tf.gather(t as TfCore.Tensor, ids),
        gradFunc: (dy, saved) => tf.scatterND(saved[0]!, dy, table.shape),
      };
    });
    return lookup(table) as TfCore.Tensor2D;
  }

  private layerNorm(x: TfCore.Tensor, prefix: string): TfCore.Tensor {
    const tf = this.tf;
    const { mean, variance } = tf.moments(x, -1, true);
    const normed = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, this.config.layerNormEps)));
    return tf.add(tf.mul(normed, this.w(`${prefix}.weight`)), this.w(`${prefix}.bias`));
  }

  /** x [n, in] · W [in, out] + b (Hugging Face's Conv1D). */
  private linear(x: TfCore.Tensor, prefix: string): TfCore.Tensor {
    return this.tf.add(this.matMul(x, this.w(`${prefix}.weight`)), this.w(`${prefix}.bias`));
  }

  private geluNew(x: TfCore.Tensor): TfCore.Tensor {
    const tf = this.tf;
    const inner = tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.mul(x, tf.mul(x, x)))));
    return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));
  }

  /** Final hidden states [B·T, C] (after ln_f) for ids [B, T]. */
  hidden(ids: TfCore.Tensor2D): TfCore.Tensor2D {
    const tf = this.tf;
    const [b, t] = ids.shape;
    const { nEmbd: c, nHead: h } = this.config;
    if (t > this.config.nPositions) throw new Error(`Sequences are limited to ${this.config.nPositions} tokens.`);
    const hd = c / h;
    const positions = tf.slice(this.w('transformer.wpe.weight'), [0, 0], [t, c]);
    let x: TfCore.Tensor = tf.reshape(tf.add(tf.reshape(this.embed(tf.reshape(ids, [-1])), [b, t, c]), positions), [b * t, c]);
    const mask = tf.slice(this.causalMask, [0, 0], [t, t]);
    const heads = (y: TfCore.Tensor) => tf.reshape(tf.transpose(tf.reshape(y, [b, t, h, hd]), [0, 2, 1, 3]), [b * h, t, hd]);
    for (let i = 0; i < this.config.nLayer; i++) {
      const p = `transformer.h.${i}`;
      const qkv = this.linear(this.layerNorm(x, `${p}.ln_1`), `${p}.attn.c_attn`);
      const [q, k, v] = tf.split(qkv, 3, 1);
      const scores = tf.add(tf.mul(this.matMul(heads(q!), tf.transpose(heads(k!), [0, 2, 1])), 1 / Math.sqrt(hd)), mask);
      const attended = this.matMul(tf.softmax(scores), heads(v!));
      const merged = tf.reshape(tf.transpose(tf.reshape(attended, [b, h, t, hd]), [0, 2, 1, 3]), [b * t, c]);
      x = tf.add(x, this.linear(merged, `${p}.attn.c_proj`));
      const m = this.linear(this.geluNew(this.linear(this.layerNorm(x, `${p}.ln_2`), `${p}.mlp.c_fc`)), `${p}.mlp.c_proj`);
      x = tf.add(x, m);
    }
    return this.layerNorm(x, 'transformer.ln_f') as TfCore.Tensor2D;
  }

  /** Logits [B·T, V] for ids [B, T]: the hidden states times the (tied) embedding, transposed. */
  logits(ids: TfCore.Tensor2D): TfCore.Tensor2D {
    const tf = this.tf;
    const h = this.hidden(ids);
    const table = this.w(EMBEDDING);
    // Frozen: the head is a constant, so only the gradient towards h is needed.
    if (!this.trainEmbedding) {
      const headT = tf.transpose(table);
      const head = tf.customGrad((x) => ({ value: tf.matMul(x as TfCore.Tensor, headT), gradFunc: (dy) => tf.matMul(dy, table) }));
      return head(h) as TfCore.Tensor2D;
    }
    return this.matMul(h, tf.transpose(table)) as TfCore.Tensor2D;
  }

  /**
   * Mean next-token cross-entropy (nats) of windows [B, T + 1]: positions 0…T−1 predict 1…T.
   *
   *   a model that gives every token the same probability scores ln(50257) ≈ 10.82
   *
   * The `oneHot` rows are [B·T, V]: fine for the vocabularies here (at most 50,257 × 512 tokens).
   */
  loss(windows: TfCore.Tensor2D): TfCore.Scalar {
    const tf = this.tf;
    const [b, t1] = windows.shape;
    const inputs = tf.slice(windows, [0, 0], [b, t1 - 1]);
    const targets = tf.reshape(tf.slice(windows, [0, 1], [b, t1 - 1]), [-1]);
    const oneHot = tf.oneHot(targets, this.config.vocabSize);
    // Cross-entropy with its textbook gradient, (softmax − one-hot) / n: the gradient tfjs
    // derives through logSumExp's max costs three times as much on the 50,257-wide logits.
    const crossEntropy = tf.customGrad((x, save) => {
      const logits = x as TfCore.Tensor2D;
      (save as TfCore.GradSaveFunc)([logits, oneHot]);
      const picked = tf.sum(tf.mul(logits, oneHot), 1);
      return {
        value: tf.mean(tf.sub(tf.logSumExp(logits, 1), picked)),
        gradFunc: (dy, saved) => tf.mul(tf.sub(tf.softmax(saved[0]!), saved[1]!), tf.div(dy, saved[0]!.shape[0]!)),
      };
    });
    return crossEntropy(this.logits(inputs)) as TfCore.Scalar;
  }

  /** Current values of the weights, by ONNX initializer name. */
  async values(names: readonly string[] = weightNames(this.config)): Promise<Map<string, Float32Array>> {
    const out = new Map<string, Float32Array>();
    for (const name of names) out.set(name, (await this.w(name).data()) as Float32Array);
    return out;
  }

  dispose(): void {
    for (const v of this.weights.values()) v.dispose();
    this.causalMask.dispose();
  }
}

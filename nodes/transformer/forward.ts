/**
 * Running a loaded model: one full forward pass (logits for every position and the attention
 * probabilities), and the incremental decoder that keeps the key/value cache between calls so
 * each new token costs one position. Tensors left on a GPU are downloaded before reading.
 *
 * Not handled here: loading (run-model.ts), choosing tokens (sampling.ts), batches (always 1).
 */
import { Tensor } from '@huggingface/transformers';
import type { LoadedModel } from './run-model';

type Outputs = Record<string, Tensor | undefined>;

const int64 = (values: readonly number[]) => new Tensor('int64', BigInt64Array.from(values, (v) => BigInt(v)), [1, values.length]);
const ones = (n: number) => new Tensor('int64', new BigInt64Array(n).fill(1n), [1, n]);

/** Copy a tensor's data to the CPU side (outputs left on the GPU are downloaded first). */
async function cpuData(tensor: Tensor): Promise<Float32Array> {
  const t = tensor as Tensor & { location?: string; ort_tensor?: { getData(): Promise<unknown> } };
  if (t.location && t.location !== 'cpu' && t.ort_tensor) return (await t.ort_tensor.getData()) as Float32Array;
  return (t.data as Float32Array).slice();
}

/** Release tensors (transformers.js's or ONNX Runtime's own). */
function disposeAll(tensors: Iterable<{ dispose(): void } | undefined>) {
  for (const t of tensors) {
    try {
      t?.dispose();
    } catch {
      // Already released; nothing to do.
    }
  }
}

export interface ForwardResult {
  /** [positions × vocab] logits, row-major. */
  logits: Float32Array;
  /** Per layer: [heads × positions × positions] attention probabilities; null if the export has none. */
  attentions: Float32Array[] | null;
}

/** One full forward pass over `ids` (no cache): logits for every position, and attentions. */
export async function forward(loaded: LoadedModel, ids: readonly number[]): Promise<ForwardResult> {
  const out = (await loaded.model.forward({ input_ids: int64(ids), attention_mask: ones(ids.length) })) as Outputs;
  try {
    const logits = await cpuData(out.logits!);
    let attentions: Float32Array[] | null = null;
    if (loaded.hasAttentions) {
      attentions = [];
      for (let layer = 0; out[`attentions.${layer}`]; layer++) attentions.push(await cpuData(out[`attentions.${layer}`]!));
    }
    return { logits, attentions };
  } finally {
    disposeAll(Object.values(out));
  }
}

/** The parts of an ONNX Runtime tensor and session the decoder uses (onnxruntime-node or -web). */
interface OrtTensor {
  data: unknown;
  location?: string;
  getData?(): Promise<unknown>;
  dispose(): void;
}
interface OrtSession {
  inputNames: readonly string[];
  outputNames: readonly string[];
  run(feeds: Record<string, OrtTensor>, fetches: readonly string[]): Promise<Record<string, OrtTensor>>;
}

const DECODER_INPUT = /^(input_ids|attention_mask|position_ids|past_key_values\.\d+\.(key|value))$/;

/**
 * The model's own ONNX session, when the decoder can drive it directly: a decoder whose inputs
 * are only ids, mask, positions and the key/value cache (the shipped, fine-tuned and trained
 * models; a hub export with other inputs, such as a merged decoder's use_cache_branch, goes
 * through transformers.js). Null otherwise.
 */
function directSession(loaded: LoadedModel): OrtSession | null {
  const session = (loaded.model as unknown as { sessions?: Record<string, OrtSession> }).sessions?.model;
  if (!session || typeof session.run !== 'function') return null;
  const inputs = session.inputNames;
  if (!inputs.includes('position_ids') || !inputs.every((name) => DECODER_INPUT.test(name))) return null;
  if (!session.outputNames.includes('logits')) return null;
  return session;
}

const ortOf = (tensor: Tensor) => (tensor as unknown as { ort_tensor: OrtTensor }).ort_tensor;

/**
 * Feeds tokens one call at a time, keeping the model's key/value cache between calls, so each
 * new token costs one position of compute. Returns the logits after the last token fed.
 *
 * The first call goes through transformers.js (it builds the empty cache the export expects).
 * Every later call runs the model's ONNX session itself and fetches only the logits and the new
 * cache: transformers.js would fetch every output, attention probabilities included, and wrap
 * each one, which cost about a fifth of a step of the shipped model (npm run bench).
 */
export class IncrementalDecoder {
  private past: Record<string, OrtTensor> | null = null;
  private length = 0;
  private readonly session: OrtSession | null;
  private readonly fetches: string[];

  constructor(private readonly loaded: LoadedModel) {
    this.session = directSession(loaded);
    this.fetches = this.session ? this.session.outputNames.filter((name) => name === 'logits' || name.startsWith('present')) : [];
  }

  get positions(): number {
    return this.length;
  }

  async feed(ids: readonly number[]): Promise<Float32Array> {
    if (ids.length === 0) throw new Error('Nothing to feed.');
    const vocab = this.loaded.vocabSize;
    let out: Record<string, OrtTensor | undefined>;
    if (this.session && this.past) {
      const positions = ids.map((_, i) => this.length + i);
      const feeds: Record<string, OrtTensor> = {
        input_ids: ortOf(int64(ids)),
        attention_mask: ortOf(ones(this.length + ids.length)),
        position_ids: ortOf(int64(positions)),
        ...this.past,
      };
      out = await this.session.run(feeds, this.fetches);
    } else {
      const inputs: Record<string, unknown> = { input_ids: int64(ids), attention_mask: ones(this.length + ids.length) };
      if (this.past) inputs.past_key_values = Object.fromEntries(Object.entries(this.past).map(([name, t]) => [name, new Tensor(t as never)]));
      const wrapped = (await this.loaded.model.forward(inputs)) as Outputs;
      out = Object.fromEntries(Object.entries(wrapped).map(([name, t]) => [name, t ? ortOf(t) : undefined]));
    }
    const logitsTensor = out.logits!;
    const all = (logitsTensor.location && logitsTensor.location !== 'cpu' && logitsTensor.getData ? await logitsTensor.getData() : logitsTensor.data) as Float32Array;
    const logits = all.slice((ids.length - 1) * vocab, ids.length * vocab);
    const next: Record<string, OrtTensor> = {};
    for (const [name, tensor] of Object.entries(out)) {
      if (name.startsWith('present') && tensor) next[name.replace('present', 'past_key_values')] = tensor;
    }
    disposeAll(Object.entries(out).filter(([name]) => !name.startsWith('present')).map(([, t]) => t));
    if (this.past) disposeAll(Object.values(this.past));
    this.past = next;
    this.length += ids.length;
    return logits;
  }

  dispose() {
    if (this.past) disposeAll(Object.values(this.past));
    this.past = null;
  }
}

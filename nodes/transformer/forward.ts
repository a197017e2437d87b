/**
 * Running a loaded model: one full forward pass (logits for every position and the attention
 * probabilities), and the incremental decoder that keeps the key/value cache between calls so
 * each new token costs one position. Tensors left on a GPU are downloaded before reading.
 *
 * Not handled here: loading (run-model.ts), choosing tokens (sampling.ts), batches (always 1).
 */
import { Tensor } from '@huggingface/transformers';
import type { LoadedModel } from './run-model';

type Feeds = Record<string, Tensor>;
type Outputs = Record<string, Tensor | undefined>;

const int64 = (values: readonly number[]) => new Tensor('int64', BigInt64Array.from(values, (v) => BigInt(v)), [1, values.length]);
const ones = (n: number) => new Tensor('int64', new BigInt64Array(n).fill(1n), [1, n]);

/** Copy a tensor's data to the CPU side (outputs left on the GPU are downloaded first). */
async function cpuData(tensor: Tensor): Promise<Float32Array> {
  const t = tensor as Tensor & { location?: string; ort_tensor?: { getData(): Promise<unknown> } };
  if (t.location && t.location !== 'cpu' && t.ort_tensor) return (await t.ort_tensor.getData()) as Float32Array;
  return (t.data as Float32Array).slice();
}

function disposeAll(tensors: Iterable<Tensor | undefined>) {
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

/**
 * Feeds tokens one call at a time, keeping the model's key/value cache between calls, so each
 * new token costs one position of compute. Returns the logits after the last token fed.
 */
export class IncrementalDecoder {
  private past: Feeds | null = null;
  private length = 0;

  constructor(private readonly loaded: LoadedModel) {}

  get positions(): number {
    return this.length;
  }

  async feed(ids: readonly number[]): Promise<Float32Array> {
    if (ids.length === 0) throw new Error('Nothing to feed.');
    const inputs: Record<string, unknown> = { input_ids: int64(ids), attention_mask: ones(this.length + ids.length) };
    if (this.past) inputs.past_key_values = this.past;
    const out = (await this.loaded.model.forward(inputs)) as Outputs;
    const vocab = this.loaded.vocabSize;
    const logits = await cpuData(out.logits!);
    const next: Feeds = {};
    for (const [name, tensor] of Object.entries(out)) {
      if (name.startsWith('present') && tensor) next[name.replace('present', 'past_key_values')] = tensor;
    }
    disposeAll(Object.entries(out).filter(([name]) => !name.startsWith('present')).map(([, t]) => t));
    if (this.past) disposeAll(Object.values(this.past));
    this.past = next;
    this.length += ids.length;
    return logits.slice((ids.length - 1) * vocab, ids.length * vocab);
  }

  dispose() {
    if (this.past) disposeAll(Object.values(this.past));
    this.past = null;
  }
}

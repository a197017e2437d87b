/**
 * Load and run a causal language model with transformers.js, isomorphically: in Node on
 * onnxruntime-node ('cpu'), in the browser's worker on onnxruntime-web ('webgpu' on a hardware
 * GPU adapter or when asked for, else 'wasm'). This module is only ever imported dynamically
 * (by the Transformer and Generate nodes), so transformers.js, the ONNX Runtime WASM and the
 * model weights are fetched when a model node first runs, never on page load.
 *
 * - The shipped model loads from `${resources.modelPath}<name>/` (config.json, onnx/model.onnx),
 *   never from the network; a Hugging Face id only when `resources.allowRemote`.
 * - A fine-tuned ModelRef carries its ONNX bytes: the base model named by `ref.name` is loaded
 *   for its config, then its inference session is replaced by one created from the bytes with
 *   the same ONNX Runtime class (the session's own constructor), so no ONNX Runtime package is
 *   imported here and the same code works on both runtimes.
 * - In the browser the ONNX Runtime WASM files come from the app itself (public/ort/, copied by
 *   scripts/copy-ort-wasm.ts), never from a CDN.
 * - A model trained here (nodes/train-model) carries its config.json and ONNX bytes: the shipped
 *   model's folder gives the rest (generation config, the session class), with its config
 *   replaced, and then its session is swapped for the trained bytes as a fine-tuned one is.
 * - The token-embedding table is read from the ONNX bytes (onnx-initializers.ts) for the shipped
 *   and fine-tuned models (the shipped file through nodes/finetune/model-bytes.ts, which reads it
 *   once per realm for both nodes); hub exports are quantized or too large to read twice, so none.
 *
 * Not handled here: choosing top-k or sampling (sampling.ts), what the views show (the nodes),
 * batches (always batch 1), external-data ONNX files.
 */
import { AutoModelForCausalLM, Tensor, env, type PreTrainedModel } from '@huggingface/transformers';
import type { Resources } from '../engine/define-node';
import type { ModelRef } from '../shared/model-ref';
import { findEmbeddingTable, type FloatMatrix } from '../shared/onnx/initializers';
import type { Backend, DevicePreference } from './model-choice';
import { SHIPPED_MODELS } from './model-choice';
import { ORT_WASM_FILES } from './ort-files';
import { webGpuAdapter } from '../shared/gpu-adapter';
import { readModelBytes } from '../shared/onnx/model-bytes';
import { SHIPPED_MODEL } from '../shared/model-ref';

export interface LoadedModel {
  ref: ModelRef;
  backend: Backend;
  /** Why the backend is not what was asked for (no WebGPU adapter, server runs on CPU). */
  backendNote: string | null;
  loadMs: number;
  layers: number;
  heads: number;
  width: number;
  vocabSize: number;
  /** Positions the model can read (GPT-2's n_positions). */
  maxPositions: number;
  eosId: number | null;
  /** Whether the ONNX export returns attention probabilities ('attentions.{i}'). */
  hasAttentions: boolean;
  embedding: FloatMatrix | null;
  model: PreTrainedModel;
}

export interface LoadOptions {
  preference: DevicePreference;
  where: 'browser' | 'server';
  resources: Resources;
  /** Download progress, 0..1, with a short message. */
  onProgress?: (fraction: number, message: string) => void;
}

type OrtSession = {
  inputNames: string[];
  outputNames: string[];
  config?: unknown;
  release(): Promise<void>;
};
type SessionClass = { create(bytes: Uint8Array, options: Record<string, unknown>): Promise<OrtSession> };

const EXECUTION_PROVIDER: Record<Backend, string> = { cpu: 'cpu', wasm: 'wasm', webgpu: 'webgpu' };

/** Which backend a preference resolves to where the node runs, and why if it differs. */
export async function resolveBackend(preference: DevicePreference, where: 'browser' | 'server'): Promise<{ backend: Backend; note: string | null }> {
  if (where === 'server') {
    return { backend: 'cpu', note: preference === 'webgpu' ? 'WebGPU was asked for, but server runs use onnxruntime-node on the CPU.' : null };
  }
  if (preference === 'wasm') return { backend: 'wasm', note: null };
  const adapter = await webGpuAdapter();
  // Auto takes WebGPU only on real hardware: a software adapter is ~100× slower than WASM here.
  if (adapter && (adapter.hardware || preference === 'webgpu')) return { backend: 'webgpu', note: null };
  if (preference === 'webgpu') {
    return { backend: 'wasm', note: 'WebGPU was asked for, but this browser gives no WebGPU adapter: ran on WASM instead.' };
  }
  return { backend: 'wasm', note: adapter ? `no hardware GPU (the WebGPU adapter here is software, ${adapter.name}, and slower than WASM)` : 'this browser has no WebGPU' };
}

let wasmFilesChecked: Promise<void> | null = null;
/**
 * Point ONNX Runtime Web at the WASM files the app serves (public/ort/, beside public/models/),
 * and check once that they are there: a missing file otherwise fails deep inside ONNX Runtime.
 */
function useOwnWasmFiles(resources: Resources): Promise<void> {
  const wasm = (env.backends.onnx as { wasm?: { wasmPaths?: unknown } } | undefined)?.wasm;
  if (!wasm) return Promise.resolve();
  const base = new URL('../ort/', new URL(resources.modelPath, globalThis.location?.href ?? 'http://localhost/')).href;
  wasm.wasmPaths = { mjs: base + ORT_WASM_FILES.mjs, wasm: base + ORT_WASM_FILES.wasm };
  // ONNX Runtime logs graph-optimisation warnings through console.error; they are not the
  // learner's errors. Keep its own errors.
  (env.backends.onnx as { logLevel?: string }).logLevel = 'error';
  wasmFilesChecked ??= fetch(base + ORT_WASM_FILES.mjs, { method: 'HEAD' })
    .then((response) => {
      if (!response.ok) {
        throw new Error(`The ONNX Runtime files are missing from ${base} (HTTP ${response.status}). Run \`npx tsx scripts/copy-ort-wasm.ts\` before building.`);
      }
    })
    .catch((error: unknown) => {
      wasmFilesChecked = null; // let the next run check again
      throw error;
    });
  return wasmFilesChecked;
}

function configNumber(config: Record<string, unknown>, ...keys: string[]): number | null {
  for (const key of keys) if (typeof config[key] === 'number') return config[key] as number;
  return null;
}

const loads = new Map<string, Promise<LoadedModel>>();
/** Loaded models kept at once (a fine-tuned variant next to the shipped one); older ones are released. */
const KEEP_LOADED = 2;

/**
 * Load a model once per (weights, backend, folder); later calls share the promise. A failed
 * load is forgotten so the next run retries.
 */
export async function loadModel(ref: ModelRef, options: LoadOptions): Promise<LoadedModel> {
  const { backend, note } = await resolveBackend(options.preference, options.where);
  const key = JSON.stringify([ref.weightsId, backend, options.resources.modelPath, options.resources.allowRemote]);
  const existing = loads.get(key);
  if (existing) {
    // Most recently used last, so eviction drops the oldest.
    loads.delete(key);
    loads.set(key, existing);
    return existing;
  }
  const pending = loadUncached(ref, backend, note, options).catch(async (error: unknown) => {
    loads.delete(key);
    // WebGPU can fail late (shader or buffer limits, a lost device): fall back to WASM, say so.
    if (backend === 'webgpu') {
      const cause = error instanceof Error ? error.message : String(error);
      return loadUncached(ref, 'wasm', `WebGPU failed (${cause}); ran on WASM instead.`, options);
    }
    throw error;
  });
  loads.set(key, pending);
  while (loads.size > KEEP_LOADED) {
    const [oldestKey, oldest] = loads.entries().next().value as [string, Promise<LoadedModel>];
    loads.delete(oldestKey);
    void oldest.then((m) => m.model.dispose()).catch(() => undefined);
  }
  return pending;
}

async function loadUncached(ref: ModelRef, backend: Backend, backendNote: string | null, options: LoadOptions): Promise<LoadedModel> {
  const t0 = performance.now();
  // A model trained here loads through the shipped model's folder with its own config.
  const base = ref.config ? SHIPPED_MODEL.name : ref.name;
  const shipped = (SHIPPED_MODELS as readonly string[]).includes(base);
  if (!shipped && !options.resources.allowRemote) {
    throw new Error(`The model '${ref.name}' is not shipped with Tokenloom and loading from the Hugging Face hub is off here. Use tokenloom-tiny.`);
  }
  if (options.where === 'browser') await useOwnWasmFiles(options.resources);
  env.allowLocalModels = shipped;
  env.allowRemoteModels = !shipped && options.resources.allowRemote;
  env.localModelPath = options.resources.modelPath;

  // The shipped file's bytes for the embedding table: on the server read from disk while
  // transformers.js loads the model; in the browser fetched after it, so the second request is an
  // HTTP-cache revalidation instead of a second 27 MB download.
  const wantBytes = shipped && !ref.onnx;
  let shippedBytes = wantBytes && options.where === 'server' ? readModelBytes(ref, options.resources) : null;
  shippedBytes?.catch(() => undefined);
  const fileProgress = new Map<string, number>();
  let model: PreTrainedModel;
  try {
    model = await AutoModelForCausalLM.from_pretrained(base, {
      device: backend,
      ...(ref.config ? { config: ref.config as never } : {}),
      ...(shipped ? { dtype: 'fp32' as const } : {}),
      progress_callback: (info) => {
        if (info.status !== 'progress' || !options.onProgress) return;
        fileProgress.set(info.file, info.progress / 100);
        const values = [...fileProgress.values()];
        const fraction = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
        options.onProgress(fraction, `Downloading ${info.file} ${Math.round(info.progress)}%`);
      },
    });
  } catch (error) {
    const cause = error instanceof Error ? error.message : String(error);
    throw new Error(
      shipped
        ? `Could not load the shipped model '${ref.name}' from '${options.resources.modelPath}' (${cause}).`
        : `Could not load '${ref.name}' from the Hugging Face hub (${cause}). It must be a causal LM with an ONNX export, e.g. Xenova/distilgpt2.`,
      { cause: error },
    );
  }

  let bytes: Uint8Array | null = ref.onnx ?? null;
  if (ref.onnx) {
    // Fine-tuned weights: same graph and config, new initializers. Swap the session.
    const old = model.sessions.model as OrtSession;
    const Session = old.constructor as unknown as SessionClass;
    const session = await Session.create(ref.onnx, { executionProviders: [EXECUTION_PROVIDER[backend]] });
    session.config = old.config;
    model.sessions.model = session;
    await old.release();
  } else if (wantBytes) {
    shippedBytes ??= readModelBytes(ref, options.resources);
    // Without the table the node still predicts; the view then says the embedding is unavailable.
    bytes = await shippedBytes.catch(() => null);
  }

  const config = model.config as unknown as Record<string, unknown>;
  const vocabSize = configNumber(config, 'vocab_size') ?? ref.vocabSize;
  const session = model.sessions.model as OrtSession;
  const eos = config.eos_token_id;
  return {
    ref,
    backend,
    backendNote,
    loadMs: performance.now() - t0,
    layers: configNumber(config, 'n_layer', 'num_hidden_layers', 'num_layers') ?? 0,
    heads: configNumber(config, 'n_head', 'num_attention_heads', 'num_heads') ?? 0,
    width: configNumber(config, 'n_embd', 'hidden_size', 'd_model') ?? 0,
    vocabSize,
    maxPositions: configNumber(config, 'n_positions', 'max_position_embeddings', 'n_ctx') ?? 1024,
    eosId: typeof eos === 'number' ? eos : Array.isArray(eos) && typeof eos[0] === 'number' ? eos[0] : null,
    hasAttentions: session.outputNames.some((n) => n.startsWith('attentions.')),
    embedding: bytes ? findEmbeddingTable(bytes, vocabSize) : null,
    model,
  };
}

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

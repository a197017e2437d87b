/**
 * Load a causal language model with transformers.js, isomorphically: in Node on onnxruntime-node
 * ('cpu'), in the browser's worker on onnxruntime-web, on the backend backend-choice.ts picks
 * from this browser's facts and a probe (probe.ts) timed right after loading. This module is only
 * ever imported dynamically (by the Transformer and Generate nodes), so transformers.js, the ONNX
 * Runtime WASM and the model weights are fetched when a model node first runs, never on page load.
 *
 * - The shipped model loads from `${resources.modelPath}<name>/` (config.json, onnx/model.onnx),
 *   never from the network; a Hugging Face id only when `resources.allowRemote`.
 * - A fine-tuned ModelRef carries its ONNX bytes: the base model named by `ref.name` is loaded
 *   for its config, then its inference session is replaced by one created from the bytes with
 *   the same ONNX Runtime class (the session's own constructor), so no ONNX Runtime package is
 *   imported here and the same code works on both runtimes.
 * - A model trained here (nodes/train-model) carries its config.json and ONNX bytes: the shipped
 *   model's folder gives the rest (generation config, the session class), with its config
 *   replaced, and then its session is swapped for the trained bytes as a fine-tuned one is.
 * - The token-embedding table is read from the ONNX bytes (onnx-initializers.ts) for the shipped
 *   and fine-tuned models (the shipped file through nodes/finetune/model-bytes.ts, which reads it
 *   once per realm for both nodes); hub exports are quantized or too large to read twice, so none.
 * - Auto on a hardware GPU loads the model on both WASM and WebGPU, probes both and keeps the
 *   faster; everywhere else one load, probed only when a node first asks how fast it runs
 *   (speedHere: the Transformer's and Generate's time estimate), so the load itself pays no probe.
 *
 * Not handled here: running the model (forward.ts), choosing top-k or sampling (sampling.ts),
 * what the views show (the nodes), external-data ONNX files.
 */
import { AutoModelForCausalLM, env, type PreTrainedModel } from '@huggingface/transformers';
import type { Resources } from '../engine/define-node';
import type { ModelRef } from '../shared/model-ref';
import { findEmbeddingTable, type FloatMatrix } from '../shared/onnx/initializers';
import type { Backend, DevicePreference } from './model-choice';
import { SHIPPED_MODELS } from './model-choice';
import { readModelBytes } from '../shared/onnx/model-bytes';
import { SHIPPED_MODEL } from '../shared/model-ref';
import { chooseBackend, needsWebGpuProbe, type BackendChoice } from './backend-choice';
import { browserFacts, useOwnWasmFiles, useWasmThreads } from './browser-runtime';
import { probeSpeed, type ModelSpeed } from './probe';
import { useFileCache } from '../shared/file-cache';

export interface LoadedModel {
  ref: ModelRef;
  backend: Backend;
  /** Why the backend is not what was asked for (no WebGPU adapter, server runs on CPU). */
  backendNote: string | null;
  /** Why this backend ran, in a few words: 'no hardware GPU', 'faster here: …'. */
  backendReason: string;
  /** WASM threads ONNX Runtime runs with (1 unless the page is cross-origin isolated); null off WASM. */
  threads: number | null;
  /** Loading alone (download, session), without the probe. */
  loadMs: number;
  /**
   * Where loadMs went: reading the files (network, Cache API or disk), starting ONNX Runtime and
   * creating the session (WASM compile included), reading the embedding table from the bytes.
   */
  loadPhases: LoadPhases;
  /** How fast it runs here, when probed while loading (Auto on a hardware GPU); else see speedHere. */
  speed: ModelSpeed | null;
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

export interface LoadPhases {
  filesMs: number;
  sessionMs: number;
  tableMs: number;
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

function configNumber(config: Record<string, unknown>, ...keys: string[]): number | null {
  for (const key of keys) if (typeof config[key] === 'number') return config[key] as number;
  return null;
}

const loads = new Map<string, Promise<LoadedModel>>();
/** Loaded models kept at once (a fine-tuned variant next to the shipped one); older ones are released. */
const KEEP_LOADED = 2;

/**
 * Load a model once per (weights, preference, where, folder); later calls share the promise. A
 * failed load is forgotten so the next run retries.
 */
export async function loadModel(ref: ModelRef, options: LoadOptions): Promise<LoadedModel> {
  const key = JSON.stringify([ref.weightsId, options.preference, options.where, options.resources.modelPath, options.resources.allowRemote]);
  const existing = loads.get(key);
  if (existing) {
    // Most recently used last, so eviction drops the oldest.
    loads.delete(key);
    loads.set(key, existing);
    return existing;
  }
  const pending = chooseAndLoad(ref, options);
  pending.catch(() => loads.delete(key));
  loads.set(key, pending);
  while (loads.size > KEEP_LOADED) {
    const [oldestKey, oldest] = loads.entries().next().value as [string, Promise<LoadedModel>];
    loads.delete(oldestKey);
    void oldest.then((m) => m.model.dispose()).catch(() => undefined);
  }
  return pending;
}

async function probed(loaded: LoadedModel): Promise<LoadedModel> {
  return { ...loaded, speed: await probeSpeed(loaded) };
}

const speeds = new WeakMap<PreTrainedModel, Promise<ModelSpeed>>();
/**
 * How fast a loaded model runs here, probed once on the first ask (a fraction of a second on
 * WASM). Null for server loads: nothing there estimates, and the probe would cost every run.
 */
export function speedHere(loaded: LoadedModel): Promise<ModelSpeed | null> {
  if (loaded.backend === 'cpu') return Promise.resolve(null);
  if (loaded.speed) return Promise.resolve(loaded.speed);
  let pending = speeds.get(loaded.model);
  if (!pending) {
    pending = probeSpeed(loaded);
    speeds.set(loaded.model, pending);
    pending.catch(() => speeds.delete(loaded.model));
  }
  return pending;
}

async function chooseAndLoad(ref: ModelRef, options: LoadOptions): Promise<LoadedModel> {
  if (options.where === 'server') {
    return loadOn(ref, chooseBackend({ preference: options.preference, where: 'server', adapter: null, isolated: false, cores: 1, simd: true, probe: null }), options);
  }
  const facts = await browserFacts(options.preference);
  // The WASM-only build of ONNX Runtime starts and runs faster; take it unless WebGPU may be used.
  const mayUseWebGpu = needsWebGpuProbe(facts) || chooseBackend({ ...facts, probe: null }).backend === 'webgpu';
  const build = await useOwnWasmFiles(options.resources, mayUseWebGpu ? 'webgpu' : 'wasm');
  useWasmThreads(chooseBackend({ ...facts, preference: 'wasm', probe: null }).threads ?? 1);
  if (build === 'wasm' && mayUseWebGpu) {
    // This page started ONNX Runtime without WebGPU (an earlier run chose WASM): say how to get it.
    const wasm = chooseBackend({ ...facts, preference: 'wasm', probe: null });
    const note = 'WebGPU needs the page reloaded: ONNX Runtime started here for WASM only. Ran on WASM.';
    return loadOn(ref, { ...wasm, reason: 'WebGPU needs a page reload', note }, options);
  }
  if (needsWebGpuProbe(facts)) {
    // A hardware GPU: time it against WASM on this very model, keep the faster, release the other.
    const onWasm = await probed(await loadOn(ref, chooseBackend({ ...facts, preference: 'wasm', probe: null }), options));
    const onGpu = await loadOn(ref, { backend: 'webgpu', threads: null, reason: '', note: null }, options)
      .then(probed)
      .catch(() => null);
    const choice = chooseBackend({ ...facts, probe: { wasm: onWasm.speed!.msPerToken, webgpu: onGpu?.speed?.msPerToken ?? null } });
    const [kept, dropped] = choice.backend === 'webgpu' && onGpu ? [onGpu, onWasm] : [onWasm, onGpu];
    void dropped?.model.dispose().catch(() => undefined);
    return { ...kept, backend: choice.backend, threads: choice.threads, backendReason: choice.reason, backendNote: choice.note, loadMs: onWasm.loadMs + (onGpu?.loadMs ?? 0) };
  }
  const choice = chooseBackend({ ...facts, probe: null });
  return loadOn(ref, choice, options).catch(async (error: unknown) => {
    // WebGPU can fail late (shader or buffer limits, a lost device): fall back to WASM, say so.
    if (choice.backend !== 'webgpu') throw error;
    const cause = error instanceof Error ? error.message : String(error);
    const wasm = chooseBackend({ ...facts, preference: 'wasm', probe: null });
    return loadOn(ref, { ...wasm, reason: 'WebGPU failed to load the model', note: `WebGPU failed (${cause}); ran on WASM instead.` }, options);
  });
}

async function loadOn(ref: ModelRef, choice: BackendChoice, options: LoadOptions): Promise<LoadedModel> {
  const { backend } = choice;
  const t0 = performance.now();
  // A model trained here loads through the shipped model's folder with its own config.
  const base = ref.config ? SHIPPED_MODEL.name : ref.name;
  const shipped = (SHIPPED_MODELS as readonly string[]).includes(base);
  if (!shipped && !options.resources.allowRemote) {
    throw new Error(`The model '${ref.name}' is not shipped with Tokenloom and loading from the Hugging Face hub is off here. Use tokenloom-tiny.`);
  }
  env.allowLocalModels = shipped;
  env.allowRemoteModels = !shipped && options.resources.allowRemote;
  env.localModelPath = options.resources.modelPath;
  useFileCache(env);

  // The shipped file's bytes for the embedding table: on the server read from disk while
  // transformers.js loads the model; in the browser read after it from the Cache API entry the
  // load just made (shared/file-cache.ts), so the bytes are downloaded once.
  const wantBytes = shipped && !ref.onnx;
  let shippedBytes = wantBytes && options.where === 'server' ? readModelBytes(ref, options.resources) : null;
  shippedBytes?.catch(() => undefined);
  const fileProgress = new Map<string, number>();
  let filesRead = t0;
  let model: PreTrainedModel;
  try {
    model = await AutoModelForCausalLM.from_pretrained(base, {
      device: backend,
      ...(ref.config ? { config: ref.config as never } : {}),
      ...(shipped ? { dtype: 'fp32' as const } : {}),
      progress_callback: (info) => {
        if (info.status === 'done' && info.file.endsWith('.onnx')) filesRead = performance.now();
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

  const sessionReady = performance.now();
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
  const embedding = bytes ? findEmbeddingTable(bytes, vocabSize) : null;
  const end = performance.now();
  return {
    ref,
    backend,
    backendNote: choice.note,
    backendReason: choice.reason,
    threads: choice.threads,
    loadMs: end - t0,
    loadPhases: { filesMs: filesRead - t0, sessionMs: sessionReady - filesRead, tableMs: end - sessionReady },
    speed: null,
    layers: configNumber(config, 'n_layer', 'num_hidden_layers', 'num_layers') ?? 0,
    heads: configNumber(config, 'n_head', 'num_attention_heads', 'num_heads') ?? 0,
    width: configNumber(config, 'n_embd', 'hidden_size', 'd_model') ?? 0,
    vocabSize,
    maxPositions: configNumber(config, 'n_positions', 'max_position_embeddings', 'n_ctx') ?? 1024,
    eosId: typeof eos === 'number' ? eos : Array.isArray(eos) && typeof eos[0] === 'number' ? eos[0] : null,
    hasAttentions: session.outputNames.some((n) => n.startsWith('attentions.')),
    embedding,
    model,
  };
}

// Running a loaded model lives in forward.ts; re-exported so the nodes import one module.
export { forward, IncrementalDecoder, type ForwardResult } from './forward';

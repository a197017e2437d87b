/**
 * Which backend trains the model: on Auto in the browser, decided by a measurement, as the
 * Transformer node decides its own (transformer/backend-choice.ts), never by the mere presence of
 * a GPU. WebGPU only when the adapter is hardware AND a few training steps of this very model ran
 * faster on it than on WASM; a tiny model often loses on a real GPU (uploads and dispatches cost
 * more than its small matmuls). Otherwise WASM. A chosen backend (WASM or WebGPU) is obeyed as
 * finetune/backend.ts obeys it; the server always trains on WASM.
 *
 *   decideTrainBackend({ name: 'nvidia ampere', hardware: true }, { wasm: 110, webgpu: 40 })
 *   // { backend: 'webgpu', detail: 'webgpu (measured faster here: 40 ms per step on nvidia ampere, 110 ms on WASM)' }
 *
 * The decision is kept per model size in this realm (the worker), so every run of one recipe
 * trains on the backend its first run measured, and Stop then Run again continues on it.
 *
 * Not handled here: loading tfjs and its backends (finetune/backend.ts), the training itself (train.ts).
 */
import type * as TfCore from '@tensorflow/tfjs';
import { loadTf, type BackendChoice, type LoadedTf, type Tf } from '../finetune/backend';
import { Gpt2, initialWeights, type Gpt2Config } from '../finetune/gpt2';
import { webGpuAdapter, type WebGpuAdapterInfo } from '../shared/gpu-adapter';

/** ms per training step of the model to train, on each backend; webgpu null when it could not be timed. */
export interface StepProbe {
  wasm: number;
  webgpu: number | null;
}

export interface TrainBackend {
  backend: 'wasm' | 'webgpu';
  /** For the inspector's "on …": what trains, and why. */
  detail: string;
}

/** Steps timed on each backend after one warm-up step (its shader compiles and first uploads are not the speed). */
export const PROBE_STEPS = 2;

const ms = (x: number) => `${x < 10 ? x.toFixed(1) : Math.round(x)} ms`;

/** Whether Auto must time the GPU against WASM: only in a browser with a hardware adapter. */
export function needsStepProbe(choice: BackendChoice, where: 'browser' | 'server', adapter: WebGpuAdapterInfo | null): boolean {
  return where === 'browser' && choice === 'auto' && adapter?.hardware === true;
}

/** Auto's rule in the browser, from the adapter and, on a hardware one, the probe. */
export function decideTrainBackend(adapter: WebGpuAdapterInfo | null, probe: StepProbe | null): TrainBackend {
  if (!adapter) return { backend: 'wasm', detail: 'wasm (this browser has no WebGPU)' };
  if (!adapter.hardware) return { backend: 'wasm', detail: `wasm (no hardware GPU: the WebGPU adapter here is software, ${adapter.name})` };
  if (!probe || probe.webgpu === null || !Number.isFinite(probe.webgpu)) return { backend: 'wasm', detail: `wasm (WebGPU could not be timed on ${adapter.name})` };
  if (probe.webgpu < probe.wasm) {
    return { backend: 'webgpu', detail: `webgpu (measured faster here: ${ms(probe.webgpu)} per step on ${adapter.name}, ${ms(probe.wasm)} on WASM)` };
  }
  return { backend: 'wasm', detail: `wasm (measured faster here than the GPU for this model: ${ms(probe.wasm)} per step, ${ms(probe.webgpu)} on WebGPU, ${adapter.name})` };
}

/**
 * ms per training step of a model of `config` on tf's active backend: fresh weights, the first
 * windows of `ids`, Adam, one warm-up step then PROBE_STEPS timed. Leaves no tensor behind.
 */
export async function timeTrainingStep(tf: Tf, config: Gpt2Config, ids: Int32Array, batchSize: number): Promise<number> {
  const window = config.nPositions + 1;
  const rows = Math.max(1, Math.min(batchSize, Math.floor(ids.length / window)));
  const model = new Gpt2(tf, initialWeights(config, 1), config);
  const optimizer = tf.train.adam(1e-3);
  const batch = tf.tensor2d(ids.subarray(0, rows * window), [rows, window], 'int32');
  try {
    const step = async () => {
      const loss = optimizer.minimize(() => model.loss(batch as TfCore.Tensor2D), true);
      if (loss) {
        await loss.data();
        loss.dispose();
      }
    };
    await step();
    const t0 = performance.now();
    for (let i = 0; i < PROBE_STEPS; i++) await step();
    return (performance.now() - t0) / PROBE_STEPS;
  } finally {
    batch.dispose();
    optimizer.dispose();
    model.dispose();
  }
}

/** Decisions already measured in this realm, by model size and batch. */
const decided = new Map<string, TrainBackend>();

/**
 * Auto's choice in the browser for a model size: with a hardware adapter, the first call times
 * `timeOn` on WASM then on WebGPU (null, or a throw: WebGPU could not run) and keeps the faster;
 * later calls for the same size get the same answer without timing again.
 */
export async function chooseTrainBackend(
  sizeKey: string,
  timeOn: (backend: 'wasm' | 'webgpu') => Promise<number | null>,
  adapterOf: () => Promise<WebGpuAdapterInfo | null> = webGpuAdapter,
): Promise<TrainBackend> {
  const known = decided.get(sizeKey);
  if (known) return known;
  const adapter = await adapterOf();
  let decision: TrainBackend;
  if (!needsStepProbe('auto', 'browser', adapter)) {
    decision = decideTrainBackend(adapter, null);
  } else {
    const wasm = (await timeOn('wasm')) ?? Number.POSITIVE_INFINITY;
    let webgpu: number | null;
    try {
      webgpu = await timeOn('webgpu');
    } catch {
      webgpu = null; // the GPU backend failed to start or to run: WASM it is
    }
    decision = decideTrainBackend(adapter, { wasm, webgpu });
  }
  decided.set(sizeKey, decision);
  return decision;
}

/** tfjs on the backend this training should use: the one asked for, or on Auto in the browser, the measured one. */
export async function loadTrainTf(choice: BackendChoice, where: 'browser' | 'server', sizeKey: string, probe: (tf: Tf) => Promise<number>): Promise<LoadedTf> {
  if (where === 'browser' && choice === 'wasm') return { ...(await loadTf('wasm', where)), detail: 'wasm (chosen in the Backend setting, or as this browser’s model backend)' };
  if (where !== 'browser' || choice !== 'auto') return loadTf(choice, where);
  const decision = await chooseTrainBackend(sizeKey, async (backend) => {
    const loaded = await loadTf(backend, where);
    return loaded.backend === backend ? probe(loaded.tf) : null;
  });
  const loaded = await loadTf(decision.backend, where);
  return { ...loaded, detail: decision.detail };
}

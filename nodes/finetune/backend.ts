/**
 * Load TensorFlow.js lazily (only when a Fine-tune node runs) on the backend that fits where it
 * runs: `webgpu` in the browser when a real (hardware) adapter is present, else `wasm`; in Node
 * always `wasm` (tfjs-node cannot be installed offline: its install downloads libtensorflow).
 *
 * In the browser the wasm binaries are fetched from the app itself (`/tfjs/`, copied there by
 * scripts/copy-tfjs-wasm.ts), never from a CDN; in Node the package reads them from its own dist/.
 *
 * Not handled here: threads (the threaded wasm build cannot start its workers inside the
 * engine's module worker, so the browser always runs the single-threaded one), and switching back to another backend for other tfjs users in the same
 * realm (tfjs' backend is global; nothing else in the app uses tfjs).
 */
import type * as TfCore from '@tensorflow/tfjs';
import { webGpuAdapter } from '../shared/gpu-adapter';

export type Tf = typeof TfCore;
export const FINETUNE_BACKENDS = ['auto', 'wasm', 'webgpu'] as const;
export type BackendChoice = (typeof FINETUNE_BACKENDS)[number];

/** Where the browser finds the wasm binaries (public/tfjs/). */
export const BROWSER_WASM_PATH = '/tfjs/';

export interface LoadedTf {
  tf: Tf;
  backend: 'wasm' | 'webgpu';
  /** For the inspector: what ran, and why. */
  detail: string;
}

/** A WebGPU adapter's name; null if none, or if it is software and hardware is required. */
async function gpuAdapter(requireHardware: boolean): Promise<string | null> {
  const adapter = await webGpuAdapter();
  if (!adapter || (requireHardware && !adapter.hardware)) return null;
  return adapter.name;
}

let loading: Promise<Tf> | undefined;
let wasmPathSet = false;

/**
 * tfjs with the requested backend active.
 *
 *   const { tf, backend } = await loadTf('auto', 'browser');   // 'webgpu' on a real GPU, else 'wasm'
 */
export async function loadTf(choice: BackendChoice, where: 'browser' | 'server'): Promise<LoadedTf> {
  loading ??= import('@tensorflow/tfjs');
  const tf = await loading;
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  if (where === 'browser' && !wasmPathSet) {
    const origin = (globalThis as { location?: { origin?: string } }).location?.origin ?? '';
    wasm.setWasmPaths(`${origin}${BROWSER_WASM_PATH}`);
    wasmPathSet = true;
  }
  let detail =
    where === 'server' ? 'wasm (Node: tfjs-node is not installable offline)' : choice === 'wasm' ? 'wasm (chosen in the Device setting)' : 'wasm (no hardware WebGPU adapter)';
  let backend: 'wasm' | 'webgpu' = 'wasm';
  if (where === 'browser' && choice !== 'wasm') {
    const adapter = await gpuAdapter(choice === 'auto');
    if (adapter) {
      await import('@tensorflow/tfjs-backend-webgpu');
      backend = 'webgpu';
      detail = `webgpu (${adapter})`;
    } else if (choice === 'webgpu') {
      detail = 'wasm (WebGPU was asked for, but no adapter is available)';
    }
  } else if (choice === 'webgpu') {
    detail = 'wasm (WebGPU is available only in the browser)';
  }
  // On a cross-origin isolated page tfjs would pick its threaded wasm build, whose pthread
  // workers are made from a classic-script Blob that cannot start inside the engine's module
  // worker: training then waits forever. Use the single-threaded SIMD build.
  if (where === 'browser') tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (tf.getBackend() !== backend) {
    const ok = await tf.setBackend(backend);
    if (!ok) throw new Error(`TensorFlow.js could not start its ${backend} backend.`);
  }
  await tf.ready();
  return { tf, backend, detail };
}

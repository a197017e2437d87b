/**
 * ONNX Runtime Web in this browser: the facts the backend choice needs (cross-origin isolation,
 * cores, WebAssembly SIMD, the WebGPU adapter), and its settings before the first session: the
 * WASM files the app serves itself (public/ort/, copied by scripts/copy-ort-wasm.ts, never a
 * CDN), the thread count, and its log level.
 *
 * Not handled here: deciding (backend-choice.ts), loading the model (run-model.ts). In Node the
 * facts are never asked for (server runs are onnxruntime-node).
 */
import { env } from '@huggingface/transformers';
import type { Resources } from '../engine/define-node';
import { webGpuAdapter } from '../shared/gpu-adapter';
import type { BackendFacts } from './backend-choice';
import type { DevicePreference } from './model-choice';
import { ORT_BUILDS, type OrtBuild } from './ort-files';

/**
 * The smallest module using a SIMD instruction (v128.const, i32x4.add's type): validate() is
 * true only where WebAssembly SIMD is on. From the wasm-feature-detect package's simd test.
 */
const SIMD_PROBE = /* not a dependency for 31 bytes */ new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

function hasWasmSimd(): boolean {
  try {
    return WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

/** What this browser offers, for chooseBackend (the probe is added once timed). */
export async function browserFacts(preference: DevicePreference): Promise<Omit<BackendFacts, 'probe'>> {
  const g = globalThis as { crossOriginIsolated?: boolean; navigator?: { hardwareConcurrency?: number } };
  return {
    preference,
    where: 'browser',
    adapter: preference === 'wasm' ? null : await webGpuAdapter(),
    isolated: g.crossOriginIsolated === true,
    cores: g.navigator?.hardwareConcurrency ?? 1,
    simd: hasWasmSimd(),
  };
}

type WasmEnv = { wasmPaths?: unknown; numThreads?: unknown; simd?: unknown };
const wasmEnv = () => (env.backends.onnx as { wasm?: WasmEnv } | undefined)?.wasm;

/**
 * Ask for `threads` WASM threads. ONNX Runtime Web reads this when it first starts, so a later
 * different count has no effect: the count actually in force is returned.
 */
let threadsInForce: number | null = null;
export function useWasmThreads(threads: number): number {
  const wasm = wasmEnv();
  if (!wasm) return 1;
  threadsInForce ??= threads;
  wasm.numThreads = threadsInForce;
  return threadsInForce;
}

let buildInForce: OrtBuild | null = null;
/** The ONNX Runtime build this page started with (null before the first model load). */
export function ortBuildInForce(): OrtBuild | null {
  return buildInForce;
}

let wasmFilesChecked: Promise<void> | null = null;
/**
 * Point ONNX Runtime Web at the WASM files the app serves (public/ort/, beside public/models/),
 * and check once that they are there: a missing file otherwise fails deep inside ONNX Runtime.
 * `build`: 'webgpu' where WebGPU may be asked for on this page, else the quicker WASM-only one
 * (ort-files.ts). ONNX Runtime reads the paths when it first starts, so the first call decides
 * for the page: the build actually in force is returned.
 */
export async function useOwnWasmFiles(resources: Resources, build: OrtBuild): Promise<OrtBuild> {
  const wasm = wasmEnv();
  if (!wasm) return build;
  buildInForce ??= build;
  const files = ORT_BUILDS[buildInForce];
  const base = new URL('../ort/', new URL(resources.modelPath, globalThis.location?.href ?? 'http://localhost/')).href;
  // transformers.js may have swapped `mjs` for a blob: URL of the cached factory: keep it.
  const current = wasm.wasmPaths as { mjs?: string; wasm?: string } | undefined;
  if (current?.wasm !== base + files.wasm) wasm.wasmPaths = { mjs: base + files.mjs, wasm: base + files.wasm };
  // ONNX Runtime logs graph-optimisation warnings through console.error; they are not the
  // learner's errors. Keep its own errors.
  (env.backends.onnx as { logLevel?: string }).logLevel = 'error';
  wasmFilesChecked ??= fetch(base + files.mjs, { method: 'HEAD' })
    .then((response) => {
      if (!response.ok) {
        throw new Error(`The ONNX Runtime files are missing from ${base} (HTTP ${response.status}). Run \`npx tsx scripts/copy-ort-wasm.ts\` before building.`);
      }
    })
    .catch((error: unknown) => {
      wasmFilesChecked = null; // let the next run check again
      throw error;
    });
  await wasmFilesChecked;
  return buildInForce;
}

/**
 * Which backend runs the model, decided from facts about this browser and a measurement, not
 * from the presence of `navigator.gpu`. Pure functions: the facts are gathered elsewhere
 * (browser-runtime.ts) and the probe timed on the loaded model (probe.ts), so every case is
 * tested without a browser.
 *
 *   chooseBackend({ preference: 'auto', where: 'browser', adapter: { name: 'google swiftshader', hardware: false },
 *                   isolated: true, cores: 2, simd: true, probe: null })
 *   // { backend: 'wasm', threads: 2, reason: 'no hardware GPU (the WebGPU adapter here is software: google swiftshader)', note: null }
 *
 * The rule (Auto): WebGPU only when the adapter is hardware (not `isFallbackAdapter`, not
 * SwiftShader/llvmpipe) AND a short probe on it ran faster per token than on WASM for this model;
 * a tiny model can lose to WASM even on a real GPU (upload and dispatch cost more than the
 * matmuls). Otherwise WASM, with as many threads as the page allows: ONNX Runtime Web runs
 * several only on a cross-origin isolated page (SharedArrayBuffer), else one.
 * A chosen backend ("WebGPU" or "WASM" in the Device setting or this browser's override) is
 * obeyed where it can be, and the line says when it could not.
 *
 * Not handled here: measuring (probe.ts), loading (run-model.ts), server runs beyond naming them
 * (onnxruntime-node on the CPU, its own threads).
 */
import type { Backend, DevicePreference } from './model-choice';
import type { WebGpuAdapterInfo } from '../shared/gpu-adapter';

/** Most WASM threads asked for: past 4 a model this size gains little, and the page needs a core. */
export const MAX_WASM_THREADS = 4;

export interface ProbeTimes {
  /** ms per generated token (one position with the key/value cache) on WASM. */
  wasm: number;
  /** The same on WebGPU; null when WebGPU was not probed or failed. */
  webgpu: number | null;
}

export interface BackendFacts {
  preference: DevicePreference;
  where: 'browser' | 'server';
  /** The WebGPU adapter this browser offers; null without one. */
  adapter: WebGpuAdapterInfo | null;
  /** `crossOriginIsolated`: SharedArrayBuffer, hence WASM threads, are allowed. */
  isolated: boolean;
  /** `navigator.hardwareConcurrency` (1 when unknown). */
  cores: number;
  /** Whether this browser's WebAssembly has SIMD (ONNX Runtime Web's builds need it). */
  simd: boolean;
  /** Probe timings; null before probing. */
  probe: ProbeTimes | null;
}

export interface BackendChoice {
  backend: Backend;
  /** WASM threads; null off WASM. */
  threads: number | null;
  /** Why this backend, in a few words, for the "Ran on" line. */
  reason: string;
  /** What differs from what was asked for, if anything. */
  note: string | null;
}

/** The WASM threads a page gets: one unless cross-origin isolated, then up to MAX_WASM_THREADS. */
export function wasmThreadCount(isolated: boolean, cores: number): number {
  if (!isolated) return 1;
  const n = Number.isFinite(cores) ? Math.floor(cores) : 1;
  return Math.max(1, Math.min(MAX_WASM_THREADS, n));
}

/** Whether Auto must time WebGPU against WASM before choosing: only on a hardware adapter. */
export function needsWebGpuProbe(facts: Omit<BackendFacts, 'probe'>): boolean {
  return facts.where === 'browser' && facts.preference === 'auto' && facts.adapter?.hardware === true;
}

const ms = (x: number) => `${x < 10 ? x.toFixed(1) : Math.round(x)} ms`;

/** What the WASM line adds about threads and SIMD: why one thread, or that SIMD is missing. */
function wasmCaveats(facts: BackendFacts, threads: number): string {
  const parts: string[] = [];
  if (!facts.isolated) parts.push('one thread because the page is not cross-origin isolated');
  else if (threads === 1) parts.push('one thread: this device reports one core');
  if (!facts.simd) parts.push('this browser’s WebAssembly has no SIMD, so it is slow');
  return parts.length ? `; ${parts.join('; ')}` : '';
}

export function chooseBackend(facts: BackendFacts): BackendChoice {
  if (facts.where === 'server') {
    return {
      backend: 'cpu',
      threads: null,
      reason: 'server runs use onnxruntime-node',
      note: facts.preference === 'webgpu' ? 'WebGPU was asked for, but server runs use onnxruntime-node on the CPU.' : null,
    };
  }
  const threads = wasmThreadCount(facts.isolated, facts.cores);
  const wasm = (reason: string, note: string | null = null): BackendChoice => ({
    backend: 'wasm',
    threads,
    reason: reason + wasmCaveats(facts, threads),
    note,
  });
  const { adapter, probe } = facts;
  switch (facts.preference) {
    case 'wasm':
      return wasm('chosen in the Device setting or for this browser');
    case 'webgpu':
      if (!adapter) return wasm('no WebGPU adapter in this browser', 'WebGPU was asked for, but this browser gives no WebGPU adapter: ran on WASM instead.');
      return {
        backend: 'webgpu',
        threads: null,
        reason: adapter.hardware ? `chosen in the Device setting or for this browser (${adapter.name})` : `chosen in the Device setting or for this browser; the adapter here is software (${adapter.name}), slower than WASM`,
        note: null,
      };
    case 'auto': {
      if (!adapter) return wasm('this browser has no WebGPU');
      if (!adapter.hardware) return wasm(`no hardware GPU (the WebGPU adapter here is software: ${adapter.name})`);
      if (!probe || probe.webgpu === null) return wasm(`WebGPU could not be timed on ${adapter.name}`);
      if (probe.webgpu < probe.wasm) {
        return { backend: 'webgpu', threads: null, reason: `faster here: ${ms(probe.webgpu)} per token on ${adapter.name}, ${ms(probe.wasm)} on WASM`, note: null };
      }
      return wasm(`faster here than the GPU for this model: ${ms(probe.wasm)} per token, ${ms(probe.webgpu)} on WebGPU (${adapter.name})`);
    }
    default: {
      const unknown: never = facts.preference;
      return unknown;
    }
  }
}

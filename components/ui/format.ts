/**
 * How the lab writes numbers: durations, sizes, probabilities, and where a model ran. One
 * formatter for each, so every view reads the same.
 */

/** '<1 ms', '42 ms', '1.25 s', '12.5 s'. */
export function formatMs(ms: number): string {
  if (ms < 1) return '<1 ms';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** '512 B', '1.5 KB', '2.0 MB'. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** A probability as a percentage: '42.0%', small ones with one more digit: '3.25%'. */
export function percent(p: number): string {
  return `${(p * 100).toFixed(p >= 0.1 ? 1 : 2)}%`;
}

/** Where a model ran, in words. */
export const BACKEND_LABEL = { webgpu: 'WebGPU', wasm: 'WASM (CPU in the browser)', cpu: 'CPU (onnxruntime-node)', ollama: 'Ollama' } as const;

/**
 * Which backend ran and why, in words, for the "Ran on" line:
 *
 *   describeBackend('wasm', 1, 'no hardware GPU')     // 'WASM, 1 thread: no hardware GPU'
 *   describeBackend('webgpu', null, 'hardware adapter') // 'WebGPU: hardware adapter'
 *
 * Without a reason (a run cached before reasons were recorded) it is the backend's name alone.
 */
export function describeBackend(backend: keyof typeof BACKEND_LABEL, threads: number | null, reason: string | null): string {
  const name =
    backend === 'wasm' && threads !== null ? `WASM, ${threads} thread${threads === 1 ? '' : 's'}` : backend === 'wasm' ? 'WASM' : BACKEND_LABEL[backend];
  return reason ? `${name}: ${reason}` : name;
}

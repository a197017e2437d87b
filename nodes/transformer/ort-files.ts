/**
 * The ONNX Runtime Web files the browser loads, served by the app from public/ort/ (copied there
 * by scripts/copy-ort-wasm.ts). transformers.js's web bundle imports onnxruntime-web/webgpu, whose
 * own WASM build (asyncify) runs both the WebGPU and the WASM execution providers. The plain
 * build runs WASM only, and here it is about 3× quicker to start (half the size to download and
 * compile) and up to 2× quicker per token (no asyncify instrumentation), measured side by side in
 * Chromium; the same API layer drives either. A page uses one build for its lifetime (ONNX
 * Runtime starts once per realm), so the plain one is taken only where WebGPU is not going to
 * be asked for (browser-runtime.ts).
 *
 * Not handled here: setting the paths (browser-runtime.ts), copying (the script).
 */
export const ORT_BUILDS = {
  wasm: { mjs: 'ort-wasm-simd-threaded.mjs', wasm: 'ort-wasm-simd-threaded.wasm' },
  webgpu: { mjs: 'ort-wasm-simd-threaded.asyncify.mjs', wasm: 'ort-wasm-simd-threaded.asyncify.wasm' },
} as const;

export type OrtBuild = keyof typeof ORT_BUILDS;

/** Every file of every build, for the copy script. */
export const ORT_WASM_FILES = Object.values(ORT_BUILDS).flatMap((b) => [b.mjs, b.wasm]);

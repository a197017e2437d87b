/**
 * The ONNX Runtime Web files the browser loads, served by the app from public/ort/ (copied there
 * by scripts/copy-ort-wasm.ts). transformers.js's web bundle imports onnxruntime-web/webgpu,
 * whose one WASM build (asyncify) runs both the WebGPU and the WASM execution providers.
 *
 * Not handled here: setting the paths (run-model.ts), copying (the script).
 */
export const ORT_WASM_FILES = { mjs: 'ort-wasm-simd-threaded.asyncify.mjs', wasm: 'ort-wasm-simd-threaded.asyncify.wasm' } as const;

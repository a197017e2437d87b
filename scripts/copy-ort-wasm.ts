/**
 * Copy the ONNX Runtime Web files the browser needs into public/ort/, so the app serves them
 * itself (run-model.ts points env.backends.onnx.wasm.wasmPaths there) and never asks a CDN.
 *
 * The copy comes from the onnxruntime-web that @huggingface/transformers actually imports
 * (its own nested node_modules if it has one, else the top-level one), checked against the
 * version transformers.js pins: a mismatched .wasm fails at session creation with an obscure
 * error, so a mismatch stops here with a clear one. The two builds the app loads are copied
 * (nodes/transformer/ort-files.ts): the asyncify one transformers.js's web bundle names
 * (WebGPU and WASM), and the plain one (WASM only, quicker to start and to run).
 *
 * Not handled here: the files' cache headers, other ONNX Runtime builds (jsep, jspi),
 * committing anything (public/ort/ is git-ignored; run this before dev and build).
 *
 *   npx tsx scripts/copy-ort-wasm.ts            # copies, or says the copy is up to date
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ORT_WASM_FILES } from '../nodes/transformer/ort-files';

const root = process.cwd();
const transformersDir = path.join(root, 'node_modules', '@huggingface', 'transformers');
const nested = path.join(transformersDir, 'node_modules', 'onnxruntime-web');
const ortDir = existsSync(nested) ? nested : path.join(root, 'node_modules', 'onnxruntime-web');
const outDir = path.join(root, 'public', 'ort');

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

const wanted = (readJson(path.join(transformersDir, 'package.json')).dependencies as Record<string, string>)['onnxruntime-web'];
const found = readJson(path.join(ortDir, 'package.json')).version as string;
if (wanted && wanted.replace(/^[\^~=]/, '') !== found) {
  console.error(`copy-ort-wasm: @huggingface/transformers wants onnxruntime-web ${wanted}, but ${path.relative(root, ortDir)} is ${found}. Run npm install.`);
  process.exit(1);
}

mkdirSync(outDir, { recursive: true });
let copied = 0;
for (const name of ORT_WASM_FILES) {
  const from = path.join(ortDir, 'dist', name);
  const to = path.join(outDir, name);
  if (!existsSync(from)) {
    console.error(`copy-ort-wasm: ${path.relative(root, from)} is missing; onnxruntime-web ${found} does not ship it.`);
    process.exit(1);
  }
  const a = statSync(from);
  if (existsSync(to) && statSync(to).size === a.size && statSync(to).mtimeMs >= a.mtimeMs) continue;
  copyFileSync(from, to);
  copied++;
}
console.log(
  copied
    ? `copy-ort-wasm: copied ${copied} file(s) of onnxruntime-web ${found} to public/ort/`
    : `copy-ort-wasm: public/ort/ is up to date (onnxruntime-web ${found})`,
);

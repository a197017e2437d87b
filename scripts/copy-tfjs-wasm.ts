/**
 * Copy TensorFlow.js's wasm backend binaries into public/tfjs/, so the Fine-tune node's worker
 * loads them from the app itself (nodes/finetune/backend.ts calls setWasmPaths('/tfjs/')) and
 * never from a CDN. All three builds are copied (plain, SIMD, threaded SIMD): the backend picks
 * one from what the browser supports.
 *
 * Not handled here: the files' cache headers, committing anything (public/tfjs/ is git-ignored;
 * run this before dev and build).
 *
 *   npx tsx scripts/copy-tfjs-wasm.ts            # copies, or says the copy is up to date
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = process.cwd();
const from = path.join(root, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
const outDir = path.join(root, 'public', 'tfjs');

if (!existsSync(from)) {
  console.error(`copy-tfjs-wasm: ${path.relative(root, from)} is missing. Run npm install.`);
  process.exit(1);
}
const files = readdirSync(from).filter((name) => name.endsWith('.wasm'));
if (files.length === 0) {
  console.error(`copy-tfjs-wasm: no .wasm files in ${path.relative(root, from)}.`);
  process.exit(1);
}
mkdirSync(outDir, { recursive: true });
let copied = 0;
for (const name of files) {
  const source = path.join(from, name);
  const target = path.join(outDir, name);
  const a = statSync(source);
  if (existsSync(target) && statSync(target).size === a.size && statSync(target).mtimeMs >= a.mtimeMs) continue;
  copyFileSync(source, target);
  copied++;
}
console.log(copied ? `copy-tfjs-wasm: copied ${copied} of ${files.length} files to public/tfjs/` : 'copy-tfjs-wasm: public/tfjs/ is up to date');

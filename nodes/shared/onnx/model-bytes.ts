/**
 * The ONNX bytes of a model on a `model` port, wherever the node runs: a fine-tuned model carries
 * them; the shipped one is fetched from `${modelPath}<name>/onnx/model.onnx` in the browser and
 * read from that path on disk in Node (through process.getBuiltinModule, so nodes/ imports no
 * Node-only module and still bundles for a Web Worker). Also a short content hash for weightsId.
 *
 * Not handled here: hub models (only files under modelPath), external-data ONNX files.
 */
import type { Resources } from '../../engine/define-node';
import type { ModelRef } from '../model-ref';
import { fetchCachedBytes } from '../file-cache';

const shipped = new Map<string, Promise<Uint8Array>>();

async function readPath(location: string): Promise<Uint8Array> {
  const getBuiltin = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
  if (typeof getBuiltin === 'function') {
    const fs = getBuiltin('fs/promises') as { readFile(path: string): Promise<Uint8Array> } | undefined;
    if (fs) return new Uint8Array(await fs.readFile(location));
  }
  return fetchCachedBytes(location);
}

/** The model's ONNX file. Shipped files are read once per realm and shared (never modified). */
export function readModelBytes(model: ModelRef, resources: Resources): Promise<Uint8Array> {
  if (model.onnx) return Promise.resolve(model.onnx);
  const location = `${resources.modelPath}${model.name}/onnx/model.onnx`;
  let pending = shipped.get(location);
  if (!pending) {
    pending = readPath(location);
    shipped.set(location, pending);
    pending.catch(() => shipped.delete(location));
  }
  return pending;
}

/**
 * 12 hex digits of two FNV-1a hashes (different offsets) over the bytes: identifies fine-tuned
 * weights in labels and cache keys. Not cryptographic.
 *
 *   shortHash(new Uint8Array([]))   // '811c9dc5050c' (the two offsets)
 */
export function shortHash(bytes: Uint8Array): string {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < bytes.length; i++) {
    a = Math.imul(a ^ bytes[i]!, 0x01000193);
    b = Math.imul(b ^ bytes[i]!, 0x01000193);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0').slice(0, 4);
}

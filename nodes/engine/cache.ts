/**
 * The recipe cache: node results keyed by what produced them.
 *
 *   key = hash(type, version, canonical params, keys of the upstream outputs)
 *
 * So a result is reused exactly when the same recipe would recompute it, wherever the node
 * sits in the graph and whichever run asks. Bounded by an estimate of the bytes held (LRU).
 *
 * Not handled here: persistence across page loads or processes.
 */
import { LRUCache } from 'lru-cache';
import { hash } from 'ohash';

export interface CachedResult {
  outputs: Record<string, unknown>;
  /** What the node's run left for its view and queries (see NodeDefinition.details). */
  details?: unknown;
  view: unknown;
  /** How long the computation took when it ran. */
  ms: number;
}

export interface RecipeCache {
  get(key: string): CachedResult | undefined;
  set(key: string, value: CachedResult): void;
  clear(): void;
  readonly size: number;
}

export function recipeKey(parts: {
  type: string;
  version: number;
  params: unknown;
  inputs: Record<string, string>;
}): string {
  return hash(parts);
}

/**
 * A rough size in bytes, good enough to bound memory. Large arrays are sampled rather than
 * walked so that sizing a 50k-entry vocabulary costs microseconds.
 */
export function estimateBytes(value: unknown, depth = 0): number {
  if (value === null || value === undefined) return 8;
  switch (typeof value) {
    case 'string':
      return 2 * value.length + 16;
    case 'number':
    case 'boolean':
    case 'bigint':
      return 8;
    case 'object':
      break;
    default:
      return 16;
  }
  if (ArrayBuffer.isView(value)) return value.byteLength + 32;
  if (value instanceof ArrayBuffer) return value.byteLength + 32;
  if (depth > 6) return 64;
  if (Array.isArray(value)) {
    const n = value.length;
    if (n === 0) return 16;
    const sample = Math.min(n, 64);
    let sum = 0;
    for (let i = 0; i < sample; i++) sum += estimateBytes(value[Math.floor((i * n) / sample)], depth + 1);
    return 16 + (sum / sample) * n;
  }
  if (value instanceof Map) {
    // The first 64 entries stand for all of them (a Map cannot be sampled across its length).
    let entries = 0;
    let sampled = 0;
    for (const [k, v] of value) {
      if (sampled === 64) break;
      entries += estimateBytes(k, depth + 1) + estimateBytes(v, depth + 1);
      sampled++;
    }
    return sampled === 0 ? 32 : 32 + (entries / sampled) * value.size;
  }
  let sum = 32;
  for (const k in value as Record<string, unknown>) {
    sum += 2 * k.length + estimateBytes((value as Record<string, unknown>)[k], depth + 1);
  }
  return sum;
}

export function createRecipeCache(options: { maxBytes?: number } = {}): RecipeCache {
  const lru = new LRUCache<string, CachedResult>({
    maxSize: options.maxBytes ?? 256 * 1024 * 1024,
    sizeCalculation: (v) => Math.max(1, Math.round(estimateBytes(v.outputs) + estimateBytes(v.details) + estimateBytes(v.view))),
  });
  return {
    get: (key) => lru.get(key),
    set: (key, value) => {
      lru.set(key, value);
    },
    clear: () => lru.clear(),
    get size() {
      return lru.size;
    },
  };
}

/**
 * The app's own model, tokenizer and ONNX Runtime files kept in the browser's Cache API, so a
 * second visit reads them from disk instead of downloading the model again.
 *
 * transformers.js already caches every file it loads in the Cache API (env.useBrowserCache,
 * on wherever `caches` exists), under one cache named by env.cacheKey and keyed by the file's
 * path. A path does not change when the model is retrained, so with its default name a new
 * model would be served stale forever. Here the cache is named after the files' version
 * (`tokenloom-files-<hash>`): next.config.mjs hashes public/models, public/hub and public/ort
 * at build time into NEXT_PUBLIC_TOKENLOOM_FILES_VERSION. A new build with other files opens a
 * new cache, and caches of other versions (and transformers.js's unversioned one) are deleted.
 * readModelBytes (onnx/model-bytes.ts) reads the model's bytes from the same cache.
 *
 *   useFileCache(env)   // env.cacheKey = 'tokenloom-files-3f9c2a1b7d0e' in a secure page
 *
 * Where the Cache API is missing (plain http on a LAN address is not a secure context, and
 * `caches` is undefined there) or refuses (a private window, a full disk), nothing is cached
 * and every file downloads as before, silently. In Node there is nothing to do (files are read
 * from disk).
 *
 * Not handled here: hub downloads' own staleness (they are keyed by id and revision, kept in
 * the same cache until the next version), the HTTP cache.
 */

/** Caches this app made start with this; any other version's is deleted. */
export const FILE_CACHE_PREFIX = 'tokenloom-files-';
/** transformers.js's default cache name: unversioned, so what it holds may be stale. */
const LIBRARY_DEFAULT_CACHE = 'transformers-cache';

function buildVersion(): string | null {
  try {
    // Replaced by its value at build time (next.config.mjs `env`); absent elsewhere.
    const version = process.env.NEXT_PUBLIC_TOKENLOOM_FILES_VERSION;
    return version && /^[0-9a-f]{6,64}$/.test(version) ? version : null;
  } catch {
    return null; // no `process` in a browser realm the build did not touch
  }
}

type CacheStorageLike = Pick<CacheStorage, 'open' | 'keys' | 'delete'>;

/** The realm's CacheStorage, or null where there is none (Node, a non-secure page). */
function storage(): CacheStorageLike | null {
  const g = globalThis as { caches?: CacheStorageLike; isSecureContext?: boolean };
  if (g.isSecureContext === false || !g.caches) return null;
  return g.caches;
}

/** The versioned cache's name, or null when nothing should be cached here. */
export function fileCacheName(version: string | null = buildVersion()): string | null {
  return version && storage() ? FILE_CACHE_PREFIX + version : null;
}

let pruned: Promise<void> | null = null;
/** Delete other versions' caches and the library's unversioned one, once per realm, in the background. */
function pruneOthers(current: string): Promise<void> {
  pruned ??= (async () => {
    const caches = storage();
    if (!caches) return;
    try {
      const names = await caches.keys();
      const stale = names.filter((n) => n !== current && (n === LIBRARY_DEFAULT_CACHE || n.startsWith(FILE_CACHE_PREFIX)));
      await Promise.all(stale.map((n) => caches.delete(n)));
    } catch {
      // Cleaning up is a courtesy: a refusal leaves old entries, never breaks a run.
    }
  })();
  return pruned;
}

/** The part of transformers.js's `env` this sets. */
export interface CacheEnv {
  useBrowserCache: boolean;
  cacheKey: string;
}

/**
 * Point transformers.js's cache at this build's versioned cache, or turn it off where the Cache
 * API is missing. Call before each load: `env` is shared by every load in the realm. Returns the
 * cache's name, or null when nothing is cached.
 */
export function useFileCache(env: CacheEnv, allowed = true): string | null {
  const name = fileCacheName();
  if (!name || !allowed) {
    env.useBrowserCache = false;
    return null;
  }
  env.useBrowserCache = true;
  env.cacheKey = name;
  void pruneOthers(name);
  return name;
}

/** The versioned cache, or null where there is none or it cannot be opened. */
async function openFileCache(): Promise<Cache | null> {
  const name = fileCacheName();
  const caches = storage();
  if (!name || !caches) return null;
  try {
    return await caches.open(name);
  } catch {
    return null;
  }
}

/**
 * A file's bytes from the versioned cache, else from the network (then stored, best effort).
 * `url` is what transformers.js keys the same file by (e.g. '/models/tokenloom-tiny/onnx/model.onnx').
 */
export async function fetchCachedBytes(url: string): Promise<Uint8Array> {
  const cache = await openFileCache();
  const hit = await cache?.match(url).catch(() => undefined);
  if (hit?.ok) {
    try {
      return new Uint8Array(await hit.arrayBuffer());
    } catch {
      // An entry that cannot be read (evicted mid-read): download it instead.
    }
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`Could not read the model file ${url} (HTTP ${response.status}).`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (cache) {
    const headers = new Headers(response.headers);
    headers.set('content-length', String(bytes.byteLength));
    await cache.put(url, new Response(bytes, { headers })).catch(() => undefined);
  }
  return bytes;
}

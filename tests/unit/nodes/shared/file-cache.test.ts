import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { FILE_CACHE_PREFIX, fetchCachedBytes, fileCacheName, useFileCache } from '@/nodes/shared/file-cache';

/**
 * The browser-cache boundary in Node: where the Cache API is missing (Node, a non-secure page),
 * refuses, or has no build version, nothing is cached and the bytes still come from the server.
 * The real Cache API is exercised in Chromium (tests/e2e/model-cache.spec.ts).
 */
const BYTES = new Uint8Array([0, 1, 2, 250, 251, 252]);
let server: Server;
let base = '';
let requests = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests++;
    if (req.url === '/models/m/onnx/model.onnx') res.end(Buffer.from(BYTES));
    else res.writeHead(404).end('missing');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => server.close());
afterEach(() => {
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
});

const env = () => ({ useBrowserCache: true, cacheKey: 'transformers-cache' });

describe('the versioned file cache', () => {
  it('is off in Node (no Cache API): transformers.js caches nothing and the bytes come from the server', async () => {
    vi.stubEnv('NEXT_PUBLIC_TOKENLOOM_FILES_VERSION', 'abcdef012345');
    const e = env();
    expect(useFileCache(e)).toBeNull();
    expect(e.useBrowserCache).toBe(false);
    requests = 0;
    expect(await fetchCachedBytes(`${base}/models/m/onnx/model.onnx`)).toEqual(BYTES);
    expect(requests).toBe(1);
  });

  it('is off on a page that is not a secure context, even where `caches` is defined', () => {
    vi.stubEnv('NEXT_PUBLIC_TOKENLOOM_FILES_VERSION', 'abcdef012345');
    vi.stubGlobal('caches', { open: () => Promise.reject(new Error('unused')), keys: async () => [], delete: async () => true });
    vi.stubGlobal('isSecureContext', false);
    expect(fileCacheName()).toBeNull();
  });

  it('names the cache after the build’s version, and is off without one (never the unversioned default)', () => {
    vi.stubGlobal('caches', { open: () => Promise.reject(new Error('unused')), keys: async () => [], delete: async () => true });
    vi.stubEnv('NEXT_PUBLIC_TOKENLOOM_FILES_VERSION', '0a7004955f4843c8');
    expect(fileCacheName()).toBe(`${FILE_CACHE_PREFIX}0a7004955f4843c8`);
    vi.stubEnv('NEXT_PUBLIC_TOKENLOOM_FILES_VERSION', '');
    const e = env();
    expect(useFileCache(e)).toBeNull();
    expect(e).toEqual({ useBrowserCache: false, cacheKey: 'transformers-cache' });
    // Not a hash: ignored rather than trusted as a cache name.
    vi.stubEnv('NEXT_PUBLIC_TOKENLOOM_FILES_VERSION', '../other');
    expect(fileCacheName()).toBeNull();
  });

  it('downloads anyway when the Cache API refuses to open (a private window, a full disk)', async () => {
    vi.stubEnv('NEXT_PUBLIC_TOKENLOOM_FILES_VERSION', 'abcdef012345');
    vi.stubGlobal('caches', {
      open: () => Promise.reject(new DOMException('An attempt was made to break through the security policy of the user agent.', 'SecurityError')),
      keys: () => Promise.reject(new Error('refused')),
      delete: () => Promise.reject(new Error('refused')),
    });
    const e = env();
    expect(useFileCache(e)).toBe(`${FILE_CACHE_PREFIX}abcdef012345`);
    requests = 0;
    expect(await fetchCachedBytes(`${base}/models/m/onnx/model.onnx`)).toEqual(BYTES);
    expect(requests).toBe(1);
  });

  it('says which file is missing when the server has none', async () => {
    await expect(fetchCachedBytes(`${base}/models/none/onnx/model.onnx`)).rejects.toThrow(/Could not read the model file .*none.* \(HTTP 404\)/);
  });
});

/**
 * estimateBytes, the size model behind the recipe cache's memory bound: 2 bytes per UTF-16 code
 * unit + 16 for a string, 8 for a number, the bytes of a typed array + 32, and containers as the
 * sum of their parts (sampled past 64 items, so a 50k-entry vocabulary is sized in microseconds).
 * If the model drifts, the cache holds far more (or far less) than its bound says.
 */
import { describe, expect, it } from 'vitest';
import { createRecipeCache, estimateBytes } from '@/nodes/engine/cache';

/** The same model without sampling: every item walked. */
function walked(value: unknown): number {
  if (Array.isArray(value)) return value.length === 0 ? 16 : 16 + value.reduce((sum: number, v) => sum + estimateBytes(v, 1), 0);
  if (value instanceof Map) {
    let sum = 32;
    for (const [k, v] of value) sum += estimateBytes(k, 1) + estimateBytes(v, 1);
    return sum;
  }
  return estimateBytes(value);
}

describe('estimateBytes', () => {
  it('counts a string as 2 bytes per UTF-16 code unit plus 16, and a scalar as 8', () => {
    expect(estimateBytes('')).toBe(16);
    expect(estimateBytes('abc')).toBe(22);
    expect(estimateBytes('🙂')).toBe(20);
    expect(estimateBytes(42)).toBe(8);
    expect(estimateBytes(true)).toBe(8);
    expect(estimateBytes(10n)).toBe(8);
    expect(estimateBytes(null)).toBe(8);
    expect(estimateBytes(undefined)).toBe(8);
    expect(estimateBytes(() => 1)).toBe(16);
    expect(estimateBytes(Symbol('s'))).toBe(16);
  });

  it('counts typed arrays and buffers by their bytes, however many elements they hold', () => {
    expect(estimateBytes(new Float32Array(50_257))).toBe(50_257 * 4 + 32);
    expect(estimateBytes(new Uint8Array(10))).toBe(42);
    expect(estimateBytes(new ArrayBuffer(1000))).toBe(1032);
    expect(estimateBytes(new DataView(new ArrayBuffer(64)))).toBe(96);
  });

  it('counts arrays, maps and objects as the sum of their parts', () => {
    expect(estimateBytes([])).toBe(16);
    expect(estimateBytes([1, 2, 3])).toBe(16 + 24);
    expect(estimateBytes(['ab', 'cd'])).toBe(16 + 2 * 20);
    expect(estimateBytes(new Map([['ab', 1]]))).toBe(32 + 20 + 8);
    expect(estimateBytes(new Map())).toBe(32);
    expect(estimateBytes({})).toBe(32);
    expect(estimateBytes({ ab: 'cd', n: 1 })).toBe(32 + (4 + 20) + (2 + 8));
  });

  it('sizes a 50,000-entry vocabulary from a sample, within 5% of walking all of it', () => {
    const vocabulary = Array.from({ length: 50_000 }, (_, i) => `token-${'x'.repeat(i % 17)}-${i}`);
    const estimate = estimateBytes(vocabulary);
    expect(Math.abs(estimate - walked(vocabulary)) / walked(vocabulary)).toBeLessThan(0.05);
    // Sampled across the whole array, not only its start: long items at the end still count.
    const growing = Array.from({ length: 10_000 }, (_, i) => 'y'.repeat(Math.floor(i / 100)));
    expect(Math.abs(estimateBytes(growing) - walked(growing)) / walked(growing)).toBeLessThan(0.05);
  });

  it('sizes a large map from its first entries, within 5% when the entries are alike', () => {
    const counts = new Map(Array.from({ length: 5000 }, (_, i) => [`pair ${String(i).padStart(5, '0')}`, i] as const));
    const estimate = estimateBytes(counts);
    expect(Math.abs(estimate - walked(counts)) / walked(counts)).toBeLessThan(0.05);
    expect(estimateBytes(new Map(Array.from({ length: 64 }, (_, i) => [i, i] as const)))).toBe(32 + 64 * 16);
    // Alike entries past the sample: exactly what walking them gives.
    const alike = new Map(Array.from({ length: 1000 }, (_, i) => [i, 'ab'] as const));
    expect(estimateBytes(alike)).toBe(walked(alike));
    expect(estimateBytes(alike)).toBe(32 + 1000 * (8 + 20));
  });

  it('sizes a map past 64 entries from its first 64 only, however large the rest', () => {
    // A million-entry pair-count table is sized in microseconds: entries past the 64th are not read.
    const small = Array.from({ length: 64 }, (_, i) => [i, 1] as const);
    const large = Array.from({ length: 36 }, (_, i) => [64 + i, 'x'.repeat(10_000)] as const);
    expect(estimateBytes(new Map<number, unknown>([...small, ...large]))).toBe(32 + 100 * 16);
  });

  it('stops descending past six levels of nesting instead of walking a deep structure', () => {
    const big = 'z'.repeat(100_000);
    let shallow: unknown = big;
    for (let i = 0; i < 6; i++) shallow = { v: shallow };
    let deep: unknown = big;
    for (let i = 0; i < 8; i++) deep = { v: deep };
    expect(estimateBytes(shallow)).toBeGreaterThan(200_000);
    expect(estimateBytes(deep)).toBeLessThan(1000);
    expect(estimateBytes(deep)).toBe(7 * (32 + 2) + 64);
  });

  it('stops past six levels in arrays and in map keys and values too', () => {
    const big = 'z'.repeat(100_000);
    const nest = (wrap: (inner: unknown) => unknown, levels: number) => {
      let v: unknown = big;
      for (let i = 0; i < levels; i++) v = wrap(v);
      return v;
    };
    for (const wrap of [(v: unknown) => [v], (v: unknown) => new Map([[1, v]]), (v: unknown) => new Map([[v, 1]])]) {
      expect(estimateBytes(nest(wrap, 6))).toBeGreaterThan(200_000);
      expect(estimateBytes(nest(wrap, 8))).toBeLessThan(1000);
    }
    // A structure nested far deeper than any result is sized without running out of stack.
    let chain: unknown = [];
    for (let i = 0; i < 200_000; i++) chain = [chain];
    expect(estimateBytes(chain)).toBeLessThan(1000);
  });
});

describe('the recipe cache', () => {
  it('forgets everything on clear, and counts what it holds', () => {
    const cache = createRecipeCache();
    cache.set('a', { outputs: { text: 'a' }, view: null, ms: 1 });
    cache.set('b', { outputs: { text: 'b' }, view: null, ms: 2 });
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toEqual({ outputs: { text: 'b' }, view: null, ms: 2 });
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.get('a')).toBeUndefined();
  });

  it('holds 200 MB of results by default (the bound is 256 MB)', () => {
    const cache = createRecipeCache();
    // Views of one buffer: each counts as 10 MB, while the test allocates 10 MB once.
    const buffer = new ArrayBuffer(10_000_000);
    const tenMegabytes = () => ({ outputs: { bytes: new Uint8Array(buffer) }, view: null, ms: 1 });
    for (let i = 0; i < 20; i++) cache.set(`r${i}`, tenMegabytes());
    expect(cache.size).toBe(20);
    for (let i = 20; i < 30; i++) cache.set(`r${i}`, tenMegabytes());
    expect(cache.size).toBeLessThan(30);
    expect(cache.get('r0')).toBeUndefined();
  });

  it('counts a result’s outputs, details and view alike against its bound', () => {
    const sixHundredKilobytes = 'v'.repeat(300_000);
    for (const part of ['outputs', 'details', 'view'] as const) {
      const cache = createRecipeCache({ maxBytes: 1_000_000 });
      const result = () => ({ outputs: {}, details: undefined, view: null, ms: 1, ...{ [part]: part === 'outputs' ? { text: sixHundredKilobytes } : sixHundredKilobytes } });
      cache.set('first', result());
      cache.set('second', result());
      // Two results of 600 KB do not fit in 1 MB: the older one goes, whichever part is large.
      expect({ part, size: cache.size, first: cache.get('first') }).toEqual({ part, size: 1, first: undefined });
    }
  });
});

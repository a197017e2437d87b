import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { chooseBackend, needsWebGpuProbe, wasmThreadCount, type BackendFacts } from '@/nodes/transformer/backend-choice';
import { estimateMs, holdIfSlow } from '@/nodes/transformer/probe';
import { describeBackend } from '@/components/ui/format';

const hardware = { name: 'nvidia ampere', hardware: true };
const swiftshader = { name: 'google swiftshader', hardware: false };
const facts = (over: Partial<BackendFacts> = {}): BackendFacts => ({
  preference: 'auto',
  where: 'browser',
  adapter: null,
  isolated: true,
  cores: 2,
  simd: true,
  probe: null,
  ...over,
});
const line = (f: BackendFacts) => {
  const c = chooseBackend(f);
  return describeBackend(c.backend, c.threads, c.reason);
};

describe('chooseBackend', () => {
  it('runs WASM with the cores as threads on an isolated page without WebGPU, and says why', () => {
    expect(chooseBackend(facts())).toEqual({ backend: 'wasm', threads: 2, reason: 'this browser has no WebGPU', note: null });
    expect(line(facts())).toBe('WASM, 2 threads: this browser has no WebGPU');
  });

  it('never takes a fallback or SwiftShader adapter on Auto, even if it was timed faster', () => {
    const choice = chooseBackend(facts({ adapter: swiftshader, probe: { wasm: 50, webgpu: 1 } }));
    expect(choice.backend).toBe('wasm');
    expect(line(facts({ adapter: swiftshader }))).toBe('WASM, 2 threads: no hardware GPU (the WebGPU adapter here is software: google swiftshader)');
    expect(needsWebGpuProbe(facts({ adapter: swiftshader }))).toBe(false);
  });

  it('probes a hardware adapter first, and takes it only when the probe ran faster than WASM', () => {
    expect(needsWebGpuProbe(facts({ adapter: hardware }))).toBe(true);
    const faster = chooseBackend(facts({ adapter: hardware, probe: { wasm: 20, webgpu: 4 } }));
    expect(faster).toMatchObject({ backend: 'webgpu', threads: null });
    expect(faster.reason).toBe('faster here: 4.0 ms per token on nvidia ampere, 20 ms on WASM');
    const slower = chooseBackend(facts({ adapter: hardware, probe: { wasm: 6, webgpu: 9 } }));
    expect(slower.backend).toBe('wasm');
    expect(slower.reason).toMatch(/^faster here than the GPU for this model: 6\.0 ms per token, 9\.0 ms on WebGPU/);
    // A tie keeps WASM; a WebGPU that failed its probe is not taken.
    expect(chooseBackend(facts({ adapter: hardware, probe: { wasm: 5, webgpu: 5 } })).backend).toBe('wasm');
    expect(chooseBackend(facts({ adapter: hardware, probe: { wasm: 5, webgpu: null } })).backend).toBe('wasm');
    expect(chooseBackend(facts({ adapter: hardware, probe: null })).backend).toBe('wasm');
  });

  it('runs one thread when the page is not cross-origin isolated, and says so', () => {
    const choice = chooseBackend(facts({ isolated: false, cores: 8 }));
    expect(choice.threads).toBe(1);
    expect(line(facts({ isolated: false, cores: 8 }))).toBe('WASM, 1 thread: this browser has no WebGPU; one thread because the page is not cross-origin isolated');
  });

  it('says when WebAssembly has no SIMD', () => {
    expect(chooseBackend(facts({ simd: false })).reason).toMatch(/no SIMD/);
  });

  it('obeys the override: WASM even on a fast GPU, WebGPU even on a software adapter, and falls back when there is none', () => {
    expect(chooseBackend(facts({ preference: 'wasm', adapter: hardware, probe: { wasm: 50, webgpu: 1 } }))).toMatchObject({
      backend: 'wasm',
      reason: 'chosen in the Device setting or for this browser',
      note: null,
    });
    expect(needsWebGpuProbe(facts({ preference: 'wasm', adapter: hardware }))).toBe(false);
    const soft = chooseBackend(facts({ preference: 'webgpu', adapter: swiftshader }));
    expect(soft.backend).toBe('webgpu');
    expect(soft.reason).toMatch(/software \(google swiftshader\), slower than WASM/);
    const none = chooseBackend(facts({ preference: 'webgpu' }));
    expect(none.backend).toBe('wasm');
    expect(none.note).toMatch(/WebGPU was asked for/);
  });

  it('names the server as onnxruntime-node on the CPU whatever was asked', () => {
    for (const preference of ['auto', 'wasm', 'webgpu'] as const) {
      const c = chooseBackend(facts({ preference, where: 'server', adapter: hardware, probe: { wasm: 9, webgpu: 1 } }));
      expect(c).toMatchObject({ backend: 'cpu', threads: null, reason: 'server runs use onnxruntime-node' });
      expect(c.note !== null).toBe(preference === 'webgpu');
    }
  });

  it('picks WebGPU on Auto exactly when the adapter is hardware and its probe is the faster, for any facts', () => {
    fc.assert(
      fc.property(
        fc.record({
          adapter: fc.option(fc.record({ name: fc.string(), hardware: fc.boolean() })),
          isolated: fc.boolean(),
          cores: fc.integer({ min: 0, max: 256 }),
          simd: fc.boolean(),
          probe: fc.option(fc.record({ wasm: fc.double({ min: 0.01, max: 1e4 }), webgpu: fc.option(fc.double({ min: 0.01, max: 1e4 })) })),
        }),
        (f) => {
          const c = chooseBackend(facts(f));
          const gpu = f.adapter?.hardware === true && f.probe !== null && f.probe.webgpu !== null && f.probe.webgpu < f.probe.wasm;
          expect(c.backend).toBe(gpu ? 'webgpu' : 'wasm');
          if (c.backend === 'wasm') expect(c.threads).toBe(f.isolated ? Math.max(1, Math.min(4, f.cores)) : 1);
        },
      ),
    );
  });
});

describe('wasmThreadCount', () => {
  it('is 1 off an isolated page, else the cores, at least 1 and at most 4', () => {
    expect(wasmThreadCount(false, 16)).toBe(1);
    expect(wasmThreadCount(true, 0)).toBe(1);
    expect(wasmThreadCount(true, Number.NaN)).toBe(1);
    expect(wasmThreadCount(true, 3)).toBe(3);
    expect(wasmThreadCount(true, 64)).toBe(4);
  });
});

describe('the time estimate', () => {
  const shipped = 'shipped-weights';
  it('is the prompt pass plus one step per further token', () => {
    expect(estimateMs({ msPerToken: 20, msPerPosition: 2 }, { positions: 10, newTokens: 30 })).toBe(600);
    expect(estimateMs({ msPerToken: 20, msPerPosition: 5 }, { positions: 10, newTokens: 1 })).toBe(50);
    expect(estimateMs({ msPerToken: 20, msPerPosition: 5 }, { positions: 100, newTokens: 0 })).toBe(500);
  });

  it('holds a browser run above the limit, with the server estimate for the shipped model only', () => {
    const slow = { speed: { msPerToken: 120, msPerPosition: 30 }, ref: { weightsId: shipped } };
    const held = holdIfSlow(slow, { positions: 6, newTokens: 200 }, 5, shipped);
    expect(held).toMatchObject({ limitS: 5, msPerToken: 120, newTokens: 200 });
    expect(held!.browserMs).toBeCloseTo(180 + 199 * 120);
    expect(held!.serverMs).not.toBeNull();
    expect(held!.serverMs!).toBeLessThan(held!.browserMs);
    expect(holdIfSlow({ ...slow, ref: { weightsId: 'hub:Xenova/gpt2' } }, { positions: 6, newTokens: 200 }, 5, shipped)!.serverMs).toBeNull();
  });

  it('holds the Transformer’s single pass (no new tokens) by its positions, and says what it measured', () => {
    const slow = { speed: { msPerToken: 120, msPerPosition: 40 }, ref: { weightsId: shipped } };
    const held = holdIfSlow(slow, { positions: 256, newTokens: 0 }, 5, shipped);
    expect(held).toMatchObject({ limitS: 5, msPerPosition: 40, positions: 256, newTokens: 0 });
    expect(held!.browserMs).toBeCloseTo(256 * 40);
    // The same pass over 100 positions is 4 s: under the limit, it runs.
    expect(holdIfSlow(slow, { positions: 100, newTokens: 0 }, 5, shipped)).toBeNull();
  });

  it('does not hold under the limit, with the limit 0 (never ask), or without a probe (server runs)', () => {
    const fast = { speed: { msPerToken: 5, msPerPosition: 1 }, ref: { weightsId: shipped } };
    expect(holdIfSlow(fast, { positions: 6, newTokens: 30 }, 5, shipped)).toBeNull();
    expect(holdIfSlow({ ...fast, speed: { msPerToken: 1e4, msPerPosition: 1e3 } }, { positions: 6, newTokens: 30 }, 0, shipped)).toBeNull();
    expect(holdIfSlow({ ...fast, speed: null }, { positions: 6, newTokens: 30 }, 5, shipped)).toBeNull();
  });
});

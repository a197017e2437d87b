import { describe, expect, it } from 'vitest';
import { resolveBackend } from '@/nodes/transformer/run-model';

// Node has no navigator.gpu, so these are the "no WebGPU" and server answers; the adapter
// cases (hardware, software) are driven in Chromium by tests/e2e/model.spec.ts.
describe('resolveBackend', () => {
  it('runs WASM in a browser without WebGPU and says why', async () => {
    expect(await resolveBackend('auto', 'browser')).toEqual({ backend: 'wasm', reason: 'this browser has no WebGPU', note: null });
  });

  it('falls back to WASM when WebGPU was asked for but there is no adapter, and notes the difference', async () => {
    const choice = await resolveBackend('webgpu', 'browser');
    expect(choice.backend).toBe('wasm');
    expect(choice.reason).toBe('no WebGPU adapter in this browser');
    expect(choice.note).toMatch(/WebGPU was asked for/);
  });

  it('says a chosen WASM was chosen, and that server runs are onnxruntime-node on the CPU', async () => {
    expect((await resolveBackend('wasm', 'browser')).reason).toBe('chosen in the Device setting');
    const server = await resolveBackend('webgpu', 'server');
    expect(server.backend).toBe('cpu');
    expect(server.reason).toBe('server runs use onnxruntime-node');
    expect(server.note).toMatch(/WebGPU was asked for/);
  });
});

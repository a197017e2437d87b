import { describe, expect, it } from 'vitest';
import { describeBackend } from '@/components/ui/format';

describe('describeBackend', () => {
  it('names WASM with its thread count and says why it ran', () => {
    expect(describeBackend('wasm', 1, 'no hardware GPU')).toBe('WASM, 1 thread: no hardware GPU');
    expect(describeBackend('wasm', 4, 'chosen in the Device setting')).toBe('WASM, 4 threads: chosen in the Device setting');
  });

  it('names WebGPU and the server CPU with the reason, and the backend alone when no reason is known', () => {
    expect(describeBackend('webgpu', null, 'hardware adapter (nvidia ampere)')).toBe('WebGPU: hardware adapter (nvidia ampere)');
    expect(describeBackend('cpu', null, 'server runs use onnxruntime-node')).toBe('CPU (onnxruntime-node): server runs use onnxruntime-node');
    expect(describeBackend('wasm', null, null)).toBe('WASM');
    expect(describeBackend('ollama', null, null)).toBe('Ollama');
  });
});

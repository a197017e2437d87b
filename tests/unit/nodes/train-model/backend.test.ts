import { describe, expect, it } from 'vitest';
import { loadTf } from '@/nodes/finetune/backend';
import { withBrowserBackend } from '@/nodes/transformer/model-choice';
import { chooseTrainBackend, decideTrainBackend, loadTrainTf, needsStepProbe, timeTrainingStep } from '@/nodes/train-model/backend';

const GPU = { name: 'nvidia ampere', hardware: true };
const SWIFTSHADER = { name: 'google swiftshader', hardware: false };
const CONFIG = { nLayer: 1, nHead: 4, nEmbd: 32, nPositions: 16, vocabSize: 50, layerNormEps: 1e-5 };

describe('which backend trains the model on Auto', () => {
  it('takes WebGPU only on a hardware adapter that trained this model faster than WASM', () => {
    expect(decideTrainBackend(GPU, { wasm: 110, webgpu: 40 })).toEqual({
      backend: 'webgpu',
      detail: 'webgpu (measured faster here: 40 ms per step on nvidia ampere, 110 ms on WASM)',
    });
    expect(decideTrainBackend(GPU, { wasm: 30, webgpu: 45 })).toEqual({
      backend: 'wasm',
      detail: 'wasm (measured faster here than the GPU for this model: 30 ms per step, 45 ms on WebGPU, nvidia ampere)',
    });
    expect(decideTrainBackend(GPU, { wasm: 30, webgpu: null }).detail).toBe('wasm (WebGPU could not be timed on nvidia ampere)');
    expect(decideTrainBackend(GPU, null).backend).toBe('wasm');
    expect(decideTrainBackend(SWIFTSHADER, null).detail).toBe('wasm (no hardware GPU: the WebGPU adapter here is software, google swiftshader)');
    expect(decideTrainBackend(null, null).detail).toBe('wasm (this browser has no WebGPU)');
  });

  it('times the GPU only for Auto in a browser with a hardware adapter', () => {
    expect(needsStepProbe('auto', 'browser', GPU)).toBe(true);
    expect(needsStepProbe('auto', 'browser', SWIFTSHADER)).toBe(false);
    expect(needsStepProbe('auto', 'browser', null)).toBe(false);
    expect(needsStepProbe('wasm', 'browser', GPU)).toBe(false);
    expect(needsStepProbe('auto', 'server', GPU)).toBe(false);
  });

  it('measures once per model size, keeps the answer, and falls back to WASM when the GPU throws', async () => {
    const timed: string[] = [];
    const fast = async (backend: 'wasm' | 'webgpu') => (timed.push(backend), backend === 'webgpu' ? 5 : 50);
    expect((await chooseTrainBackend('size-a', fast, async () => GPU)).backend).toBe('webgpu');
    expect(timed).toEqual(['wasm', 'webgpu']);
    // The same size again: the same backend, not timed again (a resumed run stays on its backend).
    expect((await chooseTrainBackend('size-a', async () => 1e9, async () => GPU)).backend).toBe('webgpu');
    expect(timed).toEqual(['wasm', 'webgpu']);

    const broken = async (backend: 'wasm' | 'webgpu') => {
      if (backend === 'webgpu') throw new Error('device lost');
      return 50;
    };
    expect(await chooseTrainBackend('size-b', broken, async () => GPU)).toEqual({ backend: 'wasm', detail: 'wasm (WebGPU could not be timed on nvidia ampere)' });

    const never = async () => {
      throw new Error('a software adapter is never timed');
    };
    expect((await chooseTrainBackend('size-c', never, async () => SWIFTSHADER)).backend).toBe('wasm');
  });

  it('times a real training step on WASM and leaves no tensor behind', async () => {
    const { tf } = await loadTf('wasm', 'server');
    const ids = Int32Array.from({ length: 200 }, (_, i) => (i * 7) % CONFIG.vocabSize);
    const before = tf.memory().numTensors;
    const ms = await timeTrainingStep(tf, CONFIG, ids, 4);
    expect(ms).toBeGreaterThan(0);
    expect(Number.isFinite(ms)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);

  it('trains on WASM on the server without timing anything', async () => {
    const loaded = await loadTrainTf('auto', 'server', 'server-size', async () => {
      throw new Error('the server is never timed');
    });
    expect(loaded.backend).toBe('wasm');
    expect(loaded.detail).toBe('wasm (Node: tfjs-node is not installable offline)');
  }, 60_000);

  it('follows this browser’s own backend choice when left on Auto, and keeps a backend set on the node', () => {
    const doc = {
      nodes: [
        { id: 'a', type: 'train-model', params: { steps: 10 } },
        { id: 'b', type: 'train-model', params: { backend: 'webgpu' } },
        { id: 'c', type: 'train-model', params: { backend: 'auto' } },
        { id: 'd', type: 'text', params: { text: 'x' } },
      ],
    };
    const wasm = withBrowserBackend(doc, 'wasm');
    expect(wasm.nodes.map((n) => n.params.backend)).toEqual(['wasm', 'webgpu', 'wasm', undefined]);
    expect(doc.nodes[0]!.params).toEqual({ steps: 10 });
    expect(withBrowserBackend(doc, 'auto')).toBe(doc);
  });
});

import { describe, expect, it } from 'vitest';
import { SHIPPED_MODEL } from '@/nodes/shared/model-ref';
import { loadModel, speedHere } from '@/nodes/transformer/run-model';
import { estimateMs, probeSpeed } from '@/nodes/transformer/probe';
import { withBrowserBackend } from '@/nodes/transformer/model-choice';
import { findTemplate } from '@/nodes/templates';
import { nodeResources } from '../../engine/fixtures';

describe('probeSpeed on the shipped model', () => {
  it('measures a positive, finite time per token and per position, and the estimate grows with the tokens asked for', async () => {
    const loaded = await loadModel(SHIPPED_MODEL, { preference: 'auto', where: 'server', resources: nodeResources });
    // Server loads are not probed (nothing there estimates); the probe itself runs anywhere.
    expect(loaded.speed).toBeNull();
    expect(await speedHere(loaded)).toBeNull();
    const speed = await probeSpeed(loaded);
    for (const v of [speed.msPerToken, speed.msPerPosition]) {
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeGreaterThan(0);
    }
    expect(estimateMs(speed, { positions: 6, newTokens: 200 })).toBeGreaterThan(estimateMs(speed, { positions: 6, newTokens: 20 }));
  });
});

describe('withBrowserBackend', () => {
  const pipeline = findTemplate('pipeline')!.doc;
  const devices = (d: typeof pipeline) => d.nodes.filter((n) => n.type === 'transformer' || n.type === 'generate').map((n) => n.params.device ?? 'auto');

  it('gives model nodes left on Auto this browser’s choice, and leaves the document itself alone', () => {
    expect(devices(pipeline).every((d) => d === 'auto')).toBe(true);
    const wasm = withBrowserBackend(pipeline, 'wasm');
    expect(devices(wasm)).toEqual(devices(pipeline).map(() => 'wasm'));
    expect(devices(pipeline).every((d) => d === 'auto')).toBe(true);
    expect(withBrowserBackend(pipeline, 'auto')).toBe(pipeline);
  });

  it('keeps a node’s own Device setting and touches no other kind', () => {
    const pinned = { ...pipeline, nodes: pipeline.nodes.map((n) => (n.type === 'generate' ? { ...n, params: { ...n.params, device: 'webgpu' } } : n)) };
    const out = withBrowserBackend(pinned, 'wasm');
    expect(out.nodes.find((n) => n.type === 'generate')!.params.device).toBe('webgpu');
    expect(out.nodes.find((n) => n.type === 'transformer')!.params.device).toBe('wasm');
    const others = (d: typeof pipeline) => d.nodes.filter((n) => n.type !== 'transformer' && n.type !== 'generate');
    expect(others(out)).toEqual(others(pinned));
  });
});

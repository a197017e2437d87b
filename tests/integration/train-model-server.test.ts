/**
 * The Train model node on the server, over real HTTP, in an engine process (as in production):
 * TensorFlow.js trains on wasm in the child process, the loss curve streams as progress, and the
 * Transformer node in the same run reads the trained model with onnxruntime-node.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '@/nodes/engine/executor';
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import type { TrainDetails, TrainLive } from '@/nodes/train-model';
import { SOTU_1862_EXCERPT } from '@/nodes/text/corpus-sample';
import { collect, serveRoute, type RouteServer } from './run-http-server';

const edge = (source: string, sourcePort: string, target: string, targetPort: string) => ({ id: `${source}-${target}-${targetPort}`, source, sourcePort, target, targetPort });

const doc: GraphDoc = {
  schemaVersion: 1,
  title: 'train on the server',
  nodes: [
    { id: 'corpus', type: 'text', params: { text: SOTU_1862_EXCERPT.slice(0, 8000) }, position: { x: 0, y: 0 } },
    { id: 'prompt', type: 'text', params: { text: 'The war' }, position: { x: 0, y: 0 } },
    { id: 'pre', type: 'pretokenize', params: { mode: 'bytelevel' }, position: { x: 0, y: 0 } },
    { id: 'bpe', type: 'bpe', params: { vocabSize: 400 }, position: { x: 0, y: 0 } },
    { id: 'train', type: 'train-model', params: { steps: 4, evalEvery: 2, sampleEvery: 2, prompt: 'The war' }, position: { x: 0, y: 0 } },
    { id: 'ids', type: 'ids', params: {}, position: { x: 0, y: 0 } },
    { id: 'model', type: 'transformer', params: {}, position: { x: 0, y: 0 } },
  ],
  edges: [
    edge('prompt', 'text', 'pre', 'text'),
    edge('pre', 'pretokens', 'bpe', 'pretokens'),
    edge('corpus', 'text', 'bpe', 'corpus'),
    edge('bpe', 'tokenizer', 'train', 'tokenizer'),
    edge('corpus', 'text', 'train', 'corpus'),
    edge('bpe', 'tokens', 'ids', 'tokens'),
    edge('bpe', 'tokenizer', 'ids', 'tokenizer'),
    edge('ids', 'ids', 'model', 'ids'),
    edge('train', 'model', 'model', 'model'),
  ],
};

describe('training a model on the server', () => {
  let server: RouteServer;
  beforeAll(async () => {
    server = await serveRoute();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('trains in an engine process, streams the curve, and the Transformer there runs the model', async () => {
    const events: RunEvent[] = await collect(server.runner('trainer'), doc);
    expect(events.at(-1)).toMatchObject({ type: 'run:done', cancelled: false });
    const steps = events.flatMap((e) => (e.type === 'node:progress' && e.nodeId === 'train' && e.data ? [(e.data as TrainLive).step] : []));
    expect(steps).toEqual([0, 1, 2, 3, 4]);
    const done = events.find((e): e is Extract<RunEvent, { type: 'node:done' }> => e.type === 'node:done' && e.nodeId === 'train')!;
    const view = done.view as TrainDetails;
    expect(view.backend).toBe('wasm');
    expect(view.stepsDone).toBe(4);
    expect(view.vocabSize).toBe(400);
    const model = events.find((e): e is Extract<RunEvent, { type: 'node:done' }> => e.type === 'node:done' && e.nodeId === 'model')!;
    expect((model.view as { vocabSize: number; backend: string }).vocabSize).toBe(400);
    expect((model.view as { backend: string }).backend).toBe('cpu');
  }, 120_000);
});

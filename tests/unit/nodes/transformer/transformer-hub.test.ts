/**
 * The model hub path, run for real but offline: a loopback HTTP server serves the shipped model's
 * files in the Hugging Face URL layout under another id, transformers.js' env.remoteHost points at
 * it, and the Transformer node loads "from the hub" with its download progress.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { env } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecipeCache } from '@/nodes/engine/cache';
import { execute, type RunEvent } from '@/nodes/engine/executor';
import { registry } from '@/nodes';
import { nodeResources } from '../../engine/fixtures';

const MODEL_DIR = join(__dirname, '..', '..', '..', '..', 'public', 'models', 'tokenloom-tiny');
const HUB_ID = 'tokenloom-test/gpt2-tiny';
let server: Server;
const requests: string[] = [];
let savedHost: string;
let savedCacheDir: string | null;
let cacheDir: string;

beforeAll(async () => {
  savedHost = env.remoteHost;
  // A fresh download cache each run (in Node, transformers.js loads hub models through it), so
  // the files really come over HTTP and nothing is left in node_modules.
  savedCacheDir = env.cacheDir;
  cacheDir = await mkdtemp(join(tmpdir(), 'tokenloom-hub-cache-'));
  env.cacheDir = cacheDir;
  server = createServer(async (request, response) => {
    const url = decodeURIComponent(request.url ?? '');
    requests.push(url);
    const prefix = `/${HUB_ID}/resolve/main/`;
    if (!url.startsWith(prefix) || url.includes('..')) {
      response.writeHead(404).end('Entry not found');
      return;
    }
    try {
      const body = await readFile(join(MODEL_DIR, url.slice(prefix.length)));
      response.writeHead(200, { 'content-length': body.length }).end(body);
    } catch {
      response.writeHead(404).end('Entry not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  env.remoteHost = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  env.remotePathTemplate = '{model}/resolve/{revision}/';
});

afterAll(async () => {
  env.remoteHost = savedHost;
  env.cacheDir = savedCacheDir;
  await rm(cacheDir, { recursive: true, force: true });
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('a Transformer node on a Hugging Face id', () => {
  it('downloads the model through the hub code path, reports progress, and predicts like the shipped copy', async () => {
    const reference = JSON.parse(await readFile(join(MODEL_DIR, 'reference.json'), 'utf8')) as {
      prompts: { prompt: string; top5: { id: number; prob: number }[] }[];
    };
    const expected = reference.prompts.find((p) => p.prompt === 'I love')!;
    const doc = {
      schemaVersion: 1 as const,
      title: 'hub',
      nodes: [
        { id: 'text', type: 'text', params: { text: 'I love' }, position: { x: 0, y: 0 } },
        { id: 'tok', type: 'pretrained', params: { model: 'gpt2', addSpecialTokens: false }, position: { x: 0, y: 0 } },
        { id: 'ids', type: 'ids', params: {}, position: { x: 0, y: 0 } },
        { id: 'lm', type: 'transformer', params: { model: 'hub', hubId: HUB_ID, topK: 5 }, position: { x: 0, y: 0 } },
      ],
      edges: [
        { id: 'a', source: 'text', sourcePort: 'text', target: 'tok', targetPort: 'text' },
        { id: 'b', source: 'tok', sourcePort: 'tokens', target: 'ids', targetPort: 'tokens' },
        { id: 'c', source: 'ids', sourcePort: 'ids', target: 'lm', targetPort: 'ids' },
      ],
    };
    const events: RunEvent[] = [];
    const report = await execute(doc, {
      registry,
      cache: createRecipeCache(),
      where: 'server',
      resources: { ...nodeResources, allowRemote: true },
      onEvent: (e) => events.push(e),
    });
    const lm = report.outcomes.get('lm') as unknown as { status: string; outputs: { predictions: { topK: { candidates: { id: number; prob: number }[] }[] } } };
    expect(lm, JSON.stringify(lm).slice(0, 400)).toMatchObject({ status: 'done' });
    const top = lm.outputs.predictions.topK[0]!.candidates;
    expect(top.map((c) => c.id)).toEqual(expected.top5.map((c) => c.id));
    top.forEach((c, i) => expect(Math.abs(c.prob - expected.top5[i]!.prob)).toBeLessThan(1e-4));
    expect(requests).toContain(`/${HUB_ID}/resolve/main/onnx/model.onnx`);
    expect(events.some((e) => e.type === 'node:progress' && e.nodeId === 'lm' && /Downloading/.test(e.message ?? ''))).toBe(true);
  }, 120_000);

  it('refuses a hub id when remote loading is off, naming the shipped model', async () => {
    const doc = {
      schemaVersion: 1 as const,
      title: 'offline',
      nodes: [
        { id: 'text', type: 'text', params: { text: 'I love' }, position: { x: 0, y: 0 } },
        { id: 'tok', type: 'pretrained', params: { model: 'gpt2' }, position: { x: 0, y: 0 } },
        { id: 'ids', type: 'ids', params: {}, position: { x: 0, y: 0 } },
        { id: 'lm', type: 'transformer', params: { model: 'hub', hubId: HUB_ID }, position: { x: 0, y: 0 } },
      ],
      edges: [
        { id: 'a', source: 'text', sourcePort: 'text', target: 'tok', targetPort: 'text' },
        { id: 'b', source: 'tok', sourcePort: 'tokens', target: 'ids', targetPort: 'tokens' },
        { id: 'c', source: 'ids', sourcePort: 'ids', target: 'lm', targetPort: 'ids' },
      ],
    };
    const report = await execute(doc, { registry, cache: createRecipeCache(), where: 'server', resources: nodeResources });
    expect(report.outcomes.get('lm')).toMatchObject({ status: 'error', message: expect.stringMatching(/tokenloom-tiny/) });
  });
});

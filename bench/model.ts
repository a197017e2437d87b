/**
 * The shipped model's speed: load time and per-token latency of greedy generation (one new
 * position per step, key/value cache) for tokenloom-tiny, measured three ways and printed with
 * ratios against the first:
 *
 * 1. onnxruntime-node directly (the floor): InferenceSession.create + a bare loop that feeds one
 *    token, takes the argmax and feeds it back; no transformers.js, no engine.
 * 2. the server path: the Generate node through the engine in Node (where: 'server'), i.e.
 *    transformers.js on onnxruntime-node plus the node's softmax, streaming and checkpoints.
 * 3. browser WASM: the same graph in Chromium (production build on loopback, graph in the URL),
 *    the Generate node in the engine's Web Worker on onnxruntime-web's WASM, timings read from
 *    the inspector.
 * WebGPU is measured too and reported, not targeted: headless Chromium's adapter here is
 * SwiftShader (software), about 100× slower than the WASM path, meaningless as a speed.
 *
 * Run: npm run build && npx tsx bench/model.ts
 *
 * ms/token is the mean over the steps after the first (the first reads the whole prompt).
 *
 * The browser graph sets Generate's askAboveS to 0, so a slow estimate never holds the run.
 * The page is cross-origin isolated, so WASM runs with min(4, cores) threads (backend-choice.ts);
 * onnxruntime-node is left at its defaults. BENCH_PORT picks the port (default 3192).
 *
 * Not handled here: the Transformer node's single forward pass (it is the first-token time),
 * hub models, asserting speed.
 */
import { resolve } from 'node:path';
import { chromium } from '@playwright/test';
import LZString from 'lz-string';
import * as ort from 'onnxruntime-node';
import { createRecipeCache } from '../nodes/engine/cache';
import { execute } from '../nodes/engine/executor';
import type { GraphDoc } from '../nodes/engine/graph-doc';
import { registry, type ViewOf } from '../nodes';
import { CHROMIUM_ARGS, CHROMIUM_PATH, startServer } from './serve';

const PORT = Number(process.env.BENCH_PORT ?? 3192);
const PROMPT = 'The state of the Union is';
const PROMPT_IDS = [464, 1181, 286, 262, 4479, 318];
const NEW_TOKENS = 64;
const WEBGPU_TOKENS = 8;

export interface ModelBenchRow {
  path: string;
  backend: string;
  loadMs: number;
  firstTokenMs: number;
  msPerToken: number;
  tokens: number;
}

function graph(device: 'auto' | 'wasm' | 'webgpu', tokens: number): GraphDoc {
  return {
    schemaVersion: 1,
    title: 'bench: model',
    nodes: [
      { id: 'text', type: 'text', params: { text: PROMPT, origin: 'typed' }, position: { x: 0, y: 0 } },
      { id: 'tok', type: 'pretrained', params: { model: 'gpt2' }, position: { x: 360, y: 0 } },
      { id: 'ids', type: 'ids', params: {}, position: { x: 700, y: 0 } },
      { id: 'generate', type: 'generate', params: { device, maxNewTokens: tokens, stopAtEos: false, askAboveS: 0 }, position: { x: 1040, y: 0 } },
    ],
    edges: [
      { id: 'a', source: 'text', sourcePort: 'text', target: 'tok', targetPort: 'text' },
      { id: 'b', source: 'tok', sourcePort: 'tokens', target: 'ids', targetPort: 'tokens' },
      { id: 'c', source: 'tok', sourcePort: 'tokenizer', target: 'ids', targetPort: 'tokenizer' },
      { id: 'd', source: 'ids', sourcePort: 'ids', target: 'generate', targetPort: 'ids' },
    ],
  };
}

/** The floor: onnxruntime-node with nothing around it. */
async function ortDirect(): Promise<ModelBenchRow> {
  const t0 = performance.now();
  const session = await ort.InferenceSession.create(resolve('public/models/tokenloom-tiny/onnx/model.onnx'));
  const loadMs = performance.now() - t0;
  const vocab = 50257;
  const fetches = session.outputNames.filter((n) => n === 'logits' || n.startsWith('present'));
  const int64 = (xs: number[], dims: number[]) => new ort.Tensor('int64', BigInt64Array.from(xs, BigInt), dims);
  let past: Record<string, ort.Tensor> = {};
  for (let layer = 0; layer < 2; layer++) {
    for (const kv of ['key', 'value']) past[`past_key_values.${layer}.${kv}`] = new ort.Tensor('float32', new Float32Array(0), [1, 4, 0, 32]);
  }
  let length = 0;
  const feed = async (ids: number[]) => {
    const feeds = {
      input_ids: int64(ids, [1, ids.length]),
      attention_mask: int64(new Array(length + ids.length).fill(1), [1, length + ids.length]),
      position_ids: int64(ids.map((_, i) => length + i), [1, ids.length]),
      ...past,
    };
    const out = await session.run(feeds, fetches);
    past = {};
    for (const name of fetches) if (name.startsWith('present')) past[name.replace('present', 'past_key_values')] = out[name]!;
    length += ids.length;
    const logits = out.logits!.data as Float32Array;
    let best = 0;
    const offset = (ids.length - 1) * vocab;
    for (let i = 1; i < vocab; i++) if (logits[offset + i]! > logits[offset + best]!) best = i;
    return best;
  };
  const times: number[] = [];
  let t = performance.now();
  let next = await feed(PROMPT_IDS);
  const firstTokenMs = performance.now() - t;
  for (let i = 1; i < NEW_TOKENS; i++) {
    t = performance.now();
    next = await feed([next]);
    times.push(performance.now() - t);
  }
  await session.release();
  return { path: 'onnxruntime-node direct (floor)', backend: 'cpu', loadMs, firstTokenMs, msPerToken: mean(times), tokens: NEW_TOKENS };
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/** The Generate node through the engine in Node, as a server run executes it. */
async function serverPath(): Promise<ModelBenchRow> {
  const resources = { hubPath: `${resolve('public/hub')}/`, modelPath: `${resolve('public/models')}/`, allowRemote: false };
  const report = await execute(graph('auto', NEW_TOKENS), { registry, cache: createRecipeCache(), where: 'server', resources });
  const outcome = report.outcomes.get('generate');
  if (outcome?.status !== 'done') throw new Error(`Generate failed in Node: ${JSON.stringify(outcome)}`);
  const view = outcome.view as ViewOf<'generate'>;
  return {
    path: 'Generate node, engine in Node (server path)',
    backend: view.backend,
    loadMs: view.loadMs,
    firstTokenMs: view.firstTokenMs,
    msPerToken: view.msPerToken ?? Number.NaN,
    tokens: view.steps.length,
  };
}

async function inChromium(device: 'wasm' | 'webgpu', tokens: number, url: string, browser: import('@playwright/test').Browser): Promise<ModelBenchRow> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  try {
    await page.goto(`${url}/#g=${LZString.compressToEncodedURIComponent(JSON.stringify(graph(device, tokens)))}`);
    await page
      .getByTestId('node-generate')
      .getByTestId('node-status')
      .and(page.locator('[data-status="done"], [data-status="cached"]'))
      .waitFor({ timeout: 600_000 });
    await page.getByTestId('node-generate').locator('span.font-semibold').first().click();
    const info = page.getByTestId('generate-backend');
    await info.waitFor();
    const attr = async (name: string) => Number(await info.getAttribute(name));
    return {
      path: `Generate node, Chromium worker (${device === 'wasm' ? 'browser WASM' : 'WebGPU, software adapter: reported, not targeted'})`,
      backend: (await info.getAttribute('data-backend')) ?? '?',
      loadMs: await attr('data-load-ms'),
      firstTokenMs: await attr('data-first-token-ms'),
      msPerToken: await attr('data-ms-per-token'),
      tokens: await attr('data-tokens'),
    };
  } finally {
    await page.close();
  }
}

export async function benchModel(): Promise<ModelBenchRow[]> {
  const rows = [await ortDirect(), await serverPath()];
  const server = await startServer(PORT);
  try {
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, '--enable-unsafe-webgpu'] });
    rows.push(await inChromium('wasm', NEW_TOKENS, server.url, browser));
    rows.push(await inChromium('webgpu', WEBGPU_TOKENS, server.url, browser));
    await browser.close();
  } finally {
    server.stop();
  }
  return rows;
}

/** The rows as a table, each with its ratio to the floor (first row). */
export function modelTable(rows: readonly ModelBenchRow[]) {
  const floor = rows[0]!;
  return Object.fromEntries(
    rows.map((r) => [
      r.path,
      {
        backend: r.backend,
        'load ms': Math.round(r.loadMs),
        'load ×': (r.loadMs / floor.loadMs).toFixed(1),
        'first token ms': r.firstTokenMs.toFixed(1),
        'ms/token': r.msPerToken.toFixed(2),
        'ms/token ×': (r.msPerToken / floor.msPerToken).toFixed(2),
        tokens: r.tokens,
      },
    ]),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.table(modelTable(await benchModel()));
}

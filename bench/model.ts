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
 * Browser loads are measured twice in one browser context: a first visit (empty caches) and a
 * second visit of the same page (the model and ONNX Runtime files then come from the Cache API:
 * nodes/shared/file-cache.ts), and each is split into its phases (files, ONNX Runtime + session,
 * embedding table; run-model.ts loadPhases). A second table times the Transformer node's single
 * forward pass with attentions over 256 tokens: onnxruntime-node directly, the engine in Node,
 * Chromium WASM.
 *
 * Run: npm run build && npx tsx bench/model.ts
 *
 * ms/token is the mean over the steps after the first (the first reads the whole prompt).
 *
 * The graphs set Generate to greedy (the floor's argmax; the node samples by default) and its
 * askAboveS to 0, so a slow estimate never holds the run.
 * The page is cross-origin isolated, so WASM runs with min(4, cores) threads (backend-choice.ts);
 * onnxruntime-node is left at its defaults. BENCH_PORT picks the port (default 3192).
 *
 * Not handled here: hub models, asserting speed.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium } from '@playwright/test';
import LZString from 'lz-string';
import * as ort from 'onnxruntime-node';
import { createRecipeCache } from '../nodes/engine/cache';
import { execute } from '../nodes/engine/executor';
import type { GraphDoc } from '../nodes/engine/graph-doc';
import { registry, type ViewOf } from '../nodes';
import { SOTU_1862_EXCERPT } from '../nodes/text/corpus-sample';
import { CHROMIUM_ARGS, CHROMIUM_PATH, startServer } from './serve';

const PORT = Number(process.env.BENCH_PORT ?? 3192);
const PROMPT = 'The state of the Union is';
const PROMPT_IDS = [464, 1181, 286, 262, 4479, 318];
const NEW_TOKENS = 64;
const WEBGPU_TOKENS = 8;

/** About 300 GPT-2 tokens: the Transformer node reads the last 256 (its context). */
const LONG_TEXT = SOTU_1862_EXCERPT.slice(0, 1400);
const FORWARD_POSITIONS = 256;

interface LoadPhases {
  filesMs: number;
  sessionMs: number;
  tableMs: number;
}

export interface ModelBenchRow {
  path: string;
  backend: string;
  loadMs: number;
  loadPhases?: LoadPhases | null;
  firstTokenMs: number;
  msPerToken: number;
  tokens: number;
}

/** Text → GPT-2 → IDs → two Transformer nodes on the same model: the first pass loads it (cold), the second reuses it. */
function forwardGraph(device: 'auto' | 'wasm'): GraphDoc {
  const g = graph(device, 1);
  const transformer = (id: string, topK: number, y: number) => ({ id, type: 'transformer', params: { device, askAboveS: 0, topK }, position: { x: 1040, y } });
  return {
    ...g,
    title: 'bench: forward pass',
    nodes: [...g.nodes.filter((n) => n.id !== 'generate').map((n) => (n.id === 'text' ? { ...n, params: { text: LONG_TEXT, origin: 'typed' } } : n)), transformer('cold', 5, 0), transformer('warm', 6, 400)],
    edges: [
      ...g.edges.filter((e) => e.target !== 'generate'),
      { id: 'd1', source: 'ids', sourcePort: 'ids', target: 'cold', targetPort: 'ids' },
      { id: 'd2', source: 'ids', sourcePort: 'ids', target: 'warm', targetPort: 'ids' },
    ],
  };
}

function graph(device: 'auto' | 'wasm' | 'webgpu', tokens: number): GraphDoc {
  return {
    schemaVersion: 1,
    title: 'bench: model',
    nodes: [
      { id: 'text', type: 'text', params: { text: PROMPT, origin: 'typed' }, position: { x: 0, y: 0 } },
      { id: 'tok', type: 'pretrained', params: { model: 'gpt2' }, position: { x: 360, y: 0 } },
      { id: 'ids', type: 'ids', params: {}, position: { x: 700, y: 0 } },
      { id: 'generate', type: 'generate', params: { device, strategy: 'greedy', maxNewTokens: tokens, stopAtEos: false, askAboveS: 0 }, position: { x: 1040, y: 0 } },
    ],
    edges: [
      { id: 'a', source: 'text', sourcePort: 'text', target: 'tok', targetPort: 'text' },
      { id: 'b', source: 'tok', sourcePort: 'tokens', target: 'ids', targetPort: 'tokens' },
      { id: 'c', source: 'tok', sourcePort: 'tokenizer', target: 'ids', targetPort: 'tokenizer' },
      { id: 'd', source: 'ids', sourcePort: 'ids', target: 'generate', targetPort: 'ids' },
    ],
  };
}

const CONFIG = JSON.parse(readFileSync(resolve('public/models/tokenloom-tiny/config.json'), 'utf8')) as { n_layer: number; n_head: number; n_embd: number };
/** An empty key/value cache for one layer: [batch 1, heads, 0 positions, head size]. */
const emptyPast = () => new ort.Tensor('float32', new Float32Array(0), [1, CONFIG.n_head, 0, CONFIG.n_embd / CONFIG.n_head]);

/** The floor: onnxruntime-node with nothing around it. */
async function ortDirect(): Promise<ModelBenchRow> {
  const t0 = performance.now();
  const session = await ort.InferenceSession.create(resolve('public/models/tokenloom-tiny/onnx/model.onnx'));
  const loadMs = performance.now() - t0;
  const vocab = 50257;
  const fetches = session.outputNames.filter((n) => n === 'logits' || n.startsWith('present'));
  const int64 = (xs: number[], dims: number[]) => new ort.Tensor('int64', BigInt64Array.from(xs, BigInt), dims);
  let past: Record<string, ort.Tensor> = {};
  for (let layer = 0; layer < CONFIG.n_layer; layer++) {
    for (const kv of ['key', 'value']) past[`past_key_values.${layer}.${kv}`] = emptyPast();
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

export interface ForwardBenchRow {
  path: string;
  backend: string;
  positions: number;
  /** The first pass of a run (the browser's on a freshly loaded model), then a second node's pass on the same model. */
  coldMs: number;
  warmMs: number;
}

/** One full pass over `ids` with attentions, onnxruntime-node directly: the floor. */
async function ortForward(ids: readonly number[]): Promise<ForwardBenchRow> {
  const session = await ort.InferenceSession.create(resolve('public/models/tokenloom-tiny/onnx/model.onnx'));
  const int64 = (xs: readonly number[]) => new ort.Tensor('int64', BigInt64Array.from(xs, BigInt), [1, xs.length]);
  const feeds: Record<string, ort.Tensor> = {
    input_ids: int64(ids),
    attention_mask: int64(ids.map(() => 1)),
    position_ids: int64(ids.map((_, i) => i)),
  };
  for (let layer = 0; layer < CONFIG.n_layer; layer++) {
    for (const kv of ['key', 'value']) feeds[`past_key_values.${layer}.${kv}`] = emptyPast();
  }
  const fetches = session.outputNames.filter((n) => n === 'logits' || n.startsWith('attentions'));
  const time = async () => {
    const t0 = performance.now();
    await session.run(feeds, fetches);
    return performance.now() - t0;
  };
  const coldMs = await time();
  const warmMs = await time();
  await session.release();
  return { path: 'onnxruntime-node direct (floor)', backend: 'cpu', positions: ids.length, coldMs, warmMs };
}

/** The Transformer node through the engine in Node (a fresh process: the Generate run loaded the model already, so both passes are on a loaded model). */
async function serverForward(): Promise<{ row: ForwardBenchRow; ids: number[] }> {
  const resources = { hubPath: `${resolve('public/hub')}/`, modelPath: `${resolve('public/models')}/`, allowRemote: false };
  const report = await execute(forwardGraph('auto'), { registry, cache: createRecipeCache(), where: 'server', resources });
  const view = (id: string) => {
    const outcome = report.outcomes.get(id);
    if (outcome?.status !== 'done') throw new Error(`Transformer failed in Node: ${JSON.stringify(outcome)}`);
    return outcome.view as ViewOf<'transformer'>;
  };
  const [cold, warm] = [view('cold'), view('warm')];
  return {
    row: { path: 'Transformer node, engine in Node (server path)', backend: cold.backend, positions: cold.positions, coldMs: cold.runMs, warmMs: warm.runMs },
    ids: cold.ids,
  };
}

async function browserForward(url: string, browser: import('@playwright/test').Browser): Promise<ForwardBenchRow> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  try {
    await page.goto(`${url}/#g=${LZString.compressToEncodedURIComponent(JSON.stringify(forwardGraph('wasm')))}`);
    const info = page.getByTestId('transformer-backend');
    const read = async (id: string) => {
      await page.getByTestId(`node-${id}`).getByTestId('node-status').and(page.locator('[data-status="done"]')).waitFor({ timeout: 600_000 });
      await page.getByTestId(`node-${id}`).locator('span.font-semibold').first().click();
      await page.getByTestId('inspector').getByTestId('transformer-backend').waitFor();
      return {
        runMs: Number(await info.getAttribute('data-run-ms')),
        backend: (await info.getAttribute('data-backend')) ?? '?',
        positions: Number(await info.getAttribute('data-positions')),
      };
    };
    const cold = await read('cold');
    const warm = await read('warm');
    return { path: 'Transformer node, Chromium worker (browser WASM)', backend: cold.backend, positions: cold.positions, coldMs: cold.runMs, warmMs: warm.runMs };
  } finally {
    await page.close();
  }
}

/** The forward-pass rows as a table, each with its ratio to the floor (first row). */
export function forwardTable(rows: readonly ForwardBenchRow[]) {
  const floor = rows[0]!;
  return Object.fromEntries(
    rows.map((r) => [
      r.path,
      {
        backend: r.backend,
        positions: r.positions,
        'first pass ms': r.coldMs.toFixed(1),
        'next pass ms': r.warmMs.toFixed(1),
        'next pass ×': (r.warmMs / floor.warmMs).toFixed(2),
      },
    ]),
  );
}

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

async function inChromium(
  device: 'wasm' | 'webgpu',
  tokens: number,
  url: string,
  context: import('@playwright/test').BrowserContext,
  visit = 'first visit',
): Promise<ModelBenchRow> {
  const page = await context.newPage();
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
    const phases = await info.getAttribute('data-load-phases');
    return {
      path: `Generate node, Chromium worker (${device === 'wasm' ? `browser WASM, ${visit}` : 'WebGPU, software adapter: reported, not targeted'})`,
      backend: (await info.getAttribute('data-backend')) ?? '?',
      loadMs: await attr('data-load-ms'),
      loadPhases: phases ? (JSON.parse(phases) as LoadPhases) : null,
      firstTokenMs: await attr('data-first-token-ms'),
      msPerToken: await attr('data-ms-per-token'),
      tokens: await attr('data-tokens'),
    };
  } finally {
    await page.close();
  }
}

export async function benchModel(): Promise<{ rows: ModelBenchRow[]; forward: ForwardBenchRow[] }> {
  const rows = [await ortDirect(), await serverPath()];
  const server = await serverForward();
  const forward = [await ortForward(server.ids), server.row];
  const app = await startServer(PORT);
  try {
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, '--enable-unsafe-webgpu'] });
    // One context: the second visit finds what the first put in the Cache API.
    const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
    rows.push(await inChromium('wasm', NEW_TOKENS, app.url, context));
    rows.push(await inChromium('wasm', NEW_TOKENS, app.url, context, 'second visit'));
    forward.push(await browserForward(app.url, browser));
    rows.push(await inChromium('webgpu', WEBGPU_TOKENS, app.url, await browser.newContext({ viewport: { width: 1600, height: 900 } })));
    await browser.close();
  } finally {
    app.stop();
  }
  return { rows, forward };
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
        'files / session / table ms': r.loadPhases ? [r.loadPhases.filesMs, r.loadPhases.sessionMs, r.loadPhases.tableMs].map((x) => Math.round(x)).join(' / ') : '',
        'first token ms': r.firstTokenMs.toFixed(1),
        'ms/token': r.msPerToken.toFixed(2),
        'ms/token ×': (r.msPerToken / floor.msPerToken).toFixed(2),
        tokens: r.tokens,
      },
    ]),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { rows, forward } = await benchModel();
  console.table(modelTable(rows));
  console.log(`Forward pass with attentions over ${FORWARD_POSITIONS} tokens (the Transformer node):`);
  console.table(forwardTable(forward));
}

/**
 * Fine-tune speed: milliseconds per training step (forward, backward, Adam update; median of the
 * steps after the first) of tokenloom-tiny on TensorFlow.js' wasm backend, in Node and in
 * Chromium, with the embedding trained and frozen, at the node's default batch (4 × 32) and a
 * larger one (8 × 64).
 *
 * Node runs the node through the engine in-process; Chromium opens the production build with a
 * two-node graph (Text → Fine-tune) in the URL and reads the step time the inspector shows, so
 * the browser number includes nothing but the same training loop in the engine's Web Worker.
 *
 * Run: npm run build && npx tsx bench/finetune.ts
 *
 * Not handled here: WebGPU (headless Chromium's adapter is SwiftShader, software, about 100×
 * slower: meaningless for timing), threads (the page is not cross-origin isolated, so tfjs' wasm
 * runs single-threaded in both places), asserting speed.
 */
import { resolve } from 'node:path';
import { chromium } from '@playwright/test';
import LZString from 'lz-string';
import { createRecipeCache } from '../nodes/engine/cache';
import { execute } from '../nodes/engine/executor';
import type { GraphDoc } from '../nodes/engine/graph-doc';
import { registry } from '../nodes';
import type { FinetuneDetails } from '../nodes/finetune';
import { SOTU_1862_EXCERPT } from '../nodes/text/corpus-sample';
import { CHROMIUM_ARGS, CHROMIUM_PATH, startServer } from './serve';

const PORT = 3191;
const STEPS = 4;

export interface FinetuneBenchRow {
  where: 'node' | 'chromium';
  batch: string;
  frozen: boolean;
  msPerStep: number;
}

const CONFIGS = [
  { batchSize: 4, seqLength: 32, freezeEmbedding: false },
  { batchSize: 4, seqLength: 32, freezeEmbedding: true },
  { batchSize: 8, seqLength: 64, freezeEmbedding: false },
  { batchSize: 8, seqLength: 64, freezeEmbedding: true },
];

function doc(params: (typeof CONFIGS)[number]): GraphDoc {
  return {
    schemaVersion: 1,
    title: 'bench: fine-tune',
    nodes: [
      { id: 'text', type: 'text', params: { text: SOTU_1862_EXCERPT.slice(0, 8000), origin: 'typed' }, position: { x: 0, y: 0 } },
      { id: 'finetune', type: 'finetune', params: { ...params, steps: STEPS, backend: 'wasm' }, position: { x: 400, y: 0 } },
    ],
    edges: [{ id: 'e', source: 'text', sourcePort: 'text', target: 'finetune', targetPort: 'text' }],
  };
}

const label = (c: (typeof CONFIGS)[number]) => `${c.batchSize} × ${c.seqLength}`;

async function inNode(): Promise<FinetuneBenchRow[]> {
  const resources = { hubPath: `${resolve('public/hub')}/`, modelPath: `${resolve('public/models')}/`, allowRemote: false };
  const rows: FinetuneBenchRow[] = [];
  for (const config of CONFIGS) {
    const report = await execute(doc(config), { registry, cache: createRecipeCache(), where: 'server', resources });
    const outcome = report.outcomes.get('finetune');
    if (outcome?.status !== 'done') throw new Error(`fine-tune failed in Node: ${JSON.stringify(outcome)}`);
    const details = outcome.view as FinetuneDetails;
    rows.push({ where: 'node', batch: label(config), frozen: config.freezeEmbedding, msPerStep: details.stepMs });
  }
  return rows;
}

async function inChromium(): Promise<FinetuneBenchRow[]> {
  const server = await startServer(PORT);
  const rows: FinetuneBenchRow[] = [];
  try {
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    for (const config of CONFIGS) {
      const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
      await page.goto(`${server.url}/#g=${LZString.compressToEncodedURIComponent(JSON.stringify(doc(config)))}`);
      await page
        .getByTestId('node-finetune')
        .getByTestId('node-status')
        .and(page.locator('[data-status="done"], [data-status="cached"]'))
        .waitFor({ timeout: 600_000 });
      await page.getByTestId('node-finetune').locator('span.font-semibold').first().click();
      const summary = page.getByTestId('finetune-summary');
      await summary.waitFor();
      if ((await summary.getAttribute('data-backend')) !== 'wasm') throw new Error('Chromium did not run on wasm');
      rows.push({ where: 'chromium', batch: label(config), frozen: config.freezeEmbedding, msPerStep: Number(await summary.getAttribute('data-step-ms')) });
      await page.close();
    }
    await browser.close();
  } finally {
    server.stop();
  }
  return rows;
}

export async function benchFinetune(): Promise<FinetuneBenchRow[]> {
  return [...(await inNode()), ...(await inChromium())];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await benchFinetune();
  console.table(
    Object.fromEntries(rows.map((r) => [`${r.where} · ${r.batch}${r.frozen ? ' · embedding frozen' : ''}`, { 'ms/step': Math.round(r.msPerStep) }])),
  );
}

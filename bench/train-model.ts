/**
 * Training a GPT from scratch (the Train model node): for the tiny and small presets, ms per step,
 * tokens per second, the held-out loss reached after 60 s of training against the bigram's, and
 * peak memory, on the English sample (Lincoln's 1862 address, then Madison's 1809 one) with a
 * 2,000-token BPE trained on it.
 *
 * 1. Node (wasm, the server path): the graph through the engine, each preset in its own child
 *    process so peak RSS (sampled every 50 ms, WASM memory included) is that preset's alone.
 * 2. Chromium (the worker's WASM): the same graph from the production build, numbers read from
 *    the inspector; each preset in a browser of its own, so its peak memory is the high-water
 *    mark of resident memory (VmHWM in /proc, Linux) of that browser's renderer processes, the
 *    page and its engine worker with tfjs' WASM heap. A worker's memory is not exposed to the
 *    page, so it is read from outside.
 *
 * Run: npm run build && npx tsx bench/train-model.ts   (about 5 minutes)
 *
 * Not handled here: WebGPU (the software adapter here says nothing about speed), asserting speed.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { chromium } from '@playwright/test';
import LZString from 'lz-string';
import { createRecipeCache } from '../nodes/engine/cache';
import { execute } from '../nodes/engine/executor';
import type { GraphDoc } from '../nodes/engine/graph-doc';
import { registry } from '../nodes';
import type { TrainDetails } from '../nodes/train-model';
import { SOTU_1862_EXCERPT } from '../nodes/text/corpus-sample';
import { HELD_OUT_SOTU_EXCERPT } from '../nodes/text/heldout-sample';
import { CHROMIUM_ARGS, CHROMIUM_PATH, processTree, startServer } from './serve';

const PORT = 3193;
const SECONDS = 60;
const PRESETS = ['tiny', 'small'] as const;
/**
 * Steps asked of each preset: about what a quiet 2-core machine trains in 60 s, since every run
 * decays its learning rate over the steps it is asked for (the time budget stops a slower run
 * early, before its decay is done; the table says how many steps it reached).
 */
const STEPS: Record<(typeof PRESETS)[number], number> = { tiny: 300, small: 40 };

export interface TrainBenchRow {
  where: 'node' | 'chromium';
  preset: string;
  msPerStep: number;
  tokensPerSecond: number;
  steps: number;
  heldOut: number;
  bigram: number;
  unigram: number;
  peakMb: number | null;
}

function doc(preset: (typeof PRESETS)[number]): GraphDoc {
  return {
    schemaVersion: 1,
    title: 'bench: train model',
    nodes: [
      { id: 'text', type: 'text', params: { text: `${SOTU_1862_EXCERPT} ${HELD_OUT_SOTU_EXCERPT}`, origin: 'typed' }, position: { x: 0, y: 0 } },
      { id: 'pre', type: 'pretokenize', params: { mode: 'bytelevel' }, position: { x: 340, y: 0 } },
      { id: 'bpe', type: 'bpe', params: { vocabSize: 2000, minFrequency: 2 }, position: { x: 680, y: 0 } },
      { id: 'train', type: 'train-model', params: { preset, steps: STEPS[preset], timeBudget: SECONDS, evalEvery: 25, sampleEvery: 250, backend: 'wasm' }, position: { x: 1020, y: 0 } },
    ],
    edges: [
      { id: 'a', source: 'text', sourcePort: 'text', target: 'pre', targetPort: 'text' },
      { id: 'b', source: 'pre', sourcePort: 'pretokens', target: 'bpe', targetPort: 'pretokens' },
      { id: 'c', source: 'bpe', sourcePort: 'tokenizer', target: 'train', targetPort: 'tokenizer' },
      { id: 'd', source: 'text', sourcePort: 'text', target: 'train', targetPort: 'corpus' },
    ],
  };
}

function rowOf(where: TrainBenchRow['where'], preset: string, d: TrainDetails, peakMb: number | null): TrainBenchRow {
  const last = d.history.filter((h) => h.heldOutLoss !== null).at(-1)!;
  return {
    where,
    preset,
    msPerStep: d.msPerStep,
    tokensPerSecond: d.tokensPerSecond,
    steps: d.stepsDone,
    heldOut: last.heldOutLoss!,
    bigram: d.baselines.bigram,
    unigram: d.baselines.unigram,
    peakMb,
  };
}

/** One preset in this process (the child's job): prints its row as JSON. */
async function childRun(preset: (typeof PRESETS)[number]) {
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const resources = { hubPath: `${resolve('public/hub')}/`, modelPath: `${resolve('public/models')}/`, allowRemote: false };
  const report = await execute(doc(preset), { registry, cache: createRecipeCache(), where: 'server', resources });
  clearInterval(timer);
  const outcome = report.outcomes.get('train');
  if (outcome?.status !== 'done') throw new Error(`training failed in Node: ${JSON.stringify(outcome)}`);
  console.log(JSON.stringify(rowOf('node', preset, outcome.view as TrainDetails, peak / 1024 / 1024)));
}

function inNode(): TrainBenchRow[] {
  return PRESETS.map((preset) => {
    const out = execFileSync('npx', ['tsx', 'bench/train-model.ts', '--child', preset], { encoding: 'utf8' });
    return JSON.parse(out.trim().split('\n').at(-1)!) as TrainBenchRow;
  });
}

/**
 * The largest peak resident memory (VmHWM) among Chromium's renderer processes below this one, in
 * MB (Playwright starts the browser as a child of this process); null off Linux. Call it before
 * closing the browser, with no other browser open.
 */
export function rendererPeakMb(): number | null {
  let peak: number | null = null;
  let pids: number[];
  try {
    pids = processTree(process.pid)
      .filter((p) => p.cmdline.includes('--type=renderer'))
      .map((p) => p.pid);
  } catch {
    return null;
  }
  for (const pid of pids) {
    try {
      const kb = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
      if (Number.isFinite(kb)) peak = Math.max(peak ?? 0, kb / 1024);
    } catch {
      /* not readable, or ended */
    }
  }
  return peak;
}

async function inChromium(): Promise<TrainBenchRow[]> {
  const server = await startServer(PORT);
  const rows: TrainBenchRow[] = [];
  try {
    for (const preset of PRESETS) {
      // A browser per preset: a renderer's high-water mark then belongs to that preset's training alone.
      const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
      const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
      await page.goto(`${server.url}/#g=${LZString.compressToEncodedURIComponent(JSON.stringify(doc(preset)))}`);
      const node = page.getByTestId('node-train');
      await node.getByTestId('node-status').and(page.locator('[data-status="done"], [data-status="cached"]')).waitFor({ timeout: 600_000 });
      await node.locator('span.font-semibold').first().click();
      const summary = page.getByTestId('train-summary');
      await summary.waitFor();
      const d = JSON.parse((await summary.getAttribute('data-bench'))!) as TrainDetails;
      if (d.backend !== 'wasm') throw new Error('Chromium did not run on wasm');
      rows.push(rowOf('chromium', preset, d, rendererPeakMb()));
      await browser.close();
    }
  } finally {
    server.stop();
  }
  return rows;
}

if (process.argv[2] === '--child') {
  await childRun(process.argv[3] as (typeof PRESETS)[number]);
} else if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = [...inNode(), ...(process.argv.includes('--node-only') ? [] : await inChromium())];
  // A loaded machine does fewer steps in the budget: the load says how far the figures are from a quiet one.
  console.log(`load average: ${loadavg().map((l) => l.toFixed(1)).join(', ')} (${cpus().length} cores)`);
  console.table(
    Object.fromEntries(
      rows.map((r) => [
        `${r.where} · ${r.preset}`,
        {
          'ms/step': Math.round(r.msPerStep),
          'steps/s': (1000 / r.msPerStep).toFixed(2),
          'tokens/s': Math.round(r.tokensPerSecond),
          [`steps in ${SECONDS} s`]: r.steps,
          'held-out loss': r.heldOut.toFixed(3),
          bigram: r.bigram.toFixed(3),
          unigram: r.unigram.toFixed(3),
          'beats bigram': r.heldOut < r.bigram ? 'yes' : 'no',
          'peak MB': r.peakMb === null ? '–' : Math.round(r.peakMb),
        },
      ]),
    ),
  );
}

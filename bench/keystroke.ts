/**
 * Keystroke → updated chips, measured in Chromium on a production build, stage by stage.
 *
 * The graph is the GPT-2 chain (Text → Clean → Pretokenize → BPE with GPT-2's merges → IDs →
 * Decode) with the Pretokenize inspector open. A 2 KB (and a 50 KB) text is loaded into the Text
 * node; then characters are typed one at a time, 120 ms apart (a fast typist; BENCH_KEYSTROKE_GAP_MS), in the middle of
 * the first kilobyte so that the shown chips change. For each keystroke the page records:
 *
 * - input:    keydown → the run request posted to the engine worker (React, the store, the doc);
 * - to worker: that post → the executor starting in the worker (structured clone of the doc, queue);
 * - compute:  the executor's own time for the run (every node that is not cached);
 * - message:  the worker posting the run's last event batch → the page holding it deserialized
 *             (structured clone of the views both ways, and the wait for the page's thread);
 * - commit:   that batch handed to the app → the last DOM mutation of the task (store + React);
 * - paint:    that commit → the first task after the next animation frame (style, layout, paint);
 * - chips:    keydown → the inspector's chips showing the new text (MutationObserver), the
 *             number the 16 ms target is about; painted: keydown → after the paint.
 *
 * The worker stamps each batch with `postedAt` (nodes/engine/worker-host.ts); the page wraps the
 * Worker constructor before the app loads to stamp what it posts and receives.
 *
 * Before/after: `BENCH_KEYSTROKE_BEFORE=<another checkout, built>` measures that build too, in the
 * same session and interleaved (before, after, per size), and prints both with their ratio. It is
 * served on BENCH_KEYSTROKE_BEFORE_PORT (the bench's port + 1 by default).
 *
 * Run: npm run build && npx tsx bench/keystroke.ts [bytes…]
 */
import { chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH, percentile, startServer } from './serve';

const PORT = Number(process.env.BENCH_KEYSTROKE_PORT ?? 3190);
const KEYSTROKES = Number(process.env.BENCH_KEYSTROKES ?? 60);
/** Between keystrokes; on a loaded machine, more than a run takes, or runs cancel each other. */
const GAP_MS = Number(process.env.BENCH_KEYSTROKE_GAP_MS ?? 120);
export const STAGES = ['input', 'toWorker', 'compute', 'message', 'commit', 'paint', 'chips', 'painted'] as const;
export type Stage = (typeof STAGES)[number];
export interface StageStats {
  median: number;
  p95: number;
}
export interface KeystrokeResult {
  /** Which build: 'this' or 'before'. */
  build: string;
  bytes: number;
  n: number;
  stages: Record<Stage, StageStats>;
  /** The worker's time per node kind (node:done ms), median and p95. */
  nodes: Record<string, StageStats>;
}

/** Installed before the app's scripts: stamps every run posted to the worker and every batch back. */
function instrument() {
  type Sample = Record<string, number> & { nodes?: Record<string, number> };
  const w = window as unknown as { __ks: { samples: Sample[]; current: Sample | null; armed: boolean } };
  const ks: { samples: Sample[]; current: Sample | null; armed: boolean } = { samples: [], current: null, armed: false };
  w.__ks = ks;
  let lastMutation = 0;
  new MutationObserver(() => {
    lastMutation = performance.now();
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  document.addEventListener(
    'keydown',
    (event) => {
      if (!ks.armed || !(event.target instanceof HTMLTextAreaElement)) return;
      const ta = event.target;
      const sample: Sample = { key: performance.now(), expect: ta.value.length + 1 };
      ks.current = sample;
      ks.samples.push(sample);
      // The chips: the inspector shows pieces of a text of the new length.
      const pieces = document.querySelector('[data-testid="pieces"]');
      if (!pieces) return;
      const watch = new MutationObserver(() => {
        if (pieces.getAttribute('data-text-length') === String(sample.expect)) {
          sample.chips = performance.now() - sample.key!;
          watch.disconnect();
        }
      });
      watch.observe(pieces, { attributes: true, attributeFilter: ['data-text-length'] });
    },
    true,
  );
  const byRun = new Map<number, Sample>();
  const RealWorker = window.Worker;
  // Anonymous on purpose: tsx names classes with a helper that does not exist in the page.
  window.Worker = class extends RealWorker {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      this.addEventListener('message', (event) => {
        const received = performance.now();
        const data = event.data as { type: string; events?: { type: string; ms?: number; nodeId?: string }[]; postedAt?: number };
        const held = performance.now();
        if (data.type !== 'events' || !data.events) return;
        // The sample of the run these events belong to: a slow run's events must not count for the
        // keystroke after it (that keystroke's run cancels it).
        const sample = byRun.get((data as { runId?: number }).runId ?? -1);
        if (!sample) return;
        for (const e of data.events) if (e.type === 'node:done' && e.nodeId) (sample.nodes ??= {})[e.nodeId] = e.ms!;
        const done = data.events.find((e) => e.type === 'run:done');
        if (!done) return;
        const postedAt = data.postedAt! - performance.timeOrigin;
        sample.compute = done.ms!;
        sample.toWorker = Math.max(0, postedAt - done.ms! - sample.posted!);
        sample.message = held - postedAt;
        sample.deserialize = held - received;
        byRun.delete((data as { runId?: number }).runId ?? -1);
        // After this task (the app's handler, React's synchronous commit): the last mutation, then
        // the first task after the next frame.
        const channel = new MessageChannel();
        channel.port1.onmessage = () => {
          const committed = Math.max(lastMutation, held);
          sample.commit = committed - held;
          requestAnimationFrame(() =>
            setTimeout(() => {
              const painted = performance.now();
              sample.paint = painted - committed;
              sample.painted = painted - sample.key!;
            }, 0),
          );
        };
        channel.port2.postMessage(null);
      });
    }
    override postMessage(message: unknown, options?: unknown): void {
      const sample = ks.current;
      const run = message as { type?: string; runId?: number };
      if (sample && run.type === 'run' && sample.posted === undefined) {
        sample.posted = performance.now();
        sample.input = sample.posted - sample.key!;
        byRun.set(run.runId ?? -1, sample);
      }
      super.postMessage(message, options as StructuredSerializeOptions);
    }
  };
}

function stats(values: number[]): StageStats {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  return { median: percentile(sorted, 0.5), p95: percentile(sorted, 0.95) };
}

async function measure(page: Page, url: string, bytes: number, build: string): Promise<KeystrokeResult> {
  await page.goto(`${url}/?template=gpt2-chain`);
  const input = page.getByTestId('node-text').getByTestId('text-input');
  const base = 'Tokenizers cut text into pieces and map each piece to an ID. Odia ଓଡ଼ିଆ and emoji 🙂 too.\n';
  const text = base.repeat(Math.ceil(bytes / base.length)).slice(0, bytes);
  await input.fill(text);
  await page.getByTestId('node-pretokenize').locator('span.font-semibold').first().click();
  await page.waitForFunction((n) => document.querySelector('[data-testid="pieces"]')?.getAttribute('data-text-length') === String(n), text.length, { timeout: 120_000 });
  // Type in the middle of the first kilobyte, so the chips shown change at every keystroke.
  await input.evaluate((ta: HTMLTextAreaElement) => {
    ta.focus();
    ta.setSelectionRange(700, 700);
  });
  // Warm up (the official tokenizer for the faithful badge loads on the first run), unmeasured.
  for (let i = 0; i < 5; i++) {
    await page.keyboard.type('x');
    await page.waitForTimeout(GAP_MS * 3);
  }
  await page.waitForTimeout(1000);
  await page.evaluate(() => {
    (window as unknown as { __ks: { armed: boolean } }).__ks.armed = true;
  });
  for (let i = 0; i < KEYSTROKES; i++) {
    await page.keyboard.type('abc d'[i % 5]!);
    await page.waitForTimeout(GAP_MS);
  }
  await page.waitForTimeout(500);
  const samples = await page.evaluate(() => (window as unknown as { __ks: { samples: (Record<string, number> & { nodes?: Record<string, number> })[] } }).__ks.samples);
  const complete = samples.filter((s) => s.chips !== undefined && s.painted !== undefined);
  const stages = Object.fromEntries(STAGES.map((stage) => [stage, stats(complete.map((s) => s[stage]!))])) as Record<Stage, StageStats>;
  const nodeIds = [...new Set(complete.flatMap((s) => Object.keys(s.nodes ?? {})))];
  const nodes = Object.fromEntries(nodeIds.map((id) => [id, stats(complete.flatMap((s) => (s.nodes?.[id] === undefined ? [] : [s.nodes[id]])))]));
  return { build, bytes, n: complete.length, stages, nodes };
}

export async function benchKeystroke(
  sizes: readonly number[] = [2048, 50 * 1024],
  before = process.env.BENCH_KEYSTROKE_BEFORE,
): Promise<KeystrokeResult[]> {
  const builds: { name: string; cwd?: string; port: number }[] = [
    ...(before ? [{ name: 'before', cwd: before, port: Number(process.env.BENCH_KEYSTROKE_BEFORE_PORT ?? PORT + 1) }] : []),
    { name: 'this', port: PORT },
  ];
  const servers = new Map<string, Awaited<ReturnType<typeof startServer>>>();
  try {
    for (const b of builds) servers.set(b.name, await startServer(b.port, b.cwd));
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    const results: KeystrokeResult[] = [];
    for (const bytes of sizes) {
      for (const b of builds) {
        const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
        await page.addInitScript(instrument);
        results.push(await measure(page, servers.get(b.name)!.url, bytes, b.name));
        await page.close();
      }
    }
    await browser.close();
    return results;
  } finally {
    for (const server of servers.values()) server.stop();
  }
}

/**
 * One table: a row per stage, median / p95 per text size (and build); with a before build, the
 * ratio this / before of the medians and of the p95s.
 */
export function printKeystroke(results: readonly KeystrokeResult[]) {
  const fmt = (s: StageStats | undefined) => (s ? `${s.median.toFixed(1)} / ${s.p95.toFixed(1)}` : '');
  const ratio = (a: StageStats | undefined, b: StageStats | undefined) =>
    a && b ? `${(a.median / b.median).toFixed(2)}× / ${(a.p95 / b.p95).toFixed(2)}×` : '';
  const sizes = [...new Set(results.map((r) => r.bytes))];
  const column = (r: KeystrokeResult) => `${(r.bytes / 1024).toFixed(0)} KB ${r.build === 'this' ? '' : `${r.build} `}ms`;
  const rowOf = (pick: (r: KeystrokeResult) => StageStats | undefined) => {
    const row: Record<string, string> = {};
    for (const bytes of sizes) {
      const before = results.find((r) => r.bytes === bytes && r.build === 'before');
      const after = results.find((r) => r.bytes === bytes && r.build === 'this');
      if (before) row[column(before)] = fmt(pick(before));
      if (after) row[column(after)] = fmt(pick(after));
      if (before && after) row[`${(bytes / 1024).toFixed(0)} KB ratio`] = ratio(pick(after), pick(before));
    }
    return row;
  };
  const rows: Record<string, Record<string, string>> = {};
  for (const stage of STAGES) rows[stage] = rowOf((r) => r.stages[stage]);
  for (const id of [...new Set(results.flatMap((r) => Object.keys(r.nodes)))]) rows[`  worker: ${id}`] = rowOf((r) => r.nodes[id]);
  rows.keystrokes = Object.fromEntries(results.map((r) => [column(r), String(r.n)]));
  console.log('median / p95 per cell; chips = keydown → chips updated, painted = keydown → after the paint');
  console.table(rows);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  const results = await benchKeystroke(sizes.length ? sizes : undefined);
  if (process.env.BENCH_JSON) console.log(JSON.stringify(results));
  printKeystroke(results);
}

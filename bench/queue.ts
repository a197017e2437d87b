/**
 * What does the job queue cost? One web instance with 2 workers (`npm run worker`, 2 runs at
 * once each) against one web instance with its own pool of engine processes (4), on a
 * throwaway PostgreSQL:
 *   1. the queue's added latency per run: an empty graph's round trip (start → run:done),
 *      sequential, p50/p95, pool vs queue;
 *   2. 50 concurrent runs of the starter pipeline (each its own ~20 KB text, its own client):
 *      throughput and per-run p95;
 *   3. a light request during (2): a database read from the web instance every 20 ms, p95
 *      (what the web instance's main thread has left for other users);
 *   4. 4 concurrent BPE trainings (vocabulary 4000) on 5 MB each (bench/corpora/english-5mb.txt,
 *      from scripts/make-corpora.ts, each with its own first line so none is deduplicated):
 *      wall time and runs per minute;
 *   5. the event channel alone: a NOTIFY round trip on one connection, p50/p95.
 * Run managers are driven directly (no HTTP), so the figures are the queue's and the engine's,
 * not Next's; bench/server-load.ts measures the HTTP side.
 *
 * Run: scripts/with-postgres.sh npx tsx bench/queue.ts
 * Not handled here: several machines (workers here share the web instance's cores).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { STARTER_GRAPH } from '@/components/canvas/starter';
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import { getDb } from '@/server/db/client';
import { createMemoryAdmission } from '@/server/run/admission';
import { readRunLimits } from '@/server/run/limits';
import { createProcessEngine } from '@/server/run/process-engine';
import { createNotifyChannel } from '@/server/run/queue/notify-channel';
import { createRunManager, type RunManager } from '@/server/run/run-manager';
import { sql } from 'drizzle-orm';
import { startWorker } from '../tests/integration/queue/workers';
import { percentile } from './serve';

const EMPTY_RUNS = 60;
const CONCURRENT = 50;

const emptyDoc: GraphDoc = { schemaVersion: 1, title: 'empty', nodes: [], edges: [] };

function starterWith(text: string): GraphDoc {
  const doc = structuredClone(STARTER_GRAPH);
  const textNode = doc.nodes.find((n) => n.type === 'text')!;
  textNode.params = { ...textNode.params, text, origin: 'typed' };
  return doc;
}

const CORPUS = join(process.cwd(), 'bench', 'corpora', 'english-5mb.txt');

function trainingDoc(corpus: string, i: number): GraphDoc {
  return {
    schemaVersion: 1,
    title: 'bpe',
    nodes: [
      { id: 'text', type: 'text', params: { text: `Training ${i}.\n${corpus}`, origin: 'typed' }, position: { x: 0, y: 0 } },
      { id: 'pretokenize', type: 'pretokenize', params: { mode: 'bytelevel' }, position: { x: 300, y: 0 } },
      { id: 'bpe', type: 'bpe', params: { vocabSize: 4000, minFrequency: 2 }, position: { x: 600, y: 0 } },
    ],
    edges: [
      { id: 'e1', source: 'text', sourcePort: 'text', target: 'pretokenize', targetPort: 'text' },
      { id: 'e2', source: 'pretokenize', sourcePort: 'pretokens', target: 'bpe', targetPort: 'pretokens' },
    ],
  };
}

async function trainings(manager: RunManager) {
  if (!existsSync(CORPUS)) return { '4 × 5 MB BPE wall s': 'no corpus (npx tsx scripts/make-corpora.ts)' };
  const corpus = readFileSync(CORPUS, 'utf8');
  const t0 = performance.now();
  await Promise.all(Array.from({ length: 4 }, (_, i) => runOnce(manager, trainingDoc(corpus, i), `trainer-${i}`)));
  const wall = (performance.now() - t0) / 1000;
  return { '4 × 5 MB BPE wall s': wall.toFixed(1), 'trainings/min': ((4 / wall) * 60).toFixed(1) };
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const ms = (x: number) => x.toFixed(1);

async function runOnce(manager: RunManager, doc: GraphDoc, client: string): Promise<number> {
  const t0 = performance.now();
  for await (const message of manager.start({ doc, client, runId: crypto.randomUUID(), signal: new AbortController().signal })) {
    if (message.type === 'run:done') break;
  }
  return performance.now() - t0;
}

async function measure(name: string, manager: RunManager) {
  await runOnce(manager, emptyDoc, 'warm-up');
  const empty: number[] = [];
  for (let i = 0; i < EMPTY_RUNS; i++) empty.push(await runOnce(manager, emptyDoc, 'empty'));

  const db = await getDb();
  const light: number[] = [];
  let loading = true;
  const lightLoop = (async () => {
    while (loading) {
      const t0 = performance.now();
      await db.execute(sql`SELECT 1`);
      light.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const t0 = performance.now();
  const base = 'Tokenizers cut text into pieces, naïve café and ଓଡ଼ିଆ. ';
  const runs = await Promise.all(
    Array.from({ length: CONCURRENT }, (_, i) => runOnce(manager, starterWith(`${name} ${i} ${base.repeat(360)}`), `client-${i}`)),
  );
  const wall = (performance.now() - t0) / 1000;
  loading = false;
  await lightLoop;
  const e = sorted(empty);
  const r = sorted(runs);
  const l = sorted(light);
  return {
    'empty p50 ms': ms(percentile(e, 0.5)),
    'empty p95 ms': ms(percentile(e, 0.95)),
    [`${CONCURRENT} starter runs/s`]: (CONCURRENT / wall).toFixed(1),
    'starter run p95 ms': ms(percentile(r, 0.95)),
    'light read p95 ms (under load)': ms(percentile(l, 0.95)),
  };
}

async function notifyRoundTrip(url: string) {
  const channel = createNotifyChannel(url, 'tokenloom-bench');
  let resolveNext: (() => void) | undefined;
  await channel.listen('tl_bench', () => resolveNext?.());
  const times: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t0 = performance.now();
    await new Promise<void>((resolve) => {
      resolveNext = resolve;
      void channel.send('tl_bench', { i });
    });
    times.push(performance.now() - t0);
  }
  await channel.close();
  const t = sorted(times);
  return { 'NOTIFY round trip p50 ms': ms(percentile(t, 0.5)), 'p95 ms': ms(percentile(t, 0.95)) };
}

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('run with scripts/with-postgres.sh (needs DATABASE_URL)');
  const limits = { ...readRunLimits(), maxRunsPerClient: 100, maxRunsTotal: 200 };

  const pool = createRunManager({
    limits,
    admission: createMemoryAdmission(limits),
    engine: createProcessEngine({ processes: 4, maxProcesses: 5, memoryMb: limits.memoryMb, cacheBytes: limits.cacheBytes, hardStopMs: limits.stopGraceMs }),
  });
  const poolResult = await measure('pool', pool);
  const poolTraining = await trainings(pool);
  await pool.close();

  const workers = await Promise.all([startWorker({ TOKENLOOM_TEST_FAULTS: '0' }), startWorker({ TOKENLOOM_TEST_FAULTS: '0' })]);
  const queue = createRunManager({ limits });
  try {
    const queueResult = await measure('queue', queue);
    const queueTraining = await trainings(queue);
    console.table({ '1 web, 4 engine processes (in-process pool)': poolResult, '1 web + 2 workers × 2 (queue)': queueResult });
    console.table({ '1 web, 4 engine processes (in-process pool)': poolTraining, '1 web + 2 workers × 2 (queue)': queueTraining });
    const added = (k: 'empty p50 ms' | 'empty p95 ms') => ms(Number(queueResult[k]) - Number(poolResult[k]));
    console.log(`queue's added latency per run: p50 ${added('empty p50 ms')} ms, p95 ${added('empty p95 ms')} ms (goal: < 50 ms p95)`);
    console.table({ 'event channel': await notifyRoundTrip(url) });
  } finally {
    await queue.close();
    await Promise.all(workers.map((w) => w.stop()));
  }
  process.exit(0);
}

await main();

/**
 * Does running graphs on the server slow down everyone else's requests?
 *
 * Starts `next start` on 127.0.0.1 (run `next build` first; PGlite in memory unless
 * DATABASE_URL is set), saves one graph, then measures a light request (`graph.get` of that
 * graph, autocannon, 10 connections, LIGHT_SECONDS each) three times:
 *   1. idle;
 *   2. while 50 clients keep server runs of the starter pipeline going, each with its own
 *      ~20 KB text (uncached: every run computes);
 *   3. while 50 clients keep running the identical starter graph (cached: after the first run
 *      every node is a cache hit, and concurrent identical runs are deduplicated).
 * Prints the light request's throughput and p50/p95 side by side, with the runs completed and
 * the web server's CPU per run (its own processes, not the engine processes': what load costs
 * the thread that answers light requests; comparable across runs on a shared machine).
 * Bounded: three phases of LIGHT_SECONDS plus start-up; stops the server it started.
 *
 * Run: npx next build && npx tsx bench/server-load.ts (BENCH_SERVER_PORT: another port than 3191;
 * BENCH_SERVER_CWD: another checkout's build, for a before/after comparison in one session)
 * Not handled here: several server instances, browsers (the runs use the canvas's transport
 * with the `eventsource` package).
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { percentile, startServer } from './serve';
import autocannon from 'autocannon';
import { EventSource } from 'eventsource';
import { createServerRunner } from '@/components/canvas/server-runner';
import { STARTER_GRAPH } from '@/components/canvas/starter';
import type { GraphDoc } from '@/nodes/engine/graph-doc';

const execFileAsync = promisify(execFile);
const PORT = Number(process.env.BENCH_SERVER_PORT ?? 3191);
const BASE = `http://127.0.0.1:${PORT}`;
const TRPC = `${BASE}/api/trpc`;
const CLIENTS = 50;
const LIGHT_SECONDS = 10;
const LIGHT_CONNECTIONS = 10;

/**
 * CPU seconds used so far by the web server: every process under `rootPid` (npx → next) except
 * the engine processes (their cmdline names engine-process.mjs). Read from /proc (Linux; NaN
 * elsewhere). On a shared machine, where latencies swing with other people's load, CPU per run
 * is the figure that compares before and after.
 */
function webServerCpuSeconds(rootPid: number | undefined): number {
  if (rootPid === undefined) return Number.NaN;
  try {
    const stats = readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .flatMap((pid) => {
        try {
          const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
          const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
          const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
          return [{ pid: Number(pid), ppid: Number(fields[1]), cpu: (Number(fields[11]) + Number(fields[12])) / 100, engine: cmdline.includes('engine-process') }];
        } catch {
          return [];
        }
      });
    const tree = new Set([rootPid]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const p of stats) {
        if (tree.has(p.pid) || !tree.has(p.ppid) || p.engine) continue;
        tree.add(p.pid);
        grew = true;
      }
    }
    return stats.filter((p) => tree.has(p.pid)).reduce((sum, p) => sum + p.cpu, 0);
  } catch {
    return Number.NaN;
  }
}

export interface LightStats {
  requestsPerSecond: number;
  p50: number;
  p95: number;
  errors: number;
}

/** The runs of one phase; webCpuMsPerRun: the web server's CPU (not its engine processes') per run. */
export interface RunStats {
  runsCompleted: number;
  runsPerSecond: number;
  runP50: number;
  runErrors: number;
  webCpuMsPerRun: number;
}

export interface ServerLoadResult {
  engine: string;
  processes: number;
  idle: LightStats;
  uncached: LightStats & RunStats;
  cached: LightStats & RunStats;
}

/**
 * graph.get for LIGHT_SECONDS; latencies from every response, so p95 is exact. Measured from a
 * process of its own (bench/light-probe.ts): in this one, the 50 run clients' event handling
 * would delay reading the responses and count as the server's latency.
 * BENCH_LIGHT_IN_PROCESS=1 measures here instead, as this bench did before.
 */
async function measureLight(path: string): Promise<LightStats> {
  const measured = process.env.BENCH_LIGHT_IN_PROCESS === '1' ? await lightHere(path) : await lightApart(path);
  const times = [...measured.times].sort((a, b) => a - b);
  return { requestsPerSecond: measured.requestsPerSecond, p50: percentile(times, 0.5), p95: percentile(times, 0.95), errors: measured.errors };
}

interface LightRun {
  times: number[];
  requestsPerSecond: number;
  errors: number;
}

async function lightHere(path: string): Promise<LightRun> {
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url: `${BASE}${path}`, connections: LIGHT_CONNECTIONS, duration: LIGHT_SECONDS }, (error, done) =>
      error ? reject(error) : resolve(done),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => times.push(responseTime));
  });
  return { times, requestsPerSecond: result.requests.average, errors: result.errors + result.non2xx };
}

async function lightApart(path: string): Promise<LightRun> {
  const probe = fileURLToPath(new URL('./light-probe.ts', import.meta.url));
  const { stdout } = await execFileAsync(process.execPath, ['--import', 'tsx', probe, `${BASE}${path}`, String(LIGHT_CONNECTIONS), String(LIGHT_SECONDS)], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout) as LightRun;
}

function starterWith(text: string): GraphDoc {
  const doc = structuredClone(STARTER_GRAPH);
  const textNode = doc.nodes.find((n) => n.type === 'text')!;
  textNode.params = { ...textNode.params, text, origin: 'typed' };
  return doc;
}

/** A client cookie of its own, as a browser gets it: the server sets it on a first request. */
async function newClientCookie(): Promise<string> {
  const response = await fetch(`${TRPC}/run.info`);
  const cookie = response.headers.get('set-cookie')?.split(';')[0];
  if (!cookie) throw new Error('the server set no client cookie');
  return cookie;
}

/** CLIENTS loops of server runs, until `stop`; each loop is one client (its own cookie). */
async function keepRunning(makeDoc: (client: number, round: number) => GraphDoc, stop: Promise<void>) {
  let stopped = false;
  void stop.then(() => (stopped = true));
  const durations: number[] = [];
  let errors = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      const runner = createServerRunner({ url: TRPC, EventSource, headers: { cookie: await newClientCookie() } });
      for (let round = 0; !stopped; round++) {
        const started = performance.now();
        try {
          await runner.runOnServer(makeDoc(client, round), { onEvent: () => undefined });
          durations.push(performance.now() - started);
        } catch {
          errors += 1;
        }
      }
    }),
  );
  durations.sort((a, b) => a - b);
  const seconds = (performance.now() - t0) / 1000;
  return { runsCompleted: durations.length, runsPerSecond: durations.length / seconds, runP50: percentile(durations, 0.5), runErrors: errors };
}

async function underLoad(lightPath: string, makeDoc: (client: number, round: number) => GraphDoc, serverPid: number | undefined) {
  let release!: () => void;
  const stop = new Promise<void>((resolve) => (release = resolve));
  const cpu0 = webServerCpuSeconds(serverPid);
  const runs = keepRunning(makeDoc, stop);
  await new Promise((r) => setTimeout(r, 1000)); // let the runs ramp up
  const light = await measureLight(lightPath);
  release();
  const done = await runs;
  const cpu = webServerCpuSeconds(serverPid) - cpu0;
  return { ...light, ...done, webCpuMsPerRun: (cpu * 1000) / Math.max(1, done.runsCompleted) };
}

export async function benchServerLoad(): Promise<ServerLoadResult> {
  const server = await startServer(PORT, process.env.BENCH_SERVER_CWD);
  try {
    const runner = createServerRunner({ url: TRPC, EventSource, headers: { cookie: await newClientCookie() } });
    const info = await runner.serverInfo();
    const created = (await (
      await fetch(`${TRPC}/graph.create`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ doc: STARTER_GRAPH }) })
    ).json()) as { result: { data: { id: string } } };
    const lightPath = `/api/trpc/graph.get?input=${encodeURIComponent(JSON.stringify({ id: created.result.data.id }))}`;
    await runner.runOnServer(STARTER_GRAPH, { onEvent: () => undefined }); // warm the engine processes

    const idle = await measureLight(lightPath);
    const base = 'Students type their own sentences into the Text node, and every edit runs again. ';
    const pid = server.process.pid;
    const uncached = await underLoad(lightPath, (client, round) => starterWith(`${client}:${round} ${base.repeat(250)}`.slice(0, 20_000)), pid);
    const cached = await underLoad(lightPath, () => STARTER_GRAPH, pid);
    return { engine: info.engine, processes: info.processes, idle, uncached, cached };
  } finally {
    server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchServerLoad();
  const row = (s: LightStats) => ({ 'graph.get req/s': s.requestsPerSecond.toFixed(0), 'p50 ms': s.p50.toFixed(1), 'p95 ms': s.p95.toFixed(1), errors: s.errors });
  const runs = (s: ServerLoadResult['cached']) => ({
    'runs done': s.runsCompleted,
    'runs/s': s.runsPerSecond.toFixed(1),
    'run p50 ms': s.runP50.toFixed(0),
    'run errors': s.runErrors,
    'web CPU ms/run': s.webCpuMsPerRun.toFixed(1),
  });
  console.log(`Server runs on ${r.engine} (${r.processes} engine process${r.processes === 1 ? '' : 'es'}); light request: graph.get, ${LIGHT_CONNECTIONS} connections, ${LIGHT_SECONDS} s`);
  console.table({
    idle: row(r.idle),
    [`${CLIENTS} clients running, uncached (~20 KB texts)`]: { ...row(r.uncached), ...runs(r.uncached) },
    [`${CLIENTS} clients running, cached (same graph)`]: { ...row(r.cached), ...runs(r.cached) },
  });
}

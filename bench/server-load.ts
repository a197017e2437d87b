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
 * The 50 clients run in a process of their own at nice 10 (bench/run-clients.ts): in a class they
 * are other machines, so they must not take the server's CPU or delay reading the light
 * request's responses. (Run in this process, their SSE handling made the cached phase's p95
 * read 9.0 s where a separate measuring process saw 0.27 s.)
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
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { percentile, processTree, startServer } from './serve';
import autocannon from 'autocannon';
import { EventSource } from 'eventsource';
import { createServerRunner } from '@/components/canvas/server-runner';
import { STARTER_GRAPH } from '@/components/canvas/starter';
import type { ClientRuns } from './run-clients';

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
    return processTree(rootPid, (p) => p.cmdline.includes('engine-process')).reduce((sum, p) => sum + p.cpuSeconds, 0);
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

/** graph.get for LIGHT_SECONDS; latencies from every response, so p95 is exact. */
async function measureLight(path: string): Promise<LightStats> {
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url: `${BASE}${path}`, connections: LIGHT_CONNECTIONS, duration: LIGHT_SECONDS }, (error, done) =>
      error ? reject(error) : resolve(done),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => times.push(responseTime));
  });
  times.sort((a, b) => a - b);
  return {
    requestsPerSecond: result.requests.average,
    p50: percentile(times, 0.5),
    p95: percentile(times, 0.95),
    errors: result.errors + result.non2xx,
  };
}

/** A client cookie of its own, as a browser gets it: the server sets it on a first request. */
async function newClientCookie(): Promise<string> {
  const response = await fetch(`${TRPC}/run.info`);
  const cookie = response.headers.get('set-cookie')?.split(';')[0];
  if (!cookie) throw new Error('the server set no client cookie');
  return cookie;
}

/** The CLIENTS students in a process of their own (bench/run-clients.ts), until `stop()`. */
function startClients(mode: 'uncached' | 'cached') {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./run-clients.ts', import.meta.url)), TRPC, mode, String(CLIENTS)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const exited = new Promise<void>((resolve, reject) => child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`run clients exited with ${code}`)))));
  return {
    async stop(): Promise<ClientRuns> {
      child.stdin.end('stop\n');
      await exited;
      return JSON.parse(out) as ClientRuns;
    },
  };
}

async function underLoad(lightPath: string, mode: 'uncached' | 'cached', serverPid: number | undefined) {
  const cpu0 = webServerCpuSeconds(serverPid);
  const clients = startClients(mode);
  await new Promise((r) => setTimeout(r, 1000)); // let the runs ramp up
  const light = await measureLight(lightPath);
  const done = await clients.stop();
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
    const pid = server.process.pid;
    const uncached = await underLoad(lightPath, 'uncached', pid);
    const cached = await underLoad(lightPath, 'cached', pid);
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

/**
 * What the browser and server benchmarks share: starting the production build on loopback and
 * waiting for it, and the Chromium the tests use (Debian's, with the network-quiet flags).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/chromium';

export { CHROMIUM_ARGS, CHROMIUM_PATH };

export function percentile(sorted: readonly number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : Number.NaN;
}

async function waitForServer(url: string, ms = 60_000) {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server at ${url} did not start`);
}

/**
 * `next start` on 127.0.0.1 (after `next build`), with an in-memory database. Call stop() when
 * done. `cwd`: another checkout's build (a before/after comparison); this one by default.
 */
export async function startServer(port: number, cwd?: string): Promise<{ url: string; stop(): void; process: ChildProcess }> {
  const env = { ...process.env, PGLITE_DATA_DIR: process.env.PGLITE_DATA_DIR ?? 'memory://' };
  // BENCH_SERVER_PROFILE=<dir>: the web server runs under `node --cpu-prof`, its profile written there when it stops.
  const profile = process.env.BENCH_SERVER_PROFILE;
  const [command, args] = profile
    ? [process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profile}`, 'node_modules/next/dist/bin/next', 'start']]
    : ['npx', ['next', 'start']];
  const child = spawn(command, [...args, '-p', String(port), '-H', '127.0.0.1'], { stdio: 'ignore', detached: true, env, ...(cwd && { cwd }) });
  const url = `http://127.0.0.1:${port}`;
  const stop = () => {
    if (child.pid) process.kill(-child.pid);
  };
  try {
    await waitForServer(`${url}/`);
  } catch (error) {
    stop();
    throw error;
  }
  return { url, stop, process: child };
}

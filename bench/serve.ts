/**
 * What the browser and server benchmarks share: starting the production build on loopback and
 * waiting for it, and the Chromium the tests use (Debian's, with the network-quiet flags).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/chromium';

export { CHROMIUM_ARGS, CHROMIUM_PATH };

/** A process as /proc shows it (Linux): its parent, its CPU seconds so far, its command line. */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  cpuSeconds: number;
  cmdline: string;
}

/**
 * `root` and every process below it (children, theirs, …), read from /proc; a process for which
 * `skip` is true is left out with everything below it. Throws off Linux (no /proc).
 */
export function processTree(root: number, skip: (p: ProcessInfo) => boolean = () => false): ProcessInfo[] {
  const all = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((pid): ProcessInfo[] => {
      try {
        // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ')'.
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        return [{ pid: Number(pid), ppid: Number(fields[1]), cpuSeconds: (Number(fields[11]) + Number(fields[12])) / 100, cmdline }];
      } catch {
        return []; // the process ended meanwhile
      }
    });
  const tree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) {
      if (tree.has(p.pid) || !tree.has(p.ppid) || skip(p)) continue;
      tree.add(p.pid);
      grew = true;
    }
  }
  return all.filter((p) => tree.has(p.pid));
}

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

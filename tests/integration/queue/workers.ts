/**
 * Test helper for the queue tests: starts real `npm run worker` processes (the same command,
 * `node --import tsx server/run/worker.ts`, so `kill -9` hits the worker itself) against the
 * PostgreSQL at DATABASE_URL, and reads what they print: the line saying what they connected to,
 * and one line per run they take ("took run <job id> (attempt N)"). Not a test file itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import pg from 'pg';
import type { RunEvent } from '@/nodes/engine/executor';
import type { RunManager } from '@/server/run/run-manager';
import { pipelineDoc } from '../run-http-server';

export interface WorkerProcess {
  child: ChildProcess;
  lines: string[];
  /** Runs this worker took, as "job id@attempt". */
  took: () => { jobId: string; attempt: number }[];
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

export async function startWorker(env: Record<string, string> = {}): Promise<WorkerProcess> {
  const settings = { TOKENLOOM_WORKER_CONCURRENCY: '2', TOKENLOOM_TEST_FAULTS: '1', ...env };
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/run/worker.ts'], {
    cwd: process.cwd(),
    env: { ...process.env, ...settings },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    for (const listener of [...listeners]) listener();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const worker: WorkerProcess = {
    child,
    lines,
    took: () =>
      lines.flatMap((line) => {
        const m = /took run (\S+) \(attempt (\d+)\)/.exec(line);
        return m ? [{ jobId: m[1]!, attempt: Number(m[2]) }] : [];
      }),
    waitFor(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          for (const line of lines) {
            const m = pattern.exec(line);
            if (m) {
              listeners.delete(check);
              clearTimeout(timer);
              return resolve(m);
            }
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`worker never printed ${pattern}; it printed:\n${lines.join('\n')}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
  await worker.waitFor(new RegExp(`connected to postgres://.*concurrency ${settings.TOKENLOOM_WORKER_CONCURRENCY}\\b`));
  return worker;
}

/**
 * Give this test file a database of its own on the PostgreSQL at DATABASE_URL (dropped and made
 * afresh), and point DATABASE_URL at it, so no other queue file's workers take its runs. Import
 * the run manager after this: it reads DATABASE_URL when loaded. Returns the new URL.
 */
export async function useOwnDatabase(name: string): Promise<URL> {
  const url = new URL(process.env.DATABASE_URL!);
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  return url;
}

/** One run of the pipeline on `text` for `client` through a web run manager, to its end. */
export async function runOnce(web: RunManager, text: string, client: string): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  for await (const message of web.start({ doc: pipelineDoc(text), client, runId: `${client}-${Date.now()}`, signal: new AbortController().signal })) {
    if (message.type !== 'run:accepted') events.push(message as RunEvent);
  }
  return events;
}

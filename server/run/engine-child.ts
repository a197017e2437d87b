/**
 * One engine process of the pool (process-engine.ts): forked from engine-process.mjs, with the
 * heap limit and its share of the recipe cache, and the routing of what it says (engine-process.ts:
 * `ready`, a run's events, a failed run, lookup replies). When it exits, its run ends with the
 * sentence for why (engine-exit.ts) after a closing `run:done`, and its pending lookups get no
 * answer; the pool is told before and after (`onGone`, `onClosed`). It runs at a lower scheduling
 * priority than its parent (ENGINE_NICE).
 *
 * Not handled here: which process takes which run, spares, killing at the deadline (process-engine.ts).
 */
import { fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import type { RunEvent } from '@/nodes/engine/executor';
import { describeExit, EngineProcessError } from '@/server/run/engine-exit';
import type { EngineToParent } from '@/server/run/engine-process';
import type { LookupAnswer } from '@/server/run/lookup';

const STDERR_TAIL_CHARS = 8000;
/**
 * The engine processes' scheduling priority (nice; 0 is the web server's). Why: on a small
 * machine, busy engine processes (eight, on two cores) shared the CPU evenly with the web
 * server, whose one main thread then answered a light request in seconds (bench/server-load.ts,
 * uncached phase); niced, they get the CPU the web server leaves, and lose no time when it is idle.
 */
export const ENGINE_NICE = 10;

/** Best effort: a system that refuses (or has no such thing) runs the process at the default priority. */
function lowerPriority(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    os.setPriority(pid, Math.max(os.getPriority(pid), ENGINE_NICE));
  } catch {
    // not permitted here: the runs still work, only without the web server's head start
  }
}

export interface ActiveRun {
  runId: number;
  onEvent: (event: RunEvent) => void;
  sawDone: boolean;
  started: number;
  killed: boolean;
  resolve: () => void;
  reject: (error: Error) => void;
}

export interface EngineProcess {
  id: number;
  child: ChildProcess;
  loaded: Promise<void>;
  isLoaded: boolean;
  alive: boolean;
  busy: boolean;
  current?: ActiveRun;
  recentAffinities: string[];
  stderrTail: string;
  spareTimer?: NodeJS.Timeout;
  asks: Map<number, (answer: LookupAnswer | undefined) => void>;
}

export interface EngineChildOptions {
  entryFile: string;
  memoryMb: number;
  cacheBytesPerProcess: number;
  hardStopMs: number;
  /** The pool is closing: an exit mid-run is expected, not worth a line on the console. */
  closing: () => boolean;
  /** A node:done / node:cached event for `key` came from `proc`: lookups for it go there. */
  onResult: (key: string, proc: EngineProcess) => void;
  /** The process is gone: take it out of the pool (its run is ended right after). */
  onGone: (proc: EngineProcess) => void;
  /** Its run and asks are ended: replace it if need be, wake waiting runs. */
  onClosed: (proc: EngineProcess) => void;
}

let processCounter = 0;

export function forkEngineProcess(options: EngineChildOptions): EngineProcess {
  // turbopackIgnore: the entry is a file read at run time (it loads tsx), not a module to bundle.
  const child = fork(/* turbopackIgnore: true */ options.entryFile, [], {
    cwd: process.cwd(),
    execArgv: [`--max-old-space-size=${options.memoryMb}`],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    env: { ...process.env, TOKENLOOM_ENGINE_CACHE_BYTES: String(options.cacheBytesPerProcess) },
  });
  lowerPriority(child.pid);
  let markLoaded!: () => void;
  let failLoad!: (error: Error) => void;
  const proc: EngineProcess = {
    id: ++processCounter,
    child,
    loaded: new Promise<void>((resolve, reject) => {
      markLoaded = resolve;
      failLoad = reject;
    }),
    isLoaded: false,
    alive: true,
    busy: false,
    recentAffinities: [],
    stderrTail: '',
    asks: new Map(),
  };
  proc.loaded.catch(() => undefined); // seen by whoever awaits it

  child.stderr?.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk);
    proc.stderrTail = (proc.stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL_CHARS);
  });
  child.on('message', (message: EngineToParent) => {
    switch (message.type) {
      case 'ready':
        proc.isLoaded = true;
        markLoaded();
        return;
      case 'event': {
        const run = proc.current;
        if (!run || run.runId !== message.runId || run.sawDone) return;
        const { event } = message;
        if (event.type === 'node:done' || event.type === 'node:cached') options.onResult(event.key, proc);
        run.onEvent(event);
        if (event.type === 'run:done') {
          run.sawDone = true;
          run.resolve();
        }
        return;
      }
      case 'failed': {
        const run = proc.current;
        if (!run || run.runId !== message.runId || run.sawDone) return;
        run.onEvent({ type: 'run:done', ms: performance.now() - run.started, cancelled: true });
        run.sawDone = true;
        run.reject(new EngineProcessError(message.message, 'failed'));
        return;
      }
      case 'reply':
        proc.asks.get(message.requestId)?.(message.answer);
        return;
    }
  });
  child.on('error', (error) => {
    // A failed spawn or IPC error; 'close' follows when the process is gone.
    proc.stderrTail += `\n${error.message}`;
  });
  child.on('close', (code, signal) => {
    proc.alive = false;
    clearTimeout(proc.spareTimer);
    options.onGone(proc);
    failLoad(new Error(`the engine process exited before it loaded (${signal ?? `exit code ${code ?? '?'}`})${proc.stderrTail ? `: ${proc.stderrTail.trim().split('\n').at(-1)}` : ''}`));
    for (const answer of proc.asks.values()) answer(undefined);
    proc.asks.clear();
    const run = proc.current;
    if (run && !run.sawDone) {
      const error = describeExit({
        code,
        signal,
        stderrTail: proc.stderrTail,
        killedAfterMs: run.killed ? performance.now() - run.started : undefined,
        memoryMb: options.memoryMb,
        hardStopMs: options.hardStopMs,
      });
      if (!options.closing()) console.error(`[run] engine process ${proc.id} ended mid-run (${error.reason}, ${signal ?? `exit code ${code ?? '?'}`}); starting another.`);
      run.onEvent({ type: 'run:done', ms: performance.now() - run.started, cancelled: true });
      run.sawDone = true;
      run.reject(error);
    }
    options.onClosed(proc);
  });
  return proc;
}

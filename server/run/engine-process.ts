/**
 * The body of one engine process (a child of the web server, started by process-engine.ts
 * through engine-process.mjs, which teaches it TypeScript). It runs one graph at a time with
 * the shared executor and registry (where: 'server') and keeps its own recipe cache for its
 * whole life, so a fatal V8 error, an out-of-memory or an endless loop in a run ends this
 * process only: the pool sees the exit, tells that run why, and starts another.
 *
 * Messages (IPC, structured clone) from the pool, ParentToEngine:
 * - `run { runId, doc }`: execute; every RunEvent is sent back as `event { runId, event }`.
 * - `cancel { runId }`: abort; the executor stops at its next checkpoint.
 * - `lookup { requestId, lookup }`: answered from this process's cache with `reply` (lookup.ts).
 * It sends `ready` once loaded.
 *
 * Test faults: only when TOKENLOOM_TEST_FAULTS=1 is in its environment, a Note whose text is
 * `TOKENLOOM_TEST_FAULT:<fault>` does, while running, what a hostile input would:
 * `oom` (allocate until the heap limit), `wait` (wait until the run is cancelled: a run that
never ends by itself), `invalid-size` (split 256 MB into characters: the
 * same V8 "invalid size" fatal error as the Clean replace "$&"×250 on a million characters,
 * cheaper), `hang` (the catastrophic regex
 * `(a+)+$` on "a"×40+"b"), `abort` (process.abort()). With it, TOKENLOOM_TEST_SLOW_START_MS
 * delays `ready` by that long: a process that loads as slowly as on a starved machine. Off by
 * default, and nothing else reads these variables.
 *
 * Orphans: when its parent dies without a word (kill -9 of a queue worker or of the web server)
 * while a run holds this process's main thread (a hung regex), the 'disconnect' event never gets
 * a turn of the event loop. A watchdog thread, which has its own, checks the parent pid every
 * second and ends this process when it has changed, so a dead parent never leaves a process
 * spinning on the machine.
 *
 * Not handled here: limits, deadlines, killing (the pool does that), scheduling.
 */
import { Worker } from 'node:worker_threads';
import { createRecipeCache } from '@/nodes/engine/cache';
import type { AnyNodeDefinition } from '@/nodes/engine/define-node';
import { execute, type RunEvent } from '@/nodes/engine/executor';
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import type { Registry } from '@/nodes/engine/validate';
import { registry } from '@/nodes/index';
import { serverResources } from '@/server/run/engine';
import { answerLookup, type CacheLookup, type LookupAnswer } from '@/server/run/lookup';

export type ParentToEngine =
  | { type: 'run'; runId: number; doc: GraphDoc }
  | { type: 'cancel'; runId: number }
  | { type: 'lookup'; requestId: number; lookup: CacheLookup };

export type EngineToParent =
  | { type: 'ready' }
  | { type: 'event'; runId: number; event: RunEvent }
  | { type: 'failed'; runId: number; message: string }
  | { type: 'reply'; requestId: number; answer: LookupAnswer };

const FAULT_PREFIX = 'TOKENLOOM_TEST_FAULT:';

function triggerFault(fault: string): void {
  if (fault === 'oom') {
    const keep: number[][] = [];
    for (let i = 0; ; i++) keep.push(new Array<number>(4_000_000).fill(i + 0.5));
  }
  // V8's "Fatal JavaScript invalid size error", as Clean's "$&"×250 replace on a million
  // characters raises it, but in 1 s and 300 MB instead of 7 s and 2 GB.
  if (fault === 'invalid-size') console.log('a'.repeat(2 ** 28).split('').length);
  if (fault === 'hang') console.log(/(a+)+$/.test(`${'a'.repeat(40)}b`));
  if (fault === 'abort') process.abort();
}

/** The app's registry, with the test-fault Note when TOKENLOOM_TEST_FAULTS=1. */
function engineRegistry(): Registry {
  if (process.env.TOKENLOOM_TEST_FAULTS !== '1') return registry;
  const note = registry.note as AnyNodeDefinition;
  const faultyNote: AnyNodeDefinition = {
    ...note,
    run: async (inputs, params, ctx) => {
      const text = (params as { text?: unknown }).text;
      if (typeof text === 'string' && text.startsWith(FAULT_PREFIX)) {
        // Let node:start reach the pool first, so tests can wait for it instead of sleeping.
        await new Promise((resolve) => setTimeout(resolve, 50));
        const fault = text.slice(FAULT_PREFIX.length);
        if (fault === 'wait' && !ctx.signal.aborted) await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve, { once: true }));
        triggerFault(fault);
      }
      return note.run(inputs, params, ctx);
    },
  };
  return { ...registry, note: faultyNote };
}

const WATCHDOG_SOURCE = `
const { workerData } = require('node:worker_threads');
setInterval(() => { if (process.ppid !== workerData.parent) process.kill(process.pid, 'SIGKILL'); }, 1000);
`;

/** End this process when its parent is gone, even while a run blocks the main thread (see the header). */
function watchParent(): void {
  const watchdog = new Worker(WATCHDOG_SOURCE, { eval: true, workerData: { parent: process.ppid } });
  watchdog.unref();
}

function main() {
  watchParent();
  const send = (message: EngineToParent) => process.send?.(message);
  const cache = createRecipeCache({ maxBytes: Number(process.env.TOKENLOOM_ENGINE_CACHE_BYTES) || 64 * 1024 * 1024 });
  const resources = serverResources();
  const runs = new Map<number, AbortController>();
  const runRegistry = engineRegistry();

  async function run(runId: number, doc: GraphDoc) {
    const controller = new AbortController();
    runs.set(runId, controller);
    try {
      await execute(doc, {
        registry: runRegistry,
        cache,
        where: 'server',
        resources,
        signal: controller.signal,
        onEvent: (event) => send({ type: 'event', runId, event }),
      });
    } catch (error) {
      send({ type: 'failed', runId, message: error instanceof Error ? error.message : String(error) });
    } finally {
      runs.delete(runId);
    }
  }

  process.on('message', (message: ParentToEngine) => {
    switch (message.type) {
      case 'run':
        void run(message.runId, message.doc);
        return;
      case 'cancel':
        runs.get(message.runId)?.abort();
        return;
      case 'lookup': {
        let answer: LookupAnswer;
        try {
          answer = answerLookup(cache, message.lookup);
        } catch (error) {
          answer = { ok: false, missing: false, message: error instanceof Error ? error.message : String(error) };
        }
        send({ type: 'reply', requestId: message.requestId, answer });
        return;
      }
    }
  });
  // The web server went away (or closed the pool): nothing left to do.
  process.on('disconnect', () => process.exit(0));
  const slowStart = process.env.TOKENLOOM_TEST_FAULTS === '1' ? Number(process.env.TOKENLOOM_TEST_SLOW_START_MS ?? 0) : 0;
  if (slowStart > 0) setTimeout(() => send({ type: 'ready' }), slowStart);
  else send({ type: 'ready' });
}

if (process.send) main();

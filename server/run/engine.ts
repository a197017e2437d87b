/**
 * RunEngine: what the run manager needs from whatever executes graphs on the server, and the
 * in-process implementation of it.
 *
 * An engine runs one GraphDoc with the shared executor (nodes/engine/executor.ts, where:
 * 'server') and the app's registry, streams its RunEvents, stops on the signal, and answers
 * lookups (lookup.ts) from its recipe cache. Implementations:
 * - process-engine.ts (the default): graph runs inside engine child processes, one run per
 *   process, so a fatal error or a hang ends only its own run;
 * - queue/queue-engine.ts (with DATABASE_URL): graph runs are pg-boss jobs taken by `npm run worker`
 *   processes on any machine, which run them in their own engine processes;
 * - createInProcessEngine (here): the same executor on the main thread, for TOKENLOOM_RUN_PROCESSES=0
 *   and as the fallback when engine processes cannot start. No isolation: a V8 fatal error
 *   there takes the web server with it. It relies on the executor's
 *   cooperative yielding (ctx.checkpoint, between nodes), so a node with a long synchronous
 *   step (Pretokenize on megabytes) does hold the event loop for that step.
 *
 * Not handled here: limits, deduplication, clients (run-manager.ts).
 */
import path from 'node:path';
import { createRecipeCache } from '@/nodes/engine/cache';
import type { Resources } from '@/nodes/engine/define-node';
import { execute, type RunEvent } from '@/nodes/engine/executor';
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import { registry } from '@/nodes/index';
import { corpusReader } from '@/server/corpora/reader';
import { isHttpUrl } from '@/server/env';
import { answerLookup, type CacheLookup, type LookupAnswer } from '@/server/run/lookup';

export interface EngineRunOptions {
  signal: AbortSignal;
  onEvent: (event: RunEvent) => void;
  /** Runs with the same affinity go to the same process (and so find each other's cache entries). */
  affinity?: string;
  /** Called when the run starts executing (an engine process took it), after any queueing. */
  onStarted?: () => void;
  /**
   * Called when a process is set aside for the run but is still loading (a replacement for a
   * killed one, or a new spare): from then on the run waits for that load, not behind other runs.
   */
  onAssigned?: () => void;
}

export interface RunEngine {
  readonly kind: 'processes' | 'in-process' | 'queue';
  /** Engine processes running now (0 in-process; on the queue, those of the workers seen lately). */
  readonly processes: number;
  /** Resolves once the engine can take runs (its first processes started and loaded). */
  ready(): Promise<void>;
  /**
   * Run a graph. Resolves after its `run:done` event (also when cancelled); rejects only when
   * the engine itself failed (its process died), after emitting a closing `run:done`.
   */
  run(doc: GraphDoc, options: EngineRunOptions): Promise<void>;
  /** A page of a cached output, or an inspector's question about it (lookup.ts). */
  lookup(request: CacheLookup): Promise<LookupAnswer>;
  close(): Promise<void>;
}

/**
 * Where server runs find shipped files: the same public/ folders the browser fetches, read from
 * disk. Fetching other tokenizers from the Hugging Face hub is off unless TOKENLOOM_RUN_ALLOW_HUB=1
 * (a server reaching out on a student's behalf is a choice for its operator). Likewise the one
 * Ollama server runs may use is TOKENLOOM_OLLAMA_URL (server/env.ts validates it); unset or not an
 * http(s) URL, server runs refuse Ollama.
 */
export function serverResources(root = process.cwd(), source: Record<string, string | undefined> = process.env): Resources {
  return {
    hubPath: path.join(root, 'public', 'hub') + path.sep,
    modelPath: path.join(root, 'public', 'models') + path.sep,
    allowRemote: source.TOKENLOOM_RUN_ALLOW_HUB === '1',
    ...(source.TOKENLOOM_OLLAMA_URL && isHttpUrl(source.TOKENLOOM_OLLAMA_URL.trim()) ? { ollamaUrl: source.TOKENLOOM_OLLAMA_URL.trim() } : {}),
    openCorpus: corpusReader(source),
  };
}

export function createInProcessEngine(options: { cacheBytes: number; resources?: Resources }): RunEngine {
  const cache = createRecipeCache({ maxBytes: options.cacheBytes });
  const resources = options.resources ?? serverResources();
  return {
    kind: 'in-process',
    processes: 0,
    ready: () => Promise.resolve(),
    async run(doc, { signal, onEvent, onStarted }) {
      onStarted?.();
      await execute(doc, { registry, cache, where: 'server', resources, signal, onEvent });
    },
    lookup: (request) => Promise.resolve(answerLookup(cache, request)),
    close: () => {
      cache.clear();
      return Promise.resolve();
    },
  };
}

/**
 * RunEngine: what the run manager needs from whatever executes graphs on the server, and the
 * in-process implementation of it.
 *
 * An engine runs one GraphDoc with the shared executor (nodes/engine/executor.ts, where:
 * 'server') and the app's registry, streams its RunEvents, stops on the signal, and answers
 * page requests from its recipe cache. Two implementations:
 * - process-engine.ts (the default): graph runs inside engine child processes, one run per
 *   process, so a fatal error or a hang ends only its own run;
 * - createInProcessEngine (here): the same executor on the main thread, for TOKENLOOM_RUN_PROCESSES=0
 *   and as the fallback when engine processes cannot start. No isolation: a V8 fatal error
 *   there takes the web server with it. It relies on the executor's
 *   cooperative yielding (ctx.checkpoint, between nodes), so a node with a long synchronous
 *   step (Pretokenize on megabytes) does hold the event loop for that step.
 *
 * Not handled here: limits, deduplication, clients (run-manager.ts).
 */
import path from 'node:path';
import { createRecipeCache, type RecipeCache } from '@/nodes/engine/cache';
import type { Resources } from '@/nodes/engine/define-node';
import { execute, type RunEvent } from '@/nodes/engine/executor';
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import { registry } from '@/nodes/index';
import { answerQuery } from '@/nodes/engine/worker-host';
import { corpusReader } from '@/server/corpora/reader';
import { isHttpUrl } from '@/server/env';
import { NotPageableError, pageOf, type PageRequest, type ValuePage } from '@/server/run/paging';

export interface EngineRunOptions {
  signal: AbortSignal;
  onEvent: (event: RunEvent) => void;
  /** Runs with the same affinity go to the same process (and so find each other's cache entries). */
  affinity?: string;
  /** Called when the run starts executing (an engine process took it), after any queueing. */
  onStarted?: () => void;
}

/** The answer to a page request: the page, or why there is none. */
export type PageLookup =
  | { ok: true; page: ValuePage }
  | { ok: false; reason: 'missing-key' | 'missing-port' | 'not-pageable'; message: string };

export interface RunEngine {
  readonly kind: 'processes' | 'in-process';
  /** Engine processes running now (0 in-process). */
  readonly processes: number;
  /** Resolves once the engine can take runs (its first processes started and loaded). */
  ready(): Promise<void>;
  /**
   * Run a graph. Resolves after its `run:done` event (also when cancelled); rejects only when
   * the engine itself failed (its process died), after emitting a closing `run:done`.
   */
  run(doc: GraphDoc, options: EngineRunOptions): Promise<void>;
  page(request: PageRequest): Promise<PageLookup>;
  /** An inspector's on-demand question about a cached result (NodeDefinition.query). */
  query(request: NodeQuery): Promise<QueryLookup>;
  close(): Promise<void>;
}

export type NodeQuery = { nodeType: string; key: string; request: unknown };
export type QueryLookup = { ok: true; result: unknown } | { ok: false; missing: boolean; message: string };

/** Answer a node query from one recipe cache; shared by both engines (and the engine processes). */
export function lookupQuery(cache: RecipeCache, query: NodeQuery): QueryLookup {
  if (!cache.get(query.key)) return { ok: false, missing: true, message: 'The server no longer holds this result; run the graph again.' };
  const answer = answerQuery(registry, cache, { type: 'query', requestId: 0, ...query });
  return answer.ok ? { ok: true, result: answer.result } : { ok: false, missing: false, message: answer.message };
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

/** Look a page up in one recipe cache; shared by both engines (and the engine processes). */
export function lookupPage(cache: RecipeCache, request: PageRequest): PageLookup {
  const hit = cache.get(request.key);
  if (!hit) {
    return { ok: false, reason: 'missing-key', message: 'The server no longer holds this value (it was evicted or computed elsewhere); run the graph again.' };
  }
  if (!Object.hasOwn(hit.outputs, request.port)) {
    const ports = Object.keys(hit.outputs).join(', ') || 'none';
    return { ok: false, reason: 'missing-port', message: `This node has no output '${request.port}' (its outputs: ${ports}).` };
  }
  try {
    return { ok: true, page: pageOf(hit.outputs[request.port], request.offset, request.limit) };
  } catch (error) {
    if (error instanceof NotPageableError) return { ok: false, reason: 'not-pageable', message: error.message };
    throw error;
  }
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
    page: (request) => Promise.resolve(lookupPage(cache, request)),
    query: (request) => Promise.resolve(lookupQuery(cache, request)),
    close: () => {
      cache.clear();
      return Promise.resolve();
    },
  };
}

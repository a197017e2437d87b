/**
 * The executor: runs a GraphDoc in topological order, reusing cached results by recipe key.
 *
 * - Errors are data: a failing node reports its message and blocks only its descendants.
 * - Cancellation: the AbortSignal stops the run between nodes and inside long loops
 *   (nodes call ctx.checkpoint()); a cancelled run reports `cancelled` and caches nothing
 *   from the node it interrupted.
 * - Events are typed and emitted as the run goes, for live status on the canvas.
 *
 * The same function runs in the browser's Web Worker and in Node on the server.
 * Not handled here: threads, transport (worker-host.ts, the server router).
 */
import type { AnyNodeDefinition, Resources, RunContext } from './define-node';
import type { GraphDoc } from './graph-doc';
import { type RecipeCache, recipeKey } from './cache';
import { type GraphIssue, type Registry, kindOf, nodesOnCycles, topologicalOrder, validateGraph } from './validate';

export type Where = RunContext['where'];

export type RunEvent =
  | { type: 'run:start'; order: string[]; issues: GraphIssue[] }
  | { type: 'node:start'; nodeId: string }
  | { type: 'node:progress'; nodeId: string; fraction: number; message?: string; data?: unknown }
  | { type: 'node:done'; nodeId: string; key: string; ms: number; view: unknown }
  | { type: 'node:cached'; nodeId: string; key: string; ms: number; view: unknown }
  | { type: 'node:error'; nodeId: string; message: string }
  | { type: 'node:blocked'; nodeId: string; by: string }
  | { type: 'run:done'; ms: number; cancelled: boolean };

export type NodeOutcome =
  | {
      status: 'done' | 'cached';
      key: string;
      ms: number;
      view: unknown;
      outputs: Record<string, unknown>;
      /** Keys of outputs that depend on part of the recipe only (NodeDefinition.outputDependsOn). */
      outputKeys?: Record<string, string>;
    }
  | { status: 'error'; message: string }
  | { status: 'blocked'; by: string };

export interface RunReport {
  outcomes: Map<string, NodeOutcome>;
  issues: GraphIssue[];
  cancelled: boolean;
  ms: number;
}

export interface ExecuteOptions {
  registry: Registry;
  cache: RecipeCache;
  where: Where;
  resources: Resources;
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  /** The clock, for tests. */
  now?: () => number;
}

export class AbortError extends Error {
  override name = 'AbortError';
  constructor() {
    super('The run was cancelled.');
  }
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/** Give the event loop a turn: setImmediate in Node, a MessageChannel hop in browsers and workers. */
export function yieldToEventLoop(): Promise<void> {
  const g = globalThis as { setImmediate?: (cb: () => void) => unknown };
  if (typeof g.setImmediate === 'function') return new Promise((resolve) => g.setImmediate!(resolve));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/** Nodes whose issues stop them from running, with the message to show on each. */
function nodeIssueMessages(issues: GraphIssue[]): Map<string, string> {
  const byNode = new Map<string, string>();
  for (const issue of issues) {
    const ids = 'nodeId' in issue ? [issue.nodeId] : issue.code === 'cycle' ? issue.nodeIds : [];
    for (const id of ids) if (!byNode.has(id)) byNode.set(id, issue.message);
  }
  return byNode;
}

/**
 * Keys for the outputs a definition says depend on part of its recipe: the same recipe hash over
 * just those params and input keys, so they stay equal while the rest changes.
 */
function partialOutputKeys(
  def: AnyNodeDefinition,
  params: Record<string, unknown>,
  inputKeys: Record<string, string>,
): Record<string, string> | undefined {
  if (!def.outputDependsOn) return undefined;
  const keys: Record<string, string> = {};
  for (const [port, deps] of Object.entries(def.outputDependsOn as Record<string, { inputs: readonly string[]; params: readonly string[] }>)) {
    keys[port] = recipeKey({
      type: `${def.type}#${port}`,
      version: def.version,
      params: Object.fromEntries(deps.params.map((p) => [p, params[p]])),
      inputs: Object.fromEntries(deps.inputs.flatMap((i) => (inputKeys[i] === undefined ? [] : [[i, inputKeys[i]]]))),
    });
  }
  return keys;
}

export async function execute(doc: GraphDoc, options: ExecuteOptions): Promise<RunReport> {
  const { registry, cache, where, signal, onEvent } = options;
  const clock = options.now ?? now;
  const started = clock();
  const emit = (event: RunEvent) => onEvent?.(event);
  const outcomes = new Map<string, NodeOutcome>();

  const issues = validateGraph(doc, registry);
  const badEdges = new Set(issues.flatMap((i) => ('edgeId' in i ? [i.edgeId] : [])));
  const edges = doc.edges.filter((e) => !badEdges.has(e.id));
  const blockedByIssue = nodeIssueMessages(issues);
  const nodes = new Map(doc.nodes.map((n) => [n.id, n]));

  const { order, cyclic } = topologicalOrder([...nodes.keys()], edges);
  const onCycle = new Set(nodesOnCycles([...nodes.keys()], edges));
  emit({ type: 'run:start', order, issues });

  const finish = (cancelled: boolean): RunReport => {
    const ms = clock() - started;
    emit({ type: 'run:done', ms, cancelled });
    return { outcomes, issues, cancelled, ms };
  };

  // Downstream of a cycle: blocked by the first cycle node feeding it.
  for (const id of cyclic) {
    if (onCycle.has(id)) {
      const message = blockedByIssue.get(id) ?? 'This node is part of a cycle.';
      outcomes.set(id, { status: 'error', message });
      emit({ type: 'node:error', nodeId: id, message });
    }
  }
  for (const id of cyclic) {
    if (!onCycle.has(id)) {
      const by = edges.find((e) => e.target === id && cyclic.includes(e.source))?.source ?? cyclic[0]!;
      outcomes.set(id, { status: 'blocked', by });
      emit({ type: 'node:blocked', nodeId: id, by });
    }
  }

  let lastYield = clock();
  const checkpoint = async () => {
    if (signal?.aborted) throw new AbortError();
    if (clock() - lastYield > 12) {
      await yieldToEventLoop();
      lastYield = clock();
      if (signal?.aborted) throw new AbortError();
    }
  };

  for (const nodeId of order) {
    if (signal?.aborted) return finish(true);
    const node = nodes.get(nodeId)!;
    const issueMessage = blockedByIssue.get(nodeId);
    if (issueMessage) {
      outcomes.set(nodeId, { status: 'error', message: issueMessage });
      emit({ type: 'node:error', nodeId, message: issueMessage });
      continue;
    }
    const def = kindOf(registry, node.type) as AnyNodeDefinition; // validated above

    // Gather inputs; a failed or blocked upstream blocks this node.
    const inputs: Record<string, unknown> = {};
    const inputKeys: Record<string, string> = {};
    let blockedBy: string | undefined;
    for (const edge of edges) {
      if (edge.target !== nodeId) continue;
      const upstream = outcomes.get(edge.source);
      if (!upstream || upstream.status === 'error' || upstream.status === 'blocked') {
        blockedBy = upstream?.status === 'blocked' ? upstream.by : edge.source;
        break;
      }
      inputs[edge.targetPort] = upstream.outputs[edge.sourcePort];
      inputKeys[edge.targetPort] = upstream.outputKeys?.[edge.sourcePort] ?? `${upstream.key}#${edge.sourcePort}`;
    }
    if (blockedBy !== undefined) {
      outcomes.set(nodeId, { status: 'blocked', by: blockedBy });
      emit({ type: 'node:blocked', nodeId, by: blockedBy });
      continue;
    }

    const params = def.params.parse(node.params) as Record<string, unknown>;
    const key = recipeKey({ type: def.type, version: def.version, params, inputs: inputKeys });
    const outputKeys = partialOutputKeys(def, params, inputKeys);
    const hit = cache.get(key);
    if (hit) {
      outcomes.set(nodeId, { status: 'cached', key, ms: hit.ms, view: hit.view, outputs: hit.outputs, outputKeys });
      emit({ type: 'node:cached', nodeId, key, ms: hit.ms, view: hit.view });
      continue;
    }

    emit({ type: 'node:start', nodeId });
    const t0 = clock();
    try {
      const ctx: RunContext = {
        signal: signal ?? new AbortController().signal,
        where,
        resources: options.resources,
        checkpoint,
        progress: (fraction, message, data) =>
          emit({ type: 'node:progress', nodeId, fraction: Math.min(1, Math.max(0, fraction)), message, ...(data === undefined ? {} : { data }) }),
      };
      // The registry is heterogeneous: validation above is what makes these values fit the ports.
      const { details, ...outputs } = (await def.run(inputs as never, params, ctx)) as Record<string, unknown>;
      if (signal?.aborted) return finish(true);
      const view = def.view({ inputs: inputs as never, outputs: outputs as never, params, details });
      const ms = clock() - t0;
      cache.set(key, { outputs, details, view, ms });
      outcomes.set(nodeId, { status: 'done', key, ms, view, outputs, outputKeys });
      emit({ type: 'node:done', nodeId, key, ms, view });
    } catch (error) {
      if (isAbortError(error) || signal?.aborted) return finish(true);
      const message = error instanceof Error ? error.message : String(error);
      outcomes.set(nodeId, { status: 'error', message });
      emit({ type: 'node:error', nodeId, message });
    }
    await checkpoint().catch(() => undefined);
  }
  return finish(Boolean(signal?.aborted));
}

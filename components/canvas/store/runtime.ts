/**
 * What the engine streamed back: each node's status, view and timing, and the run as a whole
 * (where it runs, whether it is running, how long it took). `reduceRunEvent` is the one place a
 * run event changes the store; its switch is exhaustive, so a new event type does not compile
 * until it is handled here.
 */
import type { RunEvent } from '@/nodes/engine/executor';
import { ownEntry } from '@/nodes/engine/validate';
import { nodeKinds, registry } from '@/nodes';
import type { LabState, NodeRuntime, RuntimeSlice, Slice } from './types';

export const DEFAULT_RUN_BUDGET_S = 30;
export const MIN_RUN_BUDGET_S = 2;
export const MAX_RUN_BUDGET_S = 3600;
export const RUN_BUDGET_KEY = 'tokenloom:run-budget-s';

export const runtimeSlice: Slice<RuntimeSlice> = (set, get) => ({
  runtime: {},
  run: { running: false, where: 'browser' },
  missingInputs: {},
  requestStop: null,
  runBudgetS: DEFAULT_RUN_BUDGET_S,
  setRunBudget(seconds) {
    const clamped = Math.min(MAX_RUN_BUDGET_S, Math.max(MIN_RUN_BUDGET_S, Math.round(seconds) || DEFAULT_RUN_BUDGET_S));
    set({ runBudgetS: clamped });
    try {
      localStorage.setItem(RUN_BUDGET_KEY, String(clamped));
    } catch {
      // Storage may be off (private mode); the setting then lasts for this page.
    }
  },

  setRunOn(where) {
    set((s) => ({ run: { ...s.run, where }, revision: s.revision + 1 }));
  },

  applyRunEvent(event) {
    get().applyRunEvents([event]);
  },

  applyRunEvents(events) {
    set((s) => events.reduce<LabState>((state, event) => ({ ...state, ...reduceRunEvent(state, event) }), s));
  },
});

/** What the canvas calls a node: its own title, else its kind's; the id of a node not found. */
export function titleOf(s: Pick<LabState, 'nodes'>, nodeId: string): string {
  const node = s.nodes.find((n) => n.id === nodeId);
  const kind = node?.type ? ownEntry(nodeKinds, node.type) : undefined;
  return node?.data.title || kind?.title || nodeId;
}

/**
 * The runtime after a hard or soft stop: each node that was running, or had started in the
 * engine (`started`, with its start time), is stopped with how long it ran and `why`; one with no
 * start time known goes back to idle. The nodes downstream of a stopped one did not run either:
 * whatever they showed was computed from an input that was being replaced, so they say which
 * node they wait for instead of showing it.
 */
export function markStopped(
  s: Pick<LabState, 'runtime' | 'nodes' | 'edges'>,
  started: ReadonlyMap<string, number>,
  now: number,
  why: string,
): Record<string, NodeRuntime> {
  const next = { ...s.runtime };
  const stopped: string[] = [];
  for (const id of new Set([...Object.keys(s.runtime), ...started.keys()])) {
    const r = ownEntry(s.runtime, id);
    if (r?.status !== 'running' && !started.has(id)) continue;
    const since = started.get(id) ?? r?.startedAt;
    next[id] = since === undefined ? { status: 'idle' } : { status: 'stopped', stoppedBecause: `Stopped after ${Math.max(1, Math.round((now - since) / 1000))} s: ${why}.` };
    stopped.push(id);
  }
  const waitsFor = new Map<string, string>();
  const queue = [...stopped];
  const seen = new Set(stopped);
  for (let at = 0; at < queue.length; at++) {
    const from = queue[at];
    for (const edge of s.edges) {
      if (edge.source !== from || seen.has(edge.target)) continue;
      seen.add(edge.target);
      // A node further down waits for the stopped node at the head of its chain.
      waitsFor.set(edge.target, waitsFor.get(from) ?? from);
      queue.push(edge.target);
    }
  }
  for (const [id, by] of waitsFor) {
    next[id] = { status: 'stopped', stoppedBecause: `Not computed: ${titleOf(s, by)}, which it reads from, was stopped.` };
  }
  return next;
}

/**
 * The input ports of a node that has inputs but no wire into any of them (a node whose inputs
 * are each optional says itself what to connect); null otherwise.
 */
function unwiredInputs(s: LabState, nodeId: string): string[] | null {
  const type = s.nodes.find((n) => n.id === nodeId)?.type;
  const def = type ? ownEntry(registry, type) : undefined;
  const ports = def ? Object.keys(def.inputs) : [];
  if (ports.length === 0 || s.edges.some((e) => e.target === nodeId)) return null;
  return ports;
}

/**
 * A node's result; none when the node shows exactly that already (a keystroke's run finds most
 * nodes cached, and the view the worker sends is then the page's own object: view-diff.ts), so
 * its card and inspector are not rendered again.
 */
function result(s: LabState, id: string, next: NodeRuntime): Partial<LabState> {
  const prev = ownEntry(s.runtime, id);
  const keys = Object.keys(next) as (keyof NodeRuntime)[];
  if (prev && Object.keys(prev).length === keys.length && keys.every((k) => prev[k] === next[k])) return {};
  return { runtime: { ...s.runtime, [id]: next } };
}

/** The store change one run event makes. */
export function reduceRunEvent(s: LabState, event: RunEvent): Partial<LabState> {
  const patch = (id: string, value: NodeRuntime) => ({ runtime: { ...s.runtime, [id]: value } });
  switch (event.type) {
    case 'run:start': {
      const missingInputs: Record<string, string[]> = {};
      for (const issue of event.issues) {
        if (issue.code === 'missing-input') (missingInputs[issue.nodeId] ??= []).push(issue.port);
      }
      return { run: { ...s.run, running: true, cancelled: false }, missingInputs };
    }
    case 'run:done':
      return { run: { ...s.run, running: false, ms: event.ms, cancelled: event.cancelled } };
    case 'node:start':
      return patch(event.nodeId, { ...ownEntry(s.runtime, event.nodeId), status: 'running', progress: 0 });
    case 'node:progress':
      return patch(event.nodeId, {
        ...ownEntry(s.runtime, event.nodeId),
        status: 'running',
        progress: event.fraction,
        progressMessage: event.message,
        progressData: event.data,
      });
    case 'node:done':
    case 'node:cached':
      return result(s, event.nodeId, { status: event.type === 'node:done' ? 'done' : 'cached', ms: event.ms, view: event.view, key: event.key, where: s.run.where });
    case 'node:error': {
      const needs = s.missingInputs[event.nodeId] ?? unwiredInputs(s, event.nodeId);
      if (needs) return patch(event.nodeId, { status: 'needs-input', error: event.message, needs });
      return patch(event.nodeId, { status: 'error', error: event.message });
    }
    case 'node:blocked':
      return patch(event.nodeId, { status: 'blocked', blockedBy: event.by });
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

/**
 * The canvas state: the graph being edited (React Flow nodes and edges), its undo history,
 * and the runtime results streamed back by the engine.
 *
 * `revision` counts edits that change what the engine computes (params, nodes, edges); moving a
 * node does not bump it, so dragging never re-runs the graph.
 */
import { applyEdgeChanges, applyNodeChanges, type Connection, type EdgeChange, type NodeChange, type XYPosition } from '@xyflow/react';
import { create } from 'zustand';
import type { RunEvent, Where } from '@/nodes/engine/executor';
import { GRAPH_LIMITS, type GraphDoc, type Lesson } from '@/nodes/engine/graph-doc';
import { connectionRefusal, ownEntry, wouldCreateCycle } from '@/nodes/engine/validate';
import { nodeKinds, registry, type NodeType } from '@/nodes';
import { lessonFor } from './lesson-steps';
import { fromGraphDoc, newNodeId, toGraphDoc, withDefaults, type LabEdge, type LabNode } from './graph-convert';

export type NodeStatus = 'idle' | 'running' | 'done' | 'cached' | 'error' | 'blocked' | 'stopped' | 'needs-input';

export interface NodeRuntime {
  status: NodeStatus;
  /** Where the result was computed. */
  where?: Where;
  /** The recipe key of the result shown, for on-demand questions to the engine. */
  key?: string;
  ms?: number;
  view?: unknown;
  error?: string;
  blockedBy?: string;
  progress?: number;
  progressMessage?: string;
  /** What the node reported while running, for a live inspector. */
  progressData?: unknown;
  /** When it started (Date.now()), once it has run long enough for the elapsed time to matter. */
  startedAt?: number;
  /** Why it was stopped ('stopped' status): "Stopped after 31 s: …". */
  stoppedBecause?: string;
  /** The input ports still to connect ('needs-input' status): a fresh node, not a failure. */
  needs?: string[];
}

interface Snapshot {
  title: string;
  nodes: LabNode[];
  edges: LabEdge[];
  lesson: Lesson | undefined;
}

export interface Toast {
  id: number;
  message: string;
  tone: 'error' | 'info';
}

const HISTORY_LIMIT = 100;
/** Keystrokes in one field within this window form one undo step. */
const COALESCE_MS = 1000;

export interface LabState extends Snapshot {
  revision: number;
  /** The saved graph this canvas shows, or null for an unsaved one. */
  graphId: string | null;
  /** Read-only: opened from someone else's link. Forking makes an editable copy. */
  readOnly: boolean;
  /** The revision last saved to the server; unsaved edits exist when it differs. */
  savedRevision: number | null;
  /** The revision the graph had when it was opened: a template or link not yet edited. */
  loadedRevision: number;
  past: Snapshot[];
  future: Snapshot[];
  coalesce: { key: string; at: number } | null;
  runtime: Record<string, NodeRuntime>;
  run: { running: boolean; ms?: number; where: Where; cancelled?: boolean };
  /** The current run's unconnected required inputs, by node (from its run:start issues). */
  missingInputs: Record<string, string[]>;
  inspected: string | null;
  toast: Toast | null;
  clipboard: Snapshot | null;
  /** Presenting the lesson: which step, and whether its answer is revealed. */
  presenting: { step: number; revealed: boolean } | null;

  setLesson(update: (lesson: Lesson) => Lesson): void;
  present(step: number | null, revealed?: boolean): void;
  record(coalesceKey?: string): void;
  undo(): void;
  redo(): void;
  setRunOn(where: Where): void;
  load(doc: GraphDoc, meta?: { graphId?: string | null; readOnly?: boolean; saved?: boolean; keepHistory?: boolean }): string[];
  setSaved(graphId: string): void;
  setReadOnly(readOnly: boolean): void;
  /** True (and a hint is shown) when the graph is read-only and an edit was refused. */
  refuseIfReadOnly(): boolean;
  /** Like refuseIfReadOnly, and also true when the lesson locks the graph's structure. */
  refuseIfLocked(): boolean;
  doc(): GraphDoc;
  onNodesChange(changes: NodeChange<LabNode>[]): void;
  onEdgesChange(changes: EdgeChange<LabEdge>[]): void;
  /** Returns the reason a connection is refused, or null when it was made. */
  connect(connection: Connection): string | null;
  /** `size` for a kind that draws its own resizable card (the Note); others size to their content. */
  addNode(type: NodeType, position: XYPosition, params?: Record<string, unknown>, size?: { width: number; height: number }): string;
  updateParams(id: string, patch: Record<string, unknown>, coalesceKey?: string): void;
  setTitle(title: string): void;
  /** A node's own title; empty (or the kind's own title) goes back to the kind's. Undoable. */
  renameNode(id: string, title: string): void;
  copySelection(): number;
  paste(): number;
  selectAll(): void;
  setPositions(positions: Record<string, XYPosition>): void;
  inspect(id: string | null): void;
  showToast(message: string, tone?: Toast['tone']): void;
  /** The engine's hard stop, registered by useEngine; the node cards' Stop buttons call it. */
  requestStop: (() => void) | null;
  /** Seconds a browser run may take before the watchdog stops it (a setting, kept per browser). */
  runBudgetS: number;
  setRunBudget(seconds: number): void;
  dismissToast(): void;
  applyRunEvent(event: RunEvent): void;
  /** Several events in one state update (one render). */
  applyRunEvents(events: readonly RunEvent[]): void;
}

const snapshot = (s: Snapshot): Snapshot => ({ title: s.title, nodes: s.nodes, edges: s.edges, lesson: s.lesson });

export const DEFAULT_RUN_BUDGET_S = 30;
export const MIN_RUN_BUDGET_S = 2;
export const MAX_RUN_BUDGET_S = 3600;
export const RUN_BUDGET_KEY = 'tokenloom:run-budget-s';

export const EMPTY_LESSON: Lesson = { steps: [], controls: { hidePalette: false, lockGraph: false, visibleParams: {} } };
let toastId = 0;

export const useLab = create<LabState>()((set, get) => ({
  title: 'Untitled graph',
  nodes: [],
  edges: [],
  revision: 0,
  graphId: null,
  readOnly: false,
  savedRevision: null,
  loadedRevision: 0,
  past: [],
  future: [],
  coalesce: null,
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
  inspected: null,
  toast: null,
  clipboard: null,
  lesson: undefined,
  presenting: null,

  setRunOn(where) {
    set((s) => ({ run: { ...s.run, where }, revision: s.revision + 1 }));
  },

  setLesson(update) {
    if (get().refuseIfReadOnly()) return;
    get().record('lesson');
    set((s) => ({ lesson: update(s.lesson ?? EMPTY_LESSON) }));
  },

  present(step, revealed = false) {
    const steps = get().lesson?.steps ?? [];
    if (step === null || steps.length === 0) {
      set({ presenting: null });
      return;
    }
    const clamped = Math.max(0, Math.min(step, steps.length - 1));
    set({ presenting: { step: clamped, revealed } });
    const nodeId = steps[clamped]?.nodeId;
    if (nodeId) set({ inspected: nodeId });
  },

  record(coalesceKey) {
    const { coalesce } = get();
    const now = Date.now();
    if (coalesceKey && coalesce && coalesce.key === coalesceKey && now - coalesce.at < COALESCE_MS) {
      set({ coalesce: { key: coalesceKey, at: now } });
      return;
    }
    set((s) => ({
      past: [...s.past.slice(-(HISTORY_LIMIT - 1)), snapshot(s)],
      future: [],
      coalesce: coalesceKey ? { key: coalesceKey, at: now } : null,
    }));
  },

  undo() {
    if (get().readOnly) return;
    const { past } = get();
    const previous = past[past.length - 1];
    if (!previous) return;
    set((s) => ({
      ...previous,
      past: s.past.slice(0, -1),
      future: [snapshot(s), ...s.future],
      revision: s.revision + 1,
      coalesce: null,
    }));
  },

  redo() {
    if (get().readOnly) return;
    const [next, ...rest] = get().future;
    if (!next) return;
    set((s) => ({ ...next, past: [...s.past, snapshot(s)], future: rest, revision: s.revision + 1, coalesce: null }));
  },

  load(doc, meta = {}) {
    const { nodes, edges, unknown } = fromGraphDoc(doc);
    // Opening a template over an editable graph is undoable; opening a link starts afresh.
    if (meta.keepHistory && !get().readOnly) get().record();
    set((s) => ({
      title: doc.title,
      nodes,
      edges,
      lesson: doc.lesson,
      presenting: null,
      // A graph may say where it prefers to run; otherwise the user's choice stays.
      run: { ...s.run, where: doc.runOn ?? s.run.where },
      past: meta.keepHistory ? s.past : [],
      future: [],
      runtime: {},
      inspected: null,
      revision: s.revision + 1,
      graphId: meta.graphId ?? null,
      readOnly: meta.readOnly ?? false,
      savedRevision: meta.saved ? s.revision + 1 : null,
      loadedRevision: s.revision + 1,
    }));
    return unknown;
  },

  setSaved(graphId) {
    set((s) => ({ graphId, savedRevision: s.revision, readOnly: false }));
  },

  setReadOnly(readOnly) {
    set({ readOnly });
  },

  refuseIfReadOnly() {
    if (!get().readOnly) return false;
    get().showToast('This graph is read-only. Fork it to make your own editable copy.', 'info');
    return true;
  },

  refuseIfLocked() {
    if (get().refuseIfReadOnly()) return true;
    if (!get().lesson?.controls.lockGraph) return false;
    get().showToast('The graph is locked for this lesson: its nodes and wires stay as they are. Unlock it in the Lesson panel.', 'info');
    return true;
  },

  doc() {
    const { title, nodes, edges, lesson, run } = get();
    return toGraphDoc(title, nodes, edges, lesson, run.where);
  },

  onNodesChange(changes) {
    if (get().readOnly || get().lesson?.controls.lockGraph) changes = changes.filter((c) => c.type !== 'remove' && c.type !== 'add' && c.type !== 'replace');
    const structural = changes.some((c) => c.type === 'remove' || c.type === 'add' || c.type === 'replace');
    set((s) => {
      const nodes = applyNodeChanges(changes, s.nodes);
      if (!structural) return { nodes };
      const alive = new Set(nodes.map((n) => n.id));
      const runtime = Object.fromEntries(Object.entries(s.runtime).filter(([id]) => alive.has(id)));
      return {
        nodes,
        runtime,
        // Steps about deleted nodes go with them (lab.tsx asks first); an emptied canvas has no lesson.
        lesson: nodes.length === 0 ? undefined : lessonFor(s.lesson, alive),
        revision: s.revision + 1,
        inspected: s.inspected && alive.has(s.inspected) ? s.inspected : null,
      };
    });
  },

  onEdgesChange(changes) {
    if (get().readOnly || get().lesson?.controls.lockGraph) changes = changes.filter((c) => c.type !== 'remove' && c.type !== 'add' && c.type !== 'replace');
    const structural = changes.some((c) => c.type === 'remove' || c.type === 'add' || c.type === 'replace');
    set((s) => ({ edges: applyEdgeChanges(changes, s.edges), ...(structural ? { revision: s.revision + 1 } : {}) }));
  },

  connect(connection) {
    if (get().readOnly) return 'This graph is read-only. Fork it to make your own editable copy.';
    if (get().lesson?.controls.lockGraph) return 'The graph is locked for this lesson. Unlock it in the Lesson panel.';
    const { nodes, edges } = get();
    const source = nodes.find((n) => n.id === connection.source);
    const target = nodes.find((n) => n.id === connection.target);
    if (!source?.type || !target?.type || !connection.sourceHandle || !connection.targetHandle) {
      return 'Connect an output port (right side) to an input port (left side).';
    }
    const refusal = connectionRefusal(
      registry,
      { type: source.type, port: connection.sourceHandle },
      { type: target.type, port: connection.targetHandle },
    );
    if (refusal) return refusal;
    // An input takes one edge: a new connection replaces the old one, so ignore it for the cycle check.
    const others = edges.filter((e) => !(e.target === target.id && e.targetHandle === connection.targetHandle));
    if (wouldCreateCycle(others, source.id, target.id)) {
      return `Connecting ${nodeKinds[source.type].title} to ${nodeKinds[target.type].title} would make a cycle: data would flow in a loop.`;
    }
    get().record();
    const edge: LabEdge = {
      id: `e-${source.id}-${connection.sourceHandle}-${target.id}-${connection.targetHandle}`,
      source: source.id,
      sourceHandle: connection.sourceHandle,
      target: target.id,
      targetHandle: connection.targetHandle,
    };
    set((s) => ({ edges: [...others, edge], revision: s.revision + 1 }));
    return null;
  },

  addNode(type, position, params = {}, size) {
    if (get().refuseIfLocked()) return '';
    get().record();
    const id = newNodeId(type);
    const node: LabNode = {
      id,
      type,
      position,
      data: { params: withDefaults(type, params) },
      selected: true,
      ...(size ? { width: size.width, height: size.height } : {}),
    };
    set((s) => ({
      nodes: [...s.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), node],
      revision: s.revision + 1,
      inspected: id,
    }));
    return id;
  },

  updateParams(id, patch, coalesceKey) {
    if (get().refuseIfReadOnly()) return;
    get().record(coalesceKey ?? undefined);
    set((s) => ({
      nodes: s.nodes.map((n) => (n.id === id ? { ...n, data: { ...n.data, params: { ...n.data.params, ...patch } } } : n)),
      revision: s.revision + 1,
    }));
  },

  setTitle(title) {
    if (get().refuseIfReadOnly()) return;
    get().record('title');
    set({ title });
  },

  renameNode(id, title) {
    if (get().refuseIfReadOnly()) return;
    const node = get().nodes.find((n) => n.id === id);
    if (!node?.type) return;
    const trimmed = title.trim().slice(0, GRAPH_LIMITS.nodeTitleLength);
    const own = trimmed && trimmed !== nodeKinds[node.type].title ? trimmed : undefined;
    if (own === node.data.title) return;
    get().record();
    const { title: _old, ...data } = node.data;
    // The revision marks the graph as edited (autosave, unsaved edits); every result is cached.
    set((s) => ({
      nodes: s.nodes.map((n) => (n.id === id ? { ...n, data: own ? { ...data, title: own } : data } : n)),
      revision: s.revision + 1,
    }));
  },

  copySelection() {
    const { nodes, edges } = get();
    const chosen = nodes.filter((n) => n.selected);
    const ids = new Set(chosen.map((n) => n.id));
    const inner = edges.filter((e) => ids.has(e.source) && ids.has(e.target));
    set({ clipboard: { title: '', nodes: chosen, edges: inner, lesson: undefined } });
    return chosen.length;
  },

  paste() {
    if (get().refuseIfLocked()) return 0;
    const { clipboard } = get();
    if (!clipboard || clipboard.nodes.length === 0) return 0;
    get().record();
    const rename = new Map(clipboard.nodes.map((n) => [n.id, newNodeId(n.type ?? 'node')]));
    const pasted: LabNode[] = clipboard.nodes.map((n) => ({
      ...n,
      id: rename.get(n.id)!,
      position: { x: n.position.x + 40, y: n.position.y + 40 },
      selected: true,
    }));
    const pastedEdges: LabEdge[] = clipboard.edges.map((e) => ({
      ...e,
      id: `e-${rename.get(e.source)}-${e.sourceHandle}-${rename.get(e.target)}-${e.targetHandle}`,
      source: rename.get(e.source)!,
      target: rename.get(e.target)!,
      selected: false,
    }));
    set((s) => ({
      nodes: [...s.nodes.map((n) => ({ ...n, selected: false })), ...pasted],
      edges: [...s.edges, ...pastedEdges],
      revision: s.revision + 1,
      // Pasting again offsets again, like most editors.
      clipboard: { ...clipboard, nodes: pasted.map((n) => ({ ...n })), edges: pastedEdges },
    }));
    return pasted.length;
  },

  selectAll() {
    set((s) => ({ nodes: s.nodes.map((n) => ({ ...n, selected: true })) }));
  },

  setPositions(positions) {
    get().record();
    set((s) => ({ nodes: s.nodes.map((n) => (positions[n.id] ? { ...n, position: positions[n.id]! } : n)) }));
  },

  inspect(id) {
    set({ inspected: id });
  },

  showToast(message, tone = 'error') {
    set({ toast: { id: ++toastId, message, tone } });
  },

  dismissToast() {
    set({ toast: null });
  },

  applyRunEvent(event) {
    get().applyRunEvents([event]);
  },

  applyRunEvents(events) {
    set((s) => events.reduce<LabState>((state, event) => ({ ...state, ...reduceRunEvent(state, event) }), s));
  },
}));

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

/** The store change one run event makes. */
function reduceRunEvent(s: LabState, event: RunEvent): Partial<LabState> {
  {
    {
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
          return patch(event.nodeId, { status: 'done', ms: event.ms, view: event.view, key: event.key, where: s.run.where });
        case 'node:cached':
          return patch(event.nodeId, { status: 'cached', ms: event.ms, view: event.view, key: event.key, where: s.run.where });
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
  }
}

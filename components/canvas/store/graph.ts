/**
 * The graph being edited: React Flow's nodes and edges, the title, which node is inspected, the
 * toast, the clipboard, and whether this browser may edit (read-only links, locked lessons).
 * Every edit records an undo step first (history.ts) and bumps `revision` when it changes what
 * the engine computes or what is saved (the title too: a renamed graph has unsaved edits).
 */
import { applyEdgeChanges, applyNodeChanges } from '@xyflow/react';
import { connectionRefusal, wouldCreateCycle } from '@/nodes/engine/validate';
import { nodeKinds, registry } from '@/nodes';
import { GRAPH_LIMITS } from '@/nodes/engine/graph-doc';
import { lessonFor } from '../lesson-steps';
import { fromGraphDoc, newNodeId, toGraphDoc, withDefaults, type LabEdge, type LabNode } from '../graph-convert';
import { historyStep } from './history';
import type { GraphSlice, Slice } from './types';

let toastId = 0;

export const graphSlice: Slice<GraphSlice> = (set, get) => ({
  title: 'Untitled graph',
  nodes: [],
  edges: [],
  revision: 0,
  graphId: null,
  readOnly: false,
  savedRevision: null,
  loadedRevision: 0,
  inspected: null,
  toast: null,
  clipboard: null,

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
        // Steps about deleted nodes go with them (use-graph-lifecycle asks first); an emptied canvas has no lesson.
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
    set((s) => ({
      ...historyStep(s, coalesceKey ?? undefined, Date.now()),
      nodes: s.nodes.map((n) => (n.id === id ? { ...n, data: { ...n.data, params: { ...n.data.params, ...patch } } } : n)),
      revision: s.revision + 1,
    }));
  },

  setTitle(title) {
    if (get().refuseIfReadOnly()) return;
    get().record('title');
    set((s) => ({ title, revision: s.revision + 1 }));
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
});

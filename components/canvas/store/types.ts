/**
 * The canvas state's shape, in four parts: the graph being edited (graph.ts), its undo history
 * (history.ts), the lesson and presenting (lesson.ts), and what the engine streamed back
 * (runtime.ts). Each part's actions may read and change the others through `get` and `set`.
 */
import type { Connection, EdgeChange, NodeChange, XYPosition } from '@xyflow/react';
import type { RunEvent, Where } from '@/nodes/engine/executor';
import type { GraphDoc, Lesson } from '@/nodes/engine/graph-doc';
import type { NodeType } from '@/nodes';
import type { LabEdge, LabNode } from '../graph-convert';

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

/** What undo restores. */
export interface Snapshot {
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

export interface GraphSlice {
  title: string;
  nodes: LabNode[];
  edges: LabEdge[];
  /**
   * Counts edits: what the engine computes (params, nodes, edges, where it runs) and what only
   * the saved graph holds (its title, its lesson). Moving a node does not bump it, so dragging
   * never re-runs the graph.
   */
  revision: number;
  /** The saved graph this canvas shows, or null for an unsaved one. */
  graphId: string | null;
  /** Read-only: opened from someone else's link. Forking makes an editable copy. */
  readOnly: boolean;
  /** The revision last saved to the server; unsaved edits exist when it differs. */
  savedRevision: number | null;
  /** The revision the graph had when it was opened: a template or link not yet edited. */
  loadedRevision: number;
  inspected: string | null;
  toast: Toast | null;
  clipboard: Snapshot | null;

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
  dismissToast(): void;
}

export interface HistorySlice {
  past: Snapshot[];
  future: Snapshot[];
  coalesce: { key: string; at: number } | null;
  /** Remember the graph before an edit; edits with the same key within a second are one step. */
  record(coalesceKey?: string): void;
  undo(): void;
  redo(): void;
}

export interface LessonSlice {
  lesson: Lesson | undefined;
  /** Presenting the lesson: which step, and whether its answer is revealed. */
  presenting: { step: number; revealed: boolean } | null;
  setLesson(update: (lesson: Lesson) => Lesson): void;
  present(step: number | null, revealed?: boolean): void;
}

export interface RuntimeSlice {
  runtime: Record<string, NodeRuntime>;
  run: { running: boolean; ms?: number; where: Where; cancelled?: boolean };
  /** The current run's unconnected required inputs, by node (from its run:start issues). */
  missingInputs: Record<string, string[]>;
  /** The engine's hard stop, registered by useEngine; the node cards' Stop buttons call it. */
  requestStop: (() => void) | null;
  /** Seconds a browser run may take before the watchdog stops it (a setting, kept per browser). */
  runBudgetS: number;
  setRunBudget(seconds: number): void;
  setRunOn(where: Where): void;
  applyRunEvent(event: RunEvent): void;
  /** Several events in one state update (one render). */
  applyRunEvents(events: readonly RunEvent[]): void;
}

export type LabState = GraphSlice & HistorySlice & LessonSlice & RuntimeSlice;

/** A part of the store: its own state and actions, with the whole store to read and write. */
export type Slice<T> = (set: (partial: Partial<LabState> | ((s: LabState) => Partial<LabState>)) => void, get: () => LabState) => T;

/**
 * The canvas state (zustand): the graph being edited, its undo history, the lesson, and the
 * runtime results streamed back by the engine, one part per file; see types.ts for the shape.
 */
import { create } from 'zustand';
import { graphSlice } from './graph';
import { historySlice } from './history';
import { lessonSlice } from './lesson';
import { runtimeSlice } from './runtime';
import type { LabState } from './types';

export type { GraphSlice, HistorySlice, LabState, LessonSlice, NodeRuntime, NodeStatus, RuntimeSlice, Snapshot, Toast } from './types';
export { EMPTY_LESSON } from './lesson';
export { DEFAULT_RUN_BUDGET_S, MAX_RUN_BUDGET_S, MIN_RUN_BUDGET_S, RUN_BUDGET_KEY, markStopped, titleOf } from './runtime';

export const useLab = create<LabState>()((set, get) => ({
  ...graphSlice(set, get),
  ...historySlice(set, get),
  ...lessonSlice(set, get),
  ...runtimeSlice(set, get),
}));

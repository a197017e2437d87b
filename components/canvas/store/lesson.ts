/** The graph's lesson (ordered steps, teacher controls) and presenting it step by step. */
import type { Lesson } from '@/nodes/engine/graph-doc';
import type { LessonSlice, Slice } from './types';

export const EMPTY_LESSON: Lesson = { steps: [], controls: { hidePalette: false, lockGraph: false, visibleParams: {} } };

export const lessonSlice: Slice<LessonSlice> = (set, get) => ({
  lesson: undefined,
  presenting: null,

  setLesson(update) {
    if (get().refuseIfReadOnly()) return;
    get().record('lesson');
    // A lesson edit is an unsaved edit of the graph (the engine skips it: nodes and edges are the same).
    set((s) => ({ lesson: update(s.lesson ?? EMPTY_LESSON), revision: s.revision + 1 }));
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
});

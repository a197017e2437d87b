/**
 * Undo and redo: a snapshot of the graph (title, nodes, edges, lesson) before each edit, at most
 * HISTORY_LIMIT of them. Keystrokes in one field within COALESCE_MS form one undo step.
 */
import type { HistorySlice, Slice, Snapshot } from './types';

const HISTORY_LIMIT = 100;
const COALESCE_MS = 1000;

export const snapshot = (s: Snapshot): Snapshot => ({ title: s.title, nodes: s.nodes, edges: s.edges, lesson: s.lesson });

/**
 * The history's part of an edit, to merge into the edit's own `set`: a new undo step, or (a
 * keystroke in the same field within COALESCE_MS) the same step kept open. An edit that sets
 * both at once notifies the store's listeners once (a keystroke is one update, not two).
 */
export function historyStep(
  s: Snapshot & Pick<HistorySlice, 'past' | 'coalesce'>,
  coalesceKey: string | undefined,
  now: number,
): Partial<Pick<HistorySlice, 'past' | 'future' | 'coalesce'>> {
  const { coalesce } = s;
  if (coalesceKey && coalesce && coalesce.key === coalesceKey && now - coalesce.at < COALESCE_MS) return { coalesce: { key: coalesceKey, at: now } };
  return {
    past: [...s.past.slice(-(HISTORY_LIMIT - 1)), snapshot(s)],
    future: [],
    coalesce: coalesceKey ? { key: coalesceKey, at: now } : null,
  };
}

export const historySlice: Slice<HistorySlice> = (set, get) => ({
  past: [],
  future: [],
  coalesce: null,

  record(coalesceKey) {
    set((s) => historyStep(s, coalesceKey, Date.now()));
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
});

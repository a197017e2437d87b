/**
 * The teacher's side of a live class: going live with the lab's graph and lesson, following the
 * class (student count, answers), and keeping the class on the presenter's step.
 *
 * - goLive(): live.start with the current graph; the control secret stays in this page's memory,
 *   never in a URL or storage (a reload leaves the class; it then ends when idle). Presenting starts at step 1.
 * - While live, every presenter move is sent: a new step (with the graph, when it was edited since
 *   the last send), and the reveal with the true answer read from this browser's running graph
 *   (nodes/live/prediction.ts measureAnswer). A reveal waits until the step's node has run.
 *   Edits on the same step are sent at most every 0.6 s.
 * Not handled here: drawing (teacher-panel.tsx), the server's checks (server/live/).
 */
import { create } from 'zustand';
import { measureAnswer } from '@/nodes/live/prediction';
import { api, describeApiError } from '@/trpc/client';
import { useLab } from '@/components/canvas/store';
import type { LiveState } from '@/server/live/live-state';

export interface TeacherSession {
  classId: string;
  code: string;
  controlSecret: string;
}

interface TeacherLiveState {
  session: TeacherSession | null;
  state: LiveState | null;
  /** Why the class is not where the presenter is (the answer is not ready, the server refused). */
  problem: string | null;
  starting: boolean;
  goLive(): Promise<void>;
  endClass(): Promise<void>;
}

const EDIT_DEBOUNCE_MS = 600;
let stopSync: (() => void) | undefined;

export const useTeacherLive = create<TeacherLiveState>()((set, get) => ({
  session: null,
  state: null,
  problem: null,
  starting: false,

  async goLive() {
    if (get().starting) return;
    set({ starting: true, problem: null });
    try {
      const session = await api.live.start.mutate({ doc: useLab.getState().doc() });
      set({ session, state: null });
      useLab.getState().present(0);
      startSync(session);
    } catch (error) {
      set({ problem: describeApiError(error) });
    } finally {
      set({ starting: false });
    }
  },

  async endClass() {
    const { session } = get();
    if (!session) return;
    try {
      await api.live.end.mutate({ classId: session.classId, controlSecret: session.controlSecret });
    } catch (error) {
      set({ problem: describeApiError(error) });
      return;
    }
    stopSync?.();
    stopSync = undefined;
    set({ session: null, state: null, problem: null });
  },
}));

/** Follow the class and send the presenter's moves; replaces any earlier sync. */
function startSync(session: TeacherSession) {
  stopSync?.();
  const { classId, controlSecret } = session;
  let sentStep = 0;
  let sentRevision = useLab.getState().revision;
  const revealSent = new Set<number>();
  let queue = Promise.resolve();
  let editTimer: ReturnType<typeof setTimeout> | undefined;
  const send = (work: () => Promise<unknown>) => {
    queue = queue.then(work).then(
      () => useTeacherLive.setState({ problem: null }),
      (error: unknown) => useTeacherLive.setState({ problem: describeApiError(error) }),
    );
  };
  const advance = () => {
    const lab = useLab.getState();
    if (!lab.presenting) return;
    const step = lab.presenting.step;
    const doc = lab.revision !== sentRevision ? lab.doc() : undefined;
    sentStep = step;
    sentRevision = lab.revision;
    send(() => api.live.advance.mutate({ classId, controlSecret, step, doc }));
  };
  const sync = () => {
    const lab = useLab.getState();
    if (!lab.presenting) return;
    const { step, revealed } = lab.presenting;
    if (step !== sentStep) {
      clearTimeout(editTimer);
      advance();
    } else if (lab.revision !== sentRevision && !editTimer) {
      editTimer = setTimeout(() => {
        editTimer = undefined;
        advance();
      }, EDIT_DEBOUNCE_MS);
    }
    if (revealed && !revealSent.has(step)) {
      const lessonStep = lab.lesson?.steps[step];
      let answer: string | undefined;
      if (lessonStep?.prediction) {
        const type = lab.nodes.find((n) => n.id === lessonStep.nodeId)?.type;
        const measured = measureAnswer(lessonStep.prediction, type, lab.runtime[lessonStep.nodeId]?.view);
        if (!measured.ok) {
          if (useTeacherLive.getState().problem !== measured.message) useTeacherLive.setState({ problem: measured.message });
          return;
        }
        answer = measured.value;
      }
      revealSent.add(step);
      send(() => api.live.reveal.mutate({ classId, controlSecret, step, answer }));
    }
  };
  const unsubscribe = useLab.subscribe(sync);
  const subscription = api.live.follow.subscribe(
    { classId, controlSecret },
    {
      onData: (event) => useTeacherLive.setState({ state: event.data }),
      onError: (error) => useTeacherLive.setState({ problem: describeApiError(error) }),
    },
  );
  stopSync = () => {
    clearTimeout(editTimer);
    unsubscribe();
    subscription.unsubscribe();
  };
}

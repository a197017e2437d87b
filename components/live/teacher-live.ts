/**
 * The teacher's side of a live class: going live with the lab's graph and lesson, following the
 * class (student count, answers), and keeping the class on the presenter's step.
 *
 * - goLive(): live.start with the current graph; presenting starts at step 1. The control secret
 *   is kept in this browser (teacher-classes.ts), never in a URL: resume() after a reload takes
 *   the class back where it is (its graph, step and reveal), and the answers stay readable
 *   after the class ends (showResults, class-results.tsx).
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
import { currentClass, forgetClass, leaveCurrentClass, rememberClass, taughtClasses, type TaughtClass } from './teacher-classes';

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
  /** The classes this browser taught, newest first (refreshTaught reads them from storage). */
  taught: TaughtClass[];
  /** The class whose answers are shown (after it ended, or picked from past classes). */
  viewing: TaughtClass | null;
  goLive(): Promise<void>;
  endClass(): Promise<void>;
  /** After a reload: take back the class this tab was teaching, if it is still live. */
  resume(): Promise<void>;
  refreshTaught(): void;
  showResults(entry: TaughtClass | null): void;
  forget(code: string): void;
}

const EDIT_DEBOUNCE_MS = 600;
let stopSync: (() => void) | undefined;

export const useTeacherLive = create<TeacherLiveState>()((set, get) => ({
  session: null,
  state: null,
  problem: null,
  starting: false,
  taught: [],
  viewing: null,

  async goLive() {
    if (get().starting) return;
    set({ starting: true, problem: null });
    try {
      const doc = useLab.getState().doc();
      const session = await api.live.start.mutate({ doc });
      rememberClass({ ...session, title: doc.title, startedAt: Date.now() });
      set({ session, state: null, viewing: null, taught: taughtClasses() });
      useLab.getState().present(0);
      startSync(session, 0, false);
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
    leaveCurrentClass();
    const entry = taughtClasses().find((c) => c.classId === session.classId) ?? null;
    set({ session: null, state: null, problem: null, viewing: entry, taught: taughtClasses() });
  },

  async resume() {
    const entry = currentClass();
    if (!entry || get().session) return;
    const { classId, code, controlSecret } = entry;
    let where;
    try {
      where = await api.live.resume.query({ classId, controlSecret });
    } catch (error) {
      set({ problem: describeApiError(error) });
      return;
    }
    if (where.status !== 'live') {
      leaveCurrentClass();
      return;
    }
    const lab = useLab.getState();
    if (JSON.stringify(lab.doc()) !== JSON.stringify(where.doc)) lab.load(where.doc, { graphId: lab.graphId, readOnly: lab.readOnly });
    useLab.getState().present(where.step, where.revealed);
    const session = { classId, code, controlSecret };
    set({ session, state: null, problem: null, viewing: null });
    startSync(session, where.step, where.revealed);
  },

  refreshTaught() {
    set({ taught: taughtClasses() });
  },

  showResults(entry) {
    set({ viewing: entry });
  },

  forget(code) {
    forgetClass(code);
    set((s) => ({ taught: taughtClasses(), viewing: s.viewing?.code === code ? null : s.viewing }));
  },
}));

/** Follow the class (on `step`, revealed or not) and send the presenter's moves; replaces any earlier sync. */
function startSync(session: TeacherSession, step: number, revealed: boolean) {
  stopSync?.();
  const { classId, controlSecret } = session;
  let sentStep = step;
  let sentRevision = useLab.getState().revision;
  const revealSent = new Set<number>(revealed ? [step] : []);
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

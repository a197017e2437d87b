'use client';
/**
 * On the projector while a class is live: the join code, link and QR code, how many students
 * joined, and the current question's answers as a histogram (no names); once the class ends, all
 * its answers (class-results.tsx). Also the Go live button of the lesson panel.
 */
import { Radio } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useLab } from '@/components/canvas/store';
import { ClassResults } from './class-results';
import { AnswerHistogram } from './histogram';
import { JoinQr } from './join-qr';
import { useTeacherLive } from './teacher-live';

export function GoLiveButton() {
  const session = useTeacherLive((s) => s.session);
  const starting = useTeacherLive((s) => s.starting);
  const problem = useTeacherLive((s) => s.problem);
  const goLive = useTeacherLive((s) => s.goLive);
  const steps = useLab((s) => s.lesson?.steps.length ?? 0);
  const present = useLab((s) => s.present);
  return (
    <>
      <button
        type="button"
        className="btn"
        disabled={steps === 0 || starting}
        onClick={() => (session ? present(useTeacherLive.getState().state?.step ?? 0) : void goLive())}
        data-testid="go-live"
        title="Students follow this lesson on their own devices"
      >
        <Radio size={14} /> {session ? `Live · ${session.code}` : starting ? 'Going live…' : 'Go live'}
      </button>
      {problem && !session && (
        <p role="alert" className="basis-full text-xs text-rose-600">
          {problem}
        </p>
      )}
    </>
  );
}

/**
 * In the lab's header while a class is live (presenting ended with Esc, the class did not): its
 * code, a way back to presenting at the class's step, and End class.
 */
export function LiveClassBadge() {
  const session = useTeacherLive((s) => s.session);
  const step = useTeacherLive((s) => s.state?.step ?? 0);
  const revealed = useTeacherLive((s) => s.state?.revealed ?? false);
  const endClass = useTeacherLive((s) => s.endClass);
  const present = useLab((s) => s.present);
  if (!session) return null;
  return (
    <span role="status" className="flex shrink-0 items-center gap-1 rounded-full border border-rose-300 bg-rose-50 py-0.5 pr-1 pl-2 text-xs text-rose-900 dark:border-rose-800 dark:bg-rose-950 dark:text-rose-100" data-testid="live-badge">
      <span className="h-2 w-2 animate-pulse rounded-full bg-rose-600" aria-hidden />
      <span>
        Class live · <span className="font-mono font-semibold tracking-wider" data-testid="live-badge-code">{session.code}</span>
      </span>
      <button type="button" className="rounded-full px-2 py-0.5 font-medium hover:bg-rose-100 dark:hover:bg-rose-900" onClick={() => present(step, revealed)} data-testid="live-badge-present">
        Back to presenting
      </button>
      <button type="button" className="rounded-full px-2 py-0.5 font-medium hover:bg-rose-100 dark:hover:bg-rose-900" onClick={() => void endClass()} data-testid="live-badge-end">
        End class
      </button>
    </span>
  );
}

function useJoinLink(code: string): string {
  const [origin, setOrigin] = useState('');
  useEffect(() => setOrigin(window.location.origin), []);
  return `${origin}/live/${code}`;
}

export function LiveTeacherPanel() {
  const session = useTeacherLive((s) => s.session);
  const state = useTeacherLive((s) => s.state);
  const problem = useTeacherLive((s) => s.problem);
  const endClass = useTeacherLive((s) => s.endClass);
  const viewing = useTeacherLive((s) => s.viewing);
  const link = useJoinLink(session?.code ?? '');
  // At the end of a class, its answers take the live panel's place.
  if (!session) return viewing ? <ClassResults entry={viewing} large /> : null;
  return (
    <section className="grid gap-3 rounded-xl border border-sky-800 bg-slate-900 p-4" data-testid="live-teacher" aria-label="Live class">
      <div className="flex items-start gap-4">
        <JoinQr link={link} />
        <div className="grid flex-1 gap-1">
          <span className="text-sm text-slate-400">Join at {link.replace(/\/live\/.*$/, '/live')} with the code</span>
          <span className="font-mono text-5xl font-bold tracking-[0.2em]" data-testid="live-code">
            {session.code}
          </span>
          <span className="truncate font-mono text-xs text-slate-400" data-testid="live-link">
            {link}
          </span>
          <span className="text-lg" data-testid="live-students">
            {state?.students ?? 0} {state?.students === 1 ? 'student' : 'students'} joined
          </span>
          {state && state.recentNames.length > 0 && <span className="truncate text-xs text-slate-400">Latest: {state.recentNames.join(', ')}</span>}
        </div>
        <button type="button" className="rounded border border-slate-600 px-2 py-0.5 text-xs hover:bg-slate-800" onClick={() => void endClass()} data-testid="live-end">
          End class
        </button>
      </div>
      {state?.current?.prediction && (
        <div className="grid gap-2">
          <p className="text-xl" data-testid="live-prompt">
            {state.current.prediction.prompt}
          </p>
          {state.histogram && <AnswerHistogram histogram={state.histogram} large />}
          {state.answer && (
            <p className="text-lg text-emerald-300" data-testid="live-true-answer">
              The graph says: <strong className="font-mono">{state.answer.label}</strong>
            </p>
          )}
        </div>
      )}
      {problem && (
        <p role="status" className="text-sm text-amber-300" data-testid="live-problem">
          {problem}
        </p>
      )}
      <p className="text-xs text-slate-500">The class ends when you end it, or after {state?.idleMinutes ?? 120} minutes without a step or an answer.</p>
    </section>
  );
}

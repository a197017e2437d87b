'use client';
/**
 * A class's answers, for its teacher: each prediction question with the class's answers as a
 * histogram (counts only, never names) and the true answer the graph gave at the reveal. Shown
 * at the end of a class and from the lesson panel's past classes. The server sends them only to
 * the holder of the class's control secret (live.results), which only this browser has.
 *
 * Not handled here: keeping the secrets (teacher-classes.ts).
 */
import { X } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { api, describeApiError, type ApiClient } from '@/trpc/client';
import { AnswerHistogram } from './histogram';
import type { TaughtClass } from './teacher-classes';
import { useTeacherLive } from './teacher-live';

type Results = Awaited<ReturnType<ApiClient['live']['results']['query']>>;

const when = (iso: string | number) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function ClassResults({ entry, large = false }: { entry: TaughtClass; large?: boolean }) {
  const [results, setResults] = useState<Results | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const close = () => useTeacherLive.getState().showResults(null);
  const section = useRef<HTMLElement>(null);
  // Opened at the foot of the lesson panel: bring it into view.
  useEffect(() => section.current?.scrollIntoView?.({ block: 'nearest' }), [entry.code]);
  useEffect(() => {
    let stale = false;
    setResults(null);
    setProblem(null);
    api.live.results
      .query({ classId: entry.classId, controlSecret: entry.controlSecret })
      .then((r) => !stale && setResults(r))
      .catch((error: unknown) => !stale && setProblem(describeApiError(error)));
    return () => {
      stale = true;
    };
  }, [entry.classId, entry.controlSecret]);

  return (
    <section ref={section} className="grid gap-3 rounded-xl border border-slate-300 p-3 dark:border-slate-700" data-testid="class-results" aria-label="Class answers">
      <div className="flex items-start justify-between gap-2">
        <div className="grid">
          <h3 className={large ? 'text-2xl font-semibold' : 'font-semibold'}>Answers · {entry.title}</h3>
          <span className="text-xs text-slate-500" data-testid="class-results-meta">
            Code {entry.code} · started {when(entry.startedAt)}
            {results && ` · ${results.students} ${results.students === 1 ? 'student' : 'students'} · ${results.status === 'live' ? 'still live' : `ended${results.endedAt ? ` ${when(results.endedAt)}` : ''}${results.endedReason === 'idle' ? ' (idle)' : ''}`}`}
          </span>
        </div>
        <button type="button" className="btn" onClick={close} aria-label="Close the answers" data-testid="class-results-close">
          <X size={14} />
        </button>
      </div>
      {problem && (
        <p role="alert" className="text-sm text-rose-600">
          {problem}
        </p>
      )}
      {!results && !problem && <p className="text-sm text-slate-500">Loading the answers…</p>}
      {results && results.questions.length === 0 && <p className="text-sm text-slate-500">This lesson had no prediction questions.</p>}
      {results?.questions.map((q) => (
        <div key={q.step} className="grid gap-1" data-testid="class-results-question" data-step={q.step + 1}>
          <p className={large ? 'text-lg' : 'text-sm'}>
            <span className="text-slate-500">Step {q.step + 1}: </span>
            {q.prompt}
          </p>
          <AnswerHistogram histogram={q.histogram} large={large} />
          <p className="text-sm" data-testid="class-results-answer">
            {q.revealed ? (
              q.answerLabel === null ? (
                'Revealed without an answer.'
              ) : (
                <>
                  The graph said: <strong className="font-mono">{q.answerLabel}</strong>
                </>
              )
            ) : (
              'Not revealed in class.'
            )}
          </p>
        </div>
      ))}
    </section>
  );
}

/** The lesson panel's list of classes this browser taught, each opening its answers. */
export function PastClasses() {
  const taught = useTeacherLive((s) => s.taught);
  const viewing = useTeacherLive((s) => s.viewing);
  const session = useTeacherLive((s) => s.session);
  const { refreshTaught, showResults, forget } = useTeacherLive.getState();
  useEffect(() => refreshTaught(), [refreshTaught]);
  const past = taught.filter((c) => c.classId !== session?.classId);
  if (past.length === 0 && !viewing) return null;
  return (
    <div className="grid gap-2 border-t border-slate-100 pt-2 dark:border-slate-800" data-testid="past-classes">
      <h3 className="text-xs font-semibold text-slate-500 uppercase">Past classes</h3>
      <ul className="grid gap-1">
        {past.map((c) => (
          <li key={c.code} className="flex items-center gap-2 text-xs" data-testid="past-class" data-code={c.code}>
            <span className="flex-1 truncate">
              {c.title} · <span className="font-mono">{c.code}</span> · {when(c.startedAt)}
            </span>
            <button type="button" className="btn" onClick={() => showResults(c)} data-testid="past-class-open">
              Answers
            </button>
            <button type="button" className="btn" onClick={() => forget(c.code)} aria-label={`Forget the class ${c.code}`}>
              <X size={12} />
            </button>
          </li>
        ))}
      </ul>
      {viewing && <ClassResults entry={viewing} />}
    </div>
  );
}

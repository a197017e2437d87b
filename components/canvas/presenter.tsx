'use client';
/**
 * Lesson mode for the projector: the step's question first, in large type; the next key press
 * reveals the answer (the node's inspector, live). → / Space / PageDown go forward, ← / PageUp
 * back, Esc ends. The canvas follows: it zooms to the step's node and dims the rest.
 */
import { useEffect } from 'react';
import { LiveTeacherPanel } from '@/components/live/teacher-panel';
import { NodeAnswer } from './inspector-panel';
import { useLab } from './store';
import { StoredFormToggle } from '@/components/ui/token-display';
import { nodeTitle } from './node-title';

export function usePresenterKeys() {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const { presenting, lesson, present } = useLab.getState();
      if (!presenting || !lesson) return;
      const last = lesson.steps.length - 1;
      if (e.key === 'ArrowRight' || e.key === ' ' || e.key === 'PageDown' || e.key === 'Enter') {
        e.preventDefault();
        e.stopImmediatePropagation();
        if (!presenting.revealed) present(presenting.step, true);
        else if (presenting.step < last) present(presenting.step + 1);
      } else if (e.key === 'ArrowLeft' || e.key === 'PageUp') {
        e.preventDefault();
        e.stopImmediatePropagation();
        if (presenting.revealed) present(presenting.step, false);
        else if (presenting.step > 0) present(presenting.step - 1, true);
      } else if (e.key === 'Escape') {
        e.stopImmediatePropagation();
        present(null);
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
}

export function PresenterPanel() {
  const presenting = useLab((s) => s.presenting);
  const lesson = useLab((s) => s.lesson);
  const nodes = useLab((s) => s.nodes);
  const present = useLab((s) => s.present);
  if (!presenting || !lesson) return null;
  const step = lesson.steps[presenting.step];
  if (!step) return null;
  const node = nodes.find((n) => n.id === step.nodeId);
  const total = lesson.steps.length;
  return (
    <aside className="grid min-h-0 content-start gap-5 overflow-y-auto bg-slate-950 p-8 text-slate-50" data-testid="presenter" aria-live="polite">
      <div className="flex items-center gap-3 text-sm text-slate-300">
        <span data-testid="presenter-progress">
          Step {presenting.step + 1} of {total}
        </span>
        <div className="flex flex-1 gap-1" aria-hidden>
          {lesson.steps.map((_, i) => (
            <div key={i} className={`h-1.5 flex-1 rounded-full ${i <= presenting.step ? 'bg-sky-400' : 'bg-slate-700'}`} />
          ))}
        </div>
        <span className="text-slate-900">
          <StoredFormToggle />
        </span>
        <button type="button" className="rounded border border-slate-600 px-2 py-0.5 text-xs hover:bg-slate-800" onClick={() => present(null)}>
          Esc · end
        </button>
      </div>
      <LiveTeacherPanel />
      <div className="text-sm tracking-wide text-sky-300 uppercase">{nodeTitle(node) || step.nodeId}</div>
      <h1 className="text-4xl leading-tight font-semibold" data-testid="presenter-question">
        {step.question}
      </h1>
      {!presenting.revealed ? (
        <p className="text-xl text-slate-400" data-testid="presenter-hint">
          Think about it, then press → or Space to reveal the answer.
        </p>
      ) : (
        <div className="grid gap-4" data-testid="presenter-answer">
          {step.note && <p className="text-2xl text-amber-200">{step.note}</p>}
          {step.lookAt && <p className="text-lg text-slate-300">Look at: {step.lookAt}</p>}
          {/* Inspectors are drawn for a side panel; zoom makes them readable from the back of a room. */}
          <div className="rounded-xl bg-white p-5 text-slate-900 dark:bg-slate-900 dark:text-slate-100" style={{ zoom: 1.3 }}>
            <NodeAnswer nodeId={step.nodeId} />
          </div>
        </div>
      )}
      <p className="text-sm text-slate-500">← back · → or Space forward · Esc to end</p>
    </aside>
  );
}

'use client';
/**
 * The lesson editor: ordered steps (a node, the question, the teacher's note, what to look at),
 * teacher controls (hide the palette, lock the graph, show only chosen settings), and Present.
 * It is docked in the left column (in place of the palette), so it never covers the canvas.
 */
import { ArrowDown, ArrowUp, Play, Plus, Trash2, X } from 'lucide-react';
import { nodeKinds } from '@/nodes';
import { ownEntry } from '@/nodes/engine/validate';
import type { LessonStep } from '@/nodes/engine/graph-doc';
import { PredictionEditor } from '@/components/live/prediction-editor';
import { GoLiveButton } from '@/components/live/teacher-panel';
import { PastClasses } from '@/components/live/class-results';
import { EMPTY_LESSON, useLab } from './store';
import { nodeTitle } from './node-title';

export function LessonPanel({ onClose }: { onClose(): void }) {
  const lesson = useLab((s) => s.lesson) ?? EMPTY_LESSON;
  const nodes = useLab((s) => s.nodes);
  const inspected = useLab((s) => s.inspected);
  const readOnly = useLab((s) => s.readOnly);
  const setLesson = useLab((s) => s.setLesson);
  const present = useLab((s) => s.present);
  const inspectedNode = nodes.find((n) => n.id === inspected);
  const computing = nodes.filter((n) => n.type !== 'note');

  const editStep = (i: number, patch: Partial<LessonStep>) =>
    setLesson((l) => ({ ...l, steps: l.steps.map((s, j) => (j === i ? { ...s, ...patch } : s)) }));
  const move = (i: number, by: number) =>
    setLesson((l) => {
      const steps = [...l.steps];
      const [step] = steps.splice(i, 1);
      steps.splice(Math.max(0, Math.min(steps.length, i + by)), 0, step!);
      return { ...l, steps };
    });

  const paramsOfInspected = inspectedNode?.type ? Object.keys(nodeKinds[inspectedNode.type].params.shape ?? {}) : [];
  const visible = inspected ? ownEntry(lesson.controls.visibleParams, inspected) : undefined; // node ids are any string

  return (
    <section
      aria-label="Lesson"
      data-testid="lesson-panel"
      className="panel grid min-h-0 content-start gap-3 overflow-y-auto p-3 text-sm"
    >
      <div className="flex items-center justify-between">
        <h2 className="font-semibold">Lesson · {lesson.steps.length} steps</h2>
        <div className="flex gap-1">
          <button type="button" className="btn" disabled={lesson.steps.length === 0} onClick={() => present(0)} data-testid="present">
            <Play size={14} /> Present
          </button>
          <GoLiveButton />
          <button type="button" className="btn" onClick={onClose} aria-label="Close lesson panel">
            <X size={14} />
          </button>
        </div>
      </div>
      <fieldset disabled={readOnly} className="grid gap-3">
        <ol className="grid gap-2">
          {lesson.steps.map((step, i) => (
            <li key={i} className="grid gap-1 rounded-lg border border-slate-100 p-2 dark:border-slate-800" data-testid="lesson-step">
              <div className="flex items-center gap-1">
                <span className="w-5 text-xs text-slate-500">{i + 1}.</span>
                <select aria-label={`Step ${i + 1} node`} className="field flex-1 text-xs" value={step.nodeId} onChange={(e) => editStep(i, { nodeId: e.target.value })}>
                  {computing.map((n) => (
                    <option key={n.id} value={n.id}>
                      {nodeTitle(n) || n.id} ({n.id})
                    </option>
                  ))}
                </select>
                <button type="button" className="btn" aria-label="Move up" disabled={i === 0} onClick={() => move(i, -1)}>
                  <ArrowUp size={12} />
                </button>
                <button type="button" className="btn" aria-label="Move down" disabled={i === lesson.steps.length - 1} onClick={() => move(i, 1)}>
                  <ArrowDown size={12} />
                </button>
                <button type="button" className="btn" aria-label="Delete step" onClick={() => setLesson((l) => ({ ...l, steps: l.steps.filter((_, j) => j !== i) }))}>
                  <Trash2 size={12} />
                </button>
              </div>
              <input aria-label={`Step ${i + 1} question`} className="field text-xs" placeholder="The question" value={step.question} onChange={(e) => editStep(i, { question: e.target.value })} />
              <textarea aria-label={`Step ${i + 1} note`} className="field h-12 text-xs" placeholder="Teacher’s note (shown with the answer)" value={step.note} onChange={(e) => editStep(i, { note: e.target.value })} />
              <input aria-label={`Step ${i + 1} look at`} className="field text-xs" placeholder="What to look at" value={step.lookAt} onChange={(e) => editStep(i, { lookAt: e.target.value })} />
              <PredictionEditor
                stepNumber={i + 1}
                nodeType={nodes.find((n) => n.id === step.nodeId)?.type}
                prediction={step.prediction}
                onChange={(prediction) => editStep(i, { prediction })}
              />
            </li>
          ))}
        </ol>
        <button
          type="button"
          className="btn justify-self-start"
          disabled={!inspectedNode || inspectedNode.type === 'note'}
          onClick={() =>
            inspectedNode?.type &&
            setLesson((l) => ({ ...l, steps: [...l.steps, { nodeId: inspectedNode.id, question: nodeKinds[inspectedNode.type!].question, note: '', lookAt: '' }] }))
          }
          title="Select a node on the canvas first"
        >
          <Plus size={14} /> Add a step for the selected node
        </button>
        <div className="grid gap-1 border-t border-slate-100 pt-2 dark:border-slate-800">
          <h3 className="text-xs font-semibold text-slate-500 uppercase">Teacher controls</h3>
          <label className="flex items-center gap-2">
            <input type="checkbox" checked={lesson.controls.hidePalette} onChange={(e) => setLesson((l) => ({ ...l, controls: { ...l.controls, hidePalette: e.target.checked } }))} />
            Hide the node palette
          </label>
          <label className="flex items-center gap-2">
            <input type="checkbox" checked={lesson.controls.lockGraph} onChange={(e) => setLesson((l) => ({ ...l, controls: { ...l.controls, lockGraph: e.target.checked } }))} />
            Lock the graph (settings stay editable)
          </label>
          {inspectedNode?.type && paramsOfInspected.length > 0 && (
            <div className="grid gap-1" data-testid="visible-params">
              <span className="text-xs text-slate-500">Settings students see on {nodeTitle(inspectedNode)}:</span>
              <div className="flex flex-wrap gap-2">
                {paramsOfInspected.map((p) => (
                  <label key={p} className="flex items-center gap-1 text-xs">
                    <input
                      type="checkbox"
                      checked={!visible || visible.includes(p)}
                      onChange={(e) =>
                        setLesson((l) => {
                          const current = ownEntry(l.controls.visibleParams, inspectedNode.id) ?? paramsOfInspected;
                          const next = e.target.checked ? [...new Set([...current, p])] : current.filter((x) => x !== p);
                          // Built from entries, so an id like '__proto__' stays an own key.
                          const entries = Object.entries(l.controls.visibleParams).filter(([id]) => id !== inspectedNode.id);
                          if (next.length !== paramsOfInspected.length) entries.push([inspectedNode.id, next]);
                          const visibleParams = Object.fromEntries(entries);
                          return { ...l, controls: { ...l.controls, visibleParams } };
                        })
                      }
                    />
                    {p}
                  </label>
                ))}
              </div>
            </div>
          )}
        </div>
      </fieldset>
      <PastClasses />
    </section>
  );
}

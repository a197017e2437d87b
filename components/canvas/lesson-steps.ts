/**
 * Keeping a lesson true to its graph: steps point at nodes by id, so deleting a node deletes the
 * steps about it (after asking; undo brings both back) and forgets its visible-settings choice.
 */
import type { Lesson } from '@/nodes/engine/graph-doc';

/** The steps of `lesson` that point at one of `ids`. */
export function stepsAbout(lesson: Lesson | undefined, ids: ReadonlySet<string>): number {
  return lesson ? lesson.steps.filter((s) => ids.has(s.nodeId)).length : 0;
}

/** The lesson without what it says about nodes outside `alive`; the same object when nothing changes. */
export function lessonFor(lesson: Lesson | undefined, alive: ReadonlySet<string>): Lesson | undefined {
  if (!lesson) return lesson;
  const steps = lesson.steps.filter((s) => alive.has(s.nodeId));
  const visible = Object.entries(lesson.controls.visibleParams);
  const kept = visible.filter(([id]) => alive.has(id));
  if (steps.length === lesson.steps.length && kept.length === visible.length) return lesson;
  return { ...lesson, steps, controls: { ...lesson.controls, visibleParams: Object.fromEntries(kept) } };
}

/** "Delete 3 nodes and the 2 lesson steps about them?" */
export function deleteQuestion(nodes: number, steps: number): string {
  const n = nodes === 1 ? 'this node' : `${nodes.toLocaleString('en-US')} nodes`;
  const s = steps === 1 ? 'the lesson step' : `the ${steps.toLocaleString('en-US')} lesson steps`;
  return `Delete ${n} and ${s} about ${nodes === 1 ? 'it' : 'them'}?`;
}

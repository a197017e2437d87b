import { describe, expect, it } from 'vitest';
import type { Lesson } from '@/nodes/engine/graph-doc';
import { deleteQuestion, lessonFor, stepsAbout } from '@/components/canvas/lesson-steps';

const step = (nodeId: string) => ({ nodeId, question: `What does ${nodeId} do?`, note: '', lookAt: '' });
const lesson: Lesson = {
  steps: [step('text'), step('bpe'), step('ids'), step('bpe')],
  controls: { hidePalette: true, lockGraph: false, visibleParams: { bpe: ['vocabSize'], ids: ['mode'] } },
};

describe('lesson steps about deleted nodes', () => {
  it('counts the steps about the nodes being deleted', () => {
    expect(stepsAbout(lesson, new Set(['bpe']))).toBe(2);
    expect(stepsAbout(lesson, new Set(['clean']))).toBe(0);
    expect(stepsAbout(undefined, new Set(['bpe']))).toBe(0);
  });

  it('drops the steps and the visible-settings choice of nodes that are gone, keeping the rest in order', () => {
    const kept = lessonFor(lesson, new Set(['text', 'ids']));
    expect(kept?.steps.map((s) => s.nodeId)).toEqual(['text', 'ids']);
    expect(kept?.controls.visibleParams).toEqual({ ids: ['mode'] });
    expect(kept?.controls.hidePalette).toBe(true);
  });

  it('returns the same lesson when every node it names is still there', () => {
    expect(lessonFor(lesson, new Set(['text', 'bpe', 'ids', 'clean']))).toBe(lesson);
  });

  it('keeps an id like __proto__ an ordinary node id', () => {
    const odd: Lesson = { ...lesson, steps: [step('__proto__')], controls: { ...lesson.controls, visibleParams: Object.fromEntries([['__proto__', ['x']]]) } };
    expect(lessonFor(odd, new Set())?.steps).toEqual([]);
    expect(Object.keys(lessonFor(odd, new Set(['__proto__']))!.controls.visibleParams)).toEqual(['__proto__']);
  });

  it('asks in a sentence that counts both', () => {
    expect(deleteQuestion(3, 2)).toBe('Delete 3 nodes and the 2 lesson steps about them?');
    expect(deleteQuestion(1, 1)).toBe('Delete this node and the lesson step about it?');
    expect(deleteQuestion(2, 1)).toBe('Delete 2 nodes and the lesson step about them?');
  });
});

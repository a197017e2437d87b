import { describe, expect, it } from 'vitest';
import { useLab } from '@/components/canvas/store';
import { STARTER_GRAPH } from '@/components/canvas/starter';

const textNode = () => useLab.getState().nodes.find((n) => n.type === 'text')!;

describe('typing into a node', () => {
  it('is one store update per keystroke, and a burst of keystrokes in one field is one undo step', () => {
    useLab.getState().load(STARTER_GRAPH, { keepHistory: false });
    const before = textNode().data.params.text;
    const pastBefore = useLab.getState().past.length;
    let updates = 0;
    const unsubscribe = useLab.subscribe(() => updates++);
    const { id } = textNode();
    for (const text of ['a', 'ab', 'abc']) useLab.getState().updateParams(id, { text }, `${id}:text`);
    unsubscribe();
    // The canvas, the engine and autosave hear of each keystroke once, with the history already in it.
    expect(updates).toBe(3);
    expect(textNode().data.params.text).toBe('abc');
    expect(useLab.getState().past).toHaveLength(pastBefore + 1);
    useLab.getState().undo();
    expect(textNode().data.params.text).toBe(before);
    useLab.getState().redo();
    expect(textNode().data.params.text).toBe('abc');
  });

  it('starts a new undo step for another field, or for an edit with no field', () => {
    useLab.getState().load(STARTER_GRAPH, { keepHistory: false });
    const { id } = textNode();
    const start = useLab.getState().past.length;
    useLab.getState().updateParams(id, { text: 'one' }, `${id}:text`);
    useLab.getState().updateParams(id, { origin: 'typed' }, `${id}:origin`);
    useLab.getState().updateParams(id, { text: 'two' });
    expect(useLab.getState().past).toHaveLength(start + 3);
    expect(useLab.getState().future).toEqual([]);
  });
});

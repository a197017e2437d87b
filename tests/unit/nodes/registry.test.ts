/**
 * What the palette and the canvas show of every node kind: a title, the beginner's question it
 * answers, a one-line summary, a label on every port and on every setting. A kind that lost one
 * would show a blank card, an unnamed handle or a setting with a made-up name.
 */
import { describe, expect, it } from 'vitest';
import { nodeKinds, NODE_TYPES } from '@/nodes';

const shapeOf = (type: (typeof NODE_TYPES)[number]) =>
  (nodeKinds[type].params as unknown as { shape: Record<string, { description?: string }> }).shape;

describe('every node kind in the palette', () => {
  it.each(NODE_TYPES)('%s has a title, a question ending in “?”, and a summary', (type) => {
    const kind = nodeKinds[type];
    expect(kind.type).toBe(type);
    expect(kind.title).toMatch(/^[A-Z]/);
    expect(kind.question).toMatch(/^[A-Z].{5,}\?$/);
    expect(kind.summary.length).toBeGreaterThan(10);
  });

  it.each(NODE_TYPES)('%s labels every port', (type) => {
    const kind = nodeKinds[type];
    for (const [name, port] of [...Object.entries(kind.inputs), ...Object.entries(kind.outputs)]) expect((port as { label: string }).label, name).not.toBe('');
  });

  // Text and Note are edited in their own body on the canvas, not in the Settings form.
  it.each(NODE_TYPES.filter((type) => type !== 'text' && type !== 'note'))('%s names every setting of its Settings form', (type) => {
    for (const [name, field] of Object.entries(shapeOf(type))) expect(field.description?.length ?? 0, name).toBeGreaterThan(0);
  });

  it('gives no two kinds the same title', () => {
    expect(new Set(NODE_TYPES.map((type) => nodeKinds[type].title)).size).toBe(NODE_TYPES.length);
  });
});

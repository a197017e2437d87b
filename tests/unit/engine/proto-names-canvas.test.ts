/**
 * The canvas's own records keyed by node id (layout positions, lesson visibility) take ids
 * named like Object.prototype's members as ordinary ids.
 */
import { describe, expect, it } from 'vitest';
import { fromGraphDoc } from '@/components/canvas/graph-convert';
import { layoutLeftToRight } from '@/components/canvas/layout';
import type { GraphDoc } from '@/nodes/engine/graph-doc';

describe('node ids named like Object.prototype members on the canvas', () => {
  it('lays out nodes called __proto__ and constructor like any other', () => {
    const doc: GraphDoc = {
      schemaVersion: 1,
      title: 'ids',
      nodes: [
        { id: '__proto__', type: 'text', params: { text: 'x' }, position: { x: 0, y: 0 } },
        { id: 'constructor', type: 'clean', params: {}, position: { x: 0, y: 0 } },
      ],
      edges: [{ id: 'e', source: '__proto__', sourcePort: 'text', target: 'constructor', targetPort: 'text' }],
    };
    const { nodes, edges } = fromGraphDoc(doc);
    const positions = layoutLeftToRight(nodes, edges);
    expect(Object.keys(positions).sort()).toEqual(['__proto__', 'constructor']);
    expect(Object.hasOwn(positions, '__proto__')).toBe(true);
    expect(positions['constructor' as string]!.x).toBeGreaterThan(positions['__proto__']!.x);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nodesHidingAnswer } from '@/nodes/live/hidden-answer';
import { TEMPLATES } from '@/nodes/templates';

const compare = TEMPLATES.find((t) => t.id === 'compare')!.doc;

describe('what the projector and the students hide before a reveal', () => {
  it('hides the step node, its siblings and the note, and keeps the text the question is about', () => {
    expect([...nodesHidingAnswer(compare, 'gpt2', false)].sort()).toEqual(['compare', 'gpt2', 'note']);
  });

  it('hides nothing once the step is revealed, or when there is no step', () => {
    expect(nodesHidingAnswer(compare, 'gpt2', true).size).toBe(0);
    expect(nodesHidingAnswer(compare, undefined, false).size).toBe(0);
    expect(nodesHidingAnswer(compare, 'no-such-node', false).size).toBe(0);
  });

  it('keeps a whole upstream chain readable and hides everything downstream', () => {
    const chain = {
      nodes: ['a', 'b', 'c', 'd'].map((id) => ({ id })),
      edges: [
        { source: 'a', target: 'b' },
        { source: 'b', target: 'c' },
        { source: 'c', target: 'd' },
      ],
    };
    expect([...nodesHidingAnswer(chain, 'c', false)].sort()).toEqual(['c', 'd']);
  });

  it('keeps a step on a node with no inputs (the text) readable, and hides what it feeds', () => {
    const hidden = nodesHidingAnswer(compare, 'text', false);
    expect(hidden.has('text')).toBe(false);
    expect(hidden.has('gpt2')).toBe(true);
    expect(hidden.has('compare')).toBe(true);
  });

  it('ends on a cycle in the edges, and always hides a step node that has an input', () => {
    const cyclic = {
      nodes: ['a', 'b', 'c'].map((id) => ({ id })),
      edges: [
        { source: 'a', target: 'b' },
        { source: 'b', target: 'a' },
        { source: 'b', target: 'c' },
        { source: 'c', target: 'b' },
      ],
    };
    expect(nodesHidingAnswer(cyclic, 'b', false).has('b')).toBe(true);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 })), { maxLength: 20 }), fc.integer({ min: 0, max: 5 }), (pairs, step) => {
        const graph = { nodes: [0, 1, 2, 3, 4, 5].map((i) => ({ id: `n${i}` })), edges: pairs.map(([s, t]) => ({ source: `n${s}`, target: `n${t}` })) };
        const hasInput = graph.edges.some((e) => e.target === `n${step}`);
        return nodesHidingAnswer(graph, `n${step}`, false).has(`n${step}`) === hasInput;
      }),
    );
  });
});

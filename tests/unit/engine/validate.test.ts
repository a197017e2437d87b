/**
 * What the graph check tells a user about their graph: which wire the canvas refuses and why,
 * which connection would close a loop, the order nodes run in, which nodes a cycle message names,
 * and the sentence for each problem a saved or pasted graph can have.
 */
import { describe, expect, it } from 'vitest';
import { registry } from '@/nodes';
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import { connectionRefusal, nodesOnCycles, ownEntry, topologicalOrder, validateGraph, wouldCreateCycle } from '@/nodes/engine/validate';

const node = (id: string, type: string, params: unknown = {}, title?: string) =>
  ({ id, type, params, position: { x: 0, y: 0 }, ...(title ? { title } : {}) }) as GraphDoc['nodes'][number];
const edge = (id: string, source: string, sourcePort: string, target: string, targetPort: string) => ({ id, source, sourcePort, target, targetPort });
const doc = (nodes: GraphDoc['nodes'], edges: GraphDoc['edges'] = []): GraphDoc => ({ schemaVersion: 1, title: 't', nodes, edges });
const wires = (...pairs: string[]) => pairs.map((p) => ({ source: p[0]!, target: p[1]! }));

describe('a wire the canvas refuses', () => {
  it('is allowed between ports of one kind, with no sentence', () => {
    expect(connectionRefusal(registry, { type: 'text', port: 'text' }, { type: 'clean', port: 'text' })).toBeNull();
    expect(connectionRefusal(registry, { type: 'bpe', port: 'tokenizer' }, { type: 'ids', port: 'tokenizer' })).toBeNull();
  });

  it('says what the target needs and what the port gives when the kinds differ', () => {
    expect(connectionRefusal(registry, { type: 'text', port: 'text' }, { type: 'bpe', port: 'pretokens' })).toBe(
      'BPE needs pre-tokens here, this port gives text.',
    );
    expect(connectionRefusal(registry, { type: 'pretrained', port: 'tokenizer' }, { type: 'transformer', port: 'ids' })).toBe(
      'Transformer needs token IDs here, this port gives a tokenizer.',
    );
  });

  it('names a port or a type that does not exist, including names every object has', () => {
    expect(connectionRefusal(registry, { type: 'sparkle', port: 'text' }, { type: 'clean', port: 'text' })).toBe("Unknown node type 'sparkle'.");
    expect(connectionRefusal(registry, { type: 'text', port: 'text' }, { type: 'toString', port: 'text' })).toBe("Unknown node type 'toString'.");
    expect(connectionRefusal(registry, { type: 'text', port: 'constructor' }, { type: 'clean', port: 'text' })).toBe("Text has no output 'constructor'.");
    expect(connectionRefusal(registry, { type: 'text', port: 'text' }, { type: 'clean', port: '__proto__' })).toBe("Clean has no input '__proto__'.");
    expect(ownEntry(registry, 'hasOwnProperty')).toBeUndefined();
    expect(ownEntry(registry, 'clean')).toBe(registry.clean);
  });
});

describe('a connection that would close a loop', () => {
  it('is a wire from a node to itself, or back to any node above it', () => {
    expect(wouldCreateCycle([], 'a', 'a')).toBe(true);
    expect(wouldCreateCycle(wires('ab'), 'b', 'a')).toBe(true);
    expect(wouldCreateCycle(wires('ab', 'bc', 'cd'), 'd', 'a')).toBe(true);
    expect(wouldCreateCycle(wires('ab', 'ac', 'bd', 'cd'), 'd', 'a')).toBe(true);
  });

  it('is not a wire across a diamond, forwards, or into a separate graph, even one that already loops', () => {
    expect(wouldCreateCycle(wires('ab', 'ac', 'bd', 'cd'), 'a', 'd')).toBe(false);
    expect(wouldCreateCycle(wires('ab', 'bc'), 'a', 'c')).toBe(false);
    expect(wouldCreateCycle(wires('xy', 'yx', 'ab'), 'b', 'x')).toBe(false);
    expect(wouldCreateCycle(wires('ab', 'cb'), 'b', 'd')).toBe(false);
  });
});

describe('the order nodes run in', () => {
  it('puts every node after the nodes it reads from, and otherwise keeps the order of the document and its wires', () => {
    expect(topologicalOrder(['c', 'a', 'b'], [])).toEqual({ order: ['c', 'a', 'b'], cyclic: [] });
    expect(topologicalOrder(['c', 'a', 'b'], wires('bc'))).toEqual({ order: ['a', 'b', 'c'], cyclic: [] });
    expect(topologicalOrder(['d', 'c', 'b', 'a'], wires('ab', 'ac', 'bd', 'cd'))).toEqual({ order: ['a', 'b', 'c', 'd'], cyclic: [] });
  });

  it('ignores wires to nodes that are not there, and leaves the nodes of a loop and those below it unplaced', () => {
    expect(topologicalOrder(['a', 'b'], [...wires('ab'), { source: 'a', target: 'ghost' }, { source: 'ghost', target: 'b' }])).toEqual({
      order: ['a', 'b'],
      cyclic: [],
    });
    expect(topologicalOrder(['x', 'a', 'b', 'c'], wires('xa', 'ab', 'ba', 'bc'))).toEqual({ order: ['x'], cyclic: ['a', 'b', 'c'] });
  });

  it('names only the loop itself in a cycle message, not the nodes above or below it', () => {
    expect(nodesOnCycles(['x', 'a', 'b', 'c', 'd'], wires('xa', 'ab', 'bc', 'ca', 'cd'))).toEqual(['a', 'b', 'c']);
    expect(nodesOnCycles(['a', 'b', 'c', 'd'], wires('ab', 'ba', 'cd', 'dc'))).toEqual(['a', 'b', 'c', 'd']);
    expect(nodesOnCycles(['a', 'b'], wires('ab'))).toEqual([]);
  });
});

describe('what the check says about a graph', () => {
  it('says nothing about a good pipeline whose optional inputs are left empty', () => {
    const good = doc(
      [node('t', 'text'), node('p', 'pretokenize'), node('b', 'bpe'), node('i', 'ids')],
      [edge('e1', 't', 'text', 'p', 'text'), edge('e2', 'p', 'pretokens', 'b', 'pretokens'), edge('e3', 'b', 'tokens', 'i', 'tokens')],
    );
    expect(validateGraph(good, registry)).toEqual([]);
  });

  it('names a renamed node by its kind and its title, and whole settings that are not a set of values', () => {
    expect(validateGraph(doc([node('t', 'text'), node('c', 'clean', { form: 'NFX' }, 'Odia'), node('c2', 'clean', 'oops')], [edge('e1', 't', 'text', 'c', 'text'), edge('e2', 't', 'text', 'c2', 'text')]), registry)).toEqual([
      { code: 'bad-params', nodeId: 'c', field: 'form', message: 'Clean “Odia”: Unicode form must be one of none, NFC, NFD, NFKC, NFKD.' },
      { code: 'bad-params', nodeId: 'c2', field: '(params)', message: 'Clean: The settings must be a set of named values.' },
    ]);
  });

  it('reports a repeated id once and checks the first node with it only', () => {
    const issues = validateGraph(doc([node('a', 'text'), node('a', 'clean', { form: 'NFX' })]), registry);
    expect(issues).toEqual([{ code: 'duplicate-id', nodeId: 'a', message: "Two nodes share the id 'a'." }]);
  });

  it('reports an unknown type once, and says nothing about wires to or inputs of that node', () => {
    const issues = validateGraph(doc([node('t', 'text'), node('s', 'sparkle')], [edge('e1', 't', 'text', 's', 'text')]), registry);
    expect(issues).toEqual([{ code: 'unknown-type', nodeId: 's', message: "Node 's' has an unknown type 'sparkle'." }]);
  });

  it('names each wrong wire with the ports the node does have', () => {
    const issues = validateGraph(
      doc(
        [node('a', 'text'), node('n', 'note'), node('p', 'pretokenize'), node('b', 'bpe')],
        [
          edge('e1', 'a', 'txt', 'p', 'text'),
          edge('e2', 'n', 'x', 'p', 'text'),
          edge('e3', 'p', 'pretokens', 'a', 'text'),
          edge('e4', 'a', 'text', 'ghost', 'text'),
          edge('e5', 'a', 'text', 'b', 'pretokens'),
          edge('e6', 'a', 'text', 'b', 'pieces'),
          edge('e7', 'a', 'text', 'p', 'text'),
          edge('e8', 'a', 'text', 'p', 'text'),
        ],
      ),
      registry,
    );
    expect(issues).toEqual([
      { code: 'unknown-port', edgeId: 'e1', message: "Edge 'e1' leaves Text 'a' from an output 'txt' it does not have (its outputs: 'text')." },
      { code: 'unknown-port', edgeId: 'e2', message: "Edge 'e2' leaves Note 'n' from an output 'x' it does not have (its outputs: none)." },
      { code: 'unknown-port', edgeId: 'e3', message: "Edge 'e3' goes into Text 'a' at an input 'text' it does not have (its inputs: none)." },
      { code: 'dangling-edge', edgeId: 'e4', message: "Edge 'e4' points at a node that does not exist." },
      { code: 'port-kind-mismatch', edgeId: 'e5', message: "Edge 'e5': BPE needs pre-tokens here, this port gives text." },
      {
        code: 'unknown-port',
        edgeId: 'e6',
        message: "Edge 'e6' goes into BPE 'b' at an input 'pieces' it does not have (its inputs: 'pretokens', 'corpus', 'original').",
      },
      { code: 'duplicate-input', edgeId: 'e8', nodeId: 'p', message: "Input 'text' of 'p' is fed by two edges; an input takes one." },
      { code: 'missing-input', nodeId: 'b', port: 'pretokens', message: "BPE needs pre-tokens on its 'pieces' input: connect one." },
    ]);
  });

  it('counts a refused wire as no wire: the input it aimed at is still missing, and it closes no loop', () => {
    const issues = validateGraph(doc([node('a', 'text'), node('b', 'bpe')], [edge('e1', 'a', 'text', 'b', 'pretokens')]), registry);
    expect(issues.map((i) => i.code)).toEqual(['port-kind-mismatch', 'missing-input']);
    const back = validateGraph(
      doc([node('t', 'text'), node('c1', 'clean'), node('c2', 'clean')], [
        edge('e1', 't', 'text', 'c1', 'text'),
        edge('e2', 'c1', 'text', 'c2', 'text'),
        edge('e3', 'c2', 'text', 'c1', 'text'),
      ]),
      registry,
    );
    expect(back.map((i) => i.code)).toEqual(['duplicate-input']);
  });

  it('names the nodes of a loop, once, after the other problems', () => {
    const issues = validateGraph(
      doc([node('t', 'text'), node('c1', 'clean'), node('c2', 'clean'), node('p', 'pretokenize')], [
        edge('e1', 'c1', 'text', 'c2', 'text'),
        edge('e2', 'c2', 'text', 'c1', 'text'),
        edge('e3', 'c2', 'text', 'p', 'text'),
      ]),
      registry,
    );
    expect(issues).toEqual([{ code: 'cycle', nodeIds: ['c1', 'c2'], message: 'These nodes form a cycle, so none of them can run first: c1, c2.' }]);
  });
});

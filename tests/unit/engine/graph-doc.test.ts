import { describe, expect, it } from 'vitest';
import { loadGraphDoc } from '@/nodes/engine/graph-doc';
import { validateGraph } from '@/nodes/engine/validate';
import { registry } from '@/nodes';
import { STARTER_GRAPH } from '@/components/canvas/starter';

describe('loadGraphDoc', () => {
  it('accepts the starter graph, which validates without issues', () => {
    const loaded = loadGraphDoc(JSON.parse(JSON.stringify(STARTER_GRAPH)));
    expect(loaded.ok).toBe(true);
    if (loaded.ok) expect(validateGraph(loaded.doc, registry)).toEqual([]);
  });

  it('migrates a React Flow export (schema 0) into a GraphDoc with params by name', () => {
    const loaded = loadGraphDoc({
      nodes: [{ id: 'a', type: 'text', data: { params: { text: 'hi' } }, position: { x: 1, y: 2 } }],
      edges: [{ id: 'e', source: 'a', sourceHandle: 'text', target: 'b', targetHandle: 'text' }],
    });
    expect(loaded).toMatchObject({ ok: true, migratedFrom: 0 });
    if (loaded.ok) {
      expect(loaded.doc.nodes[0]?.params).toEqual({ text: 'hi' });
      expect(loaded.doc.edges[0]).toMatchObject({ sourcePort: 'text', targetPort: 'text' });
    }
  });

  it('refuses a document from a newer version, and non-objects, with a message', () => {
    expect(loadGraphDoc({ schemaVersion: 99, nodes: [], edges: [] })).toEqual({
      ok: false,
      message: expect.stringMatching(/newer Tokenloom/),
    });
    expect(loadGraphDoc('nodes')).toMatchObject({ ok: false, message: expect.stringMatching(/not a Tokenloom graph/) });
  });

  it('names the node and field of a malformed document', () => {
    const loaded = loadGraphDoc({
      schemaVersion: 1,
      nodes: [{ id: 'clean-1', type: 'clean', params: {}, position: { x: 'left', y: 0 } }],
      edges: [],
    });
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.message).toMatch(/node 'clean-1' \(clean\): position\.x must be a number\./);
  });
});

describe('validateGraph', () => {
  const base = { schemaVersion: 1 as const, title: 't' };
  const node = (id: string, type: string, params = {}) => ({ id, type, params, position: { x: 0, y: 0 } });

  it('reports unknown types, bad params and two edges into one input', () => {
    const issues = validateGraph(
      {
        ...base,
        nodes: [node('a', 'text'), node('b', 'text'), node('c', 'clean', { form: 'NFX' }), node('d', 'sparkle')],
        edges: [
          { id: 'e1', source: 'a', sourcePort: 'text', target: 'c', targetPort: 'text' },
          { id: 'e2', source: 'b', sourcePort: 'text', target: 'c', targetPort: 'text' },
        ],
      },
      registry,
    );
    expect(issues.map((i) => i.code).sort()).toEqual(['bad-params', 'duplicate-input', 'unknown-type']);
    expect(issues.find((i) => i.code === 'bad-params')?.message).toMatch(/Clean: Unicode form must be one of /);
  });
});

describe('the sentence for a graph that cannot be opened', () => {
  const message = (raw: unknown) => {
    const loaded = loadGraphDoc(raw);
    if (loaded.ok) throw new Error('the graph was opened');
    return loaded.message;
  };

  it('refuses a schemaVersion that is not a whole number, and does not read "1" as an old export', () => {
    expect(message({ schemaVersion: -1, nodes: [], edges: [] })).toBe('This graph has an invalid schemaVersion (-1): it must be a whole number.');
    expect(message({ schemaVersion: 1.5, nodes: [], edges: [] })).toBe('This graph has an invalid schemaVersion (1.5): it must be a whole number.');
    expect(message({ schemaVersion: '1', nodes: [{ id: 'a', type: 'text', params: { text: 'mine' }, position: { x: 0, y: 0 } }], edges: [] })).toBe(
      'This graph has an invalid schemaVersion ("1"): it must be a whole number.',
    );
    expect(message({ schemaVersion: 2, nodes: [], edges: [] })).toBe('This graph was made by a newer Tokenloom (schema 2; this one reads up to 1).');
  });

  it('says what stands where a list or an entry was expected, in words', () => {
    expect(message({ schemaVersion: 1, nodes: { a: 1 }, edges: 'x' })).toBe(
      "This graph cannot be read. The graph's nodes must be a list, but it is an object. The graph's edges must be a list, but it is a string.",
    );
    expect(message({ schemaVersion: 1, nodes: [], edges: [[1]] })).toBe(
      'This graph cannot be read. Edge 0 is not an object: it is a list, where an edge with an id was expected.',
    );
    expect(message({ schemaVersion: 1, nodes: [undefined], edges: [] })).toBe(
      'This graph cannot be read. Node 0 is not an object: it is missing, where a node with an id was expected.',
    );
  });

  it('names five malformed entries and counts the rest', () => {
    expect(message({ schemaVersion: 1, nodes: [1, 2, true, [], 'x', null, 3], edges: [] })).toBe(
      'This graph cannot be read. Node 0 is not an object: it is the number 1, where a node with an id was expected. ' +
        'Node 1 is not an object: it is the number 2, where a node with an id was expected. ' +
        'Node 2 is not an object: it is the value true, where a node with an id was expected. ' +
        'Node 3 is not an object: it is a list, where a node with an id was expected. ' +
        'Node 4 is not an object: it is a string, where a node with an id was expected. …and 2 more malformed entries.',
    );
    expect(message({ schemaVersion: 1, nodes: [1, 2, 3, 4, 5], edges: [] })).not.toContain('more malformed');
  });

  it('gives the size of a graph too big to open, and the limit', () => {
    const nodes = Array.from({ length: 3001 }, (_, i) => ({ id: `n${i}`, type: 'text', position: { x: 0, y: 0 } }));
    expect(message({ schemaVersion: 1, nodes, edges: [] })).toBe('This graph has 3,001 nodes; Tokenloom opens graphs of up to 300.');
  });

  it('names the entry by its id, else by its place, and the field as written in the document', () => {
    expect(message({ schemaVersion: 1, nodes: [], edges: [{ source: 'a', sourcePort: 'text', target: 'b', targetPort: 'text' }] })).toBe(
      'The graph is malformed: edge #1: id is missing.',
    );
    expect(message({ schemaVersion: 1, nodes: [{ id: 'a', position: { x: 0, y: 0 } }], edges: [] })).toBe('The graph is malformed: node \'a\': type is missing.');
    expect(message({ schemaVersion: 1, title: 'x'.repeat(201), nodes: [], edges: [] })).toBe('The graph is malformed: title must be at most 200 characters long.');
    expect(message({ schemaVersion: 1, nodes: [], edges: [], runOn: 'gpu' })).toBe('The graph is malformed: runOn must be one of browser, server.');
    expect(message({ schemaVersion: 1 })).toBe('The graph is malformed: nodes is missing.');
  });

  it('opens a current graph as it is, with a default title, and says when it migrated an export', () => {
    expect(loadGraphDoc({ schemaVersion: 1, nodes: [], edges: [] })).toEqual({ ok: true, doc: { schemaVersion: 1, title: 'Untitled graph', nodes: [], edges: [] } });
    const imported = loadGraphDoc({ title: 'Mine', nodes: [{ id: 'a', type: 'text', position: { x: 1, y: 2 } }] });
    expect(imported).toMatchObject({ ok: true, migratedFrom: 0, doc: { title: 'Mine', nodes: [{ id: 'a', params: {} }], edges: [] } });
    expect(loadGraphDoc({ nodes: [] })).toMatchObject({ ok: true, doc: { title: 'Imported graph' } });
  });
});

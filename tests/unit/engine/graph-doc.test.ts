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

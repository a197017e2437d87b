/**
 * The graph document and the check at their edges: the limits and defaults a saved lesson relies
 * on, the sentences for graphs too big or with a wrong field deep inside, the name of each kind of
 * port in a refusal, and how a setting's label and a schema's own message are read.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { registry } from '@/nodes';
import { loadGraphDoc } from '@/nodes/engine/graph-doc';
import { asSentence, issueSentence, labelFromName, paramLabel } from '@/nodes/engine/issue-sentence';
import { connectionRefusal } from '@/nodes/engine/validate';

const at = (id: string, type = 'text', extra: Record<string, unknown> = {}) => ({ id, type, position: { x: 0, y: 0 }, ...extra });
const message = (raw: unknown) => {
  const loaded = loadGraphDoc(raw);
  if (loaded.ok) throw new Error('the graph was opened');
  return loaded.message;
};

describe('a saved graph and its lesson', () => {
  it('keeps a renamed node’s title up to 60 characters and names the node whose title is longer', () => {
    const loaded = loadGraphDoc({ schemaVersion: 1, nodes: [at('a', 'text', { title: 'Corpus' }), at('b', 'text', { title: 'x'.repeat(60) })], edges: [] });
    expect(loaded.ok && loaded.doc.nodes.map((n) => n.title)).toEqual(['Corpus', 'x'.repeat(60)]);
    expect(message({ schemaVersion: 1, nodes: [at('a', 'text', { title: 'x'.repeat(61) })], edges: [] })).toBe(
      "The graph is malformed: node 'a' (text): title must be at most 60 characters long.",
    );
  });

  it('gives a lesson step an empty note and focus, and the teacher controls off, when the file leaves them out', () => {
    const loaded = loadGraphDoc({ schemaVersion: 1, nodes: [at('a')], edges: [], lesson: { steps: [{ nodeId: 'a', question: 'Why?' }] } });
    expect(loaded.ok && loaded.doc.lesson).toEqual({
      steps: [{ nodeId: 'a', question: 'Why?', note: '', lookAt: '' }],
      controls: { hidePalette: false, lockGraph: false, visibleParams: {} },
    });
    const some = loadGraphDoc({ schemaVersion: 1, nodes: [at('a')], edges: [], lesson: { steps: [], controls: { visibleParams: { a: ['text'] } } } });
    expect(some.ok && some.doc.lesson?.controls).toEqual({ hidePalette: false, lockGraph: false, visibleParams: { a: ['text'] } });
  });

  it('shows up to 50 settings per node in a lesson, and says so past that', () => {
    const names = Array.from({ length: 50 }, (_, i) => `p${i}`);
    expect(loadGraphDoc({ schemaVersion: 1, nodes: [], edges: [], lesson: { steps: [], controls: { visibleParams: { a: names } } } }).ok).toBe(true);
    expect(message({ schemaVersion: 1, nodes: [], edges: [], lesson: { steps: [], controls: { visibleParams: { a: [...names, 'one more'] } } } })).toBe(
      'The graph is malformed: lesson.controls.visibleParams.a must have at most 50 items.',
    );
  });

  it('opens an export with no nodes as an empty graph', () => {
    expect(loadGraphDoc({ edges: [] })).toMatchObject({ ok: true, migratedFrom: 0, doc: { nodes: [], edges: [] } });
  });

  it('names a field deep in the lesson by its path, and never calls an edge by its drawing type', () => {
    expect(message({ schemaVersion: 1, nodes: [], edges: [], lesson: { steps: [{ nodeId: '', question: 'q' }] } })).toBe(
      'The graph is malformed: lesson.steps.0.nodeId must not be empty.',
    );
    expect(message({ schemaVersion: 1, nodes: [], edges: [{ id: 'e', type: 'smoothstep', source: 'a', sourcePort: 'text', target: 'b' }] })).toBe(
      "The graph is malformed: edge 'e': targetPort is missing.",
    );
  });

  it('gives the number of edges of a graph with too many, and the limit', () => {
    const edges = Array.from({ length: 1001 }, (_, i) => ({ id: `e${i}`, source: 'a', sourcePort: 'text', target: 'b', targetPort: 'text' }));
    expect(message({ schemaVersion: 1, nodes: [], edges })).toBe('This graph has 1,001 edges; Tokenloom opens graphs of up to 1,000.');
  });

  it('says what stands where a node was expected even when it is not JSON, and what schemaVersion was given', () => {
    expect(message({ schemaVersion: 1, nodes: [10n], edges: [] })).toBe(
      'This graph cannot be read. Node 0 is not an object: it is a bigint, where a node with an id was expected.',
    );
    expect(message({ schemaVersion: Infinity, nodes: [], edges: [] })).toBe('This graph has an invalid schemaVersion (Infinity): it must be a whole number.');
    expect(message({ schemaVersion: 'v'.repeat(100_000), nodes: [], edges: [] })).toBe(
      `This graph has an invalid schemaVersion ("${'v'.repeat(20)}…"): it must be a whole number.`,
    );
  });
});

describe('a refusal names the kind of value each port carries', () => {
  it.each([
    [{ type: 'text', port: 'text' }, { type: 'ids', port: 'tokens' }, 'IDs needs tokens here, this port gives text.'],
    [{ type: 'transformer', port: 'predictions' }, { type: 'decode', port: 'ids' }, 'Decode needs token IDs here, this port gives predictions.'],
    [{ type: 'finetune', port: 'model' }, { type: 'transformer', port: 'ids' }, 'Transformer needs token IDs here, this port gives a model.'],
  ])('%o into %o', (from, to, sentence) => {
    expect(connectionRefusal(registry, from, to)).toBe(sentence);
  });
});

describe('reading a setting’s label and a schema’s message', () => {
  const first = (schema: z.ZodType, value: unknown, label: string) => {
    const parsed = schema.safeParse(value);
    if (parsed.success) throw new Error('accepted');
    return issueSentence(label, parsed.error.issues[0]!);
  };

  it('keeps a schema’s own message that only mentions a built-in word, and states bounds of a set in items, one item in the singular', () => {
    expect(first(z.string().min(3, 'Pick a name: Invalid ones are refused'), 'a', 'Name')).toBe('Pick a name: Invalid ones are refused.');
    expect(first(z.set(z.string()).min(2), new Set(['a']), 'Specials')).toBe('Specials must have at least 2 items.');
    expect(first(z.set(z.string()).max(1), new Set(['a', 'b']), 'Specials')).toBe('Specials must have at most 1 item.');
  });

  it('says a setting is missing when it is absent, and names the kind it takes when it is of the wrong kind', () => {
    const schema = z.object({ seed: z.number() });
    expect(first(schema, {}, 'Seed')).toBe('Seed is missing.');
    expect(first(schema, { seed: null }, 'Seed')).toBe('Seed must be a number.');
  });

  it('adds the final period after a text with a period inside it', () => {
    expect(asSentence('Step 1. Connect a text')).toBe('Step 1. Connect a text.');
  });

  it('reads a name that starts with a capital without a leading space', () => {
    expect(labelFromName('TopK')).toBe('Top k');
  });

  it('drops only an explanation at the end of a description, with or without a space before it', () => {
    const schema = z.object({
      seed: z.number().describe('Seed(any whole number)'),
      size: z.number().describe('Size (in bytes) of the window'),
      window: z.number().describe('Window (tokens) '),
      lr: z.number().describe('Lr (learning rate)'),
    });
    expect(paramLabel(schema, 'seed')).toBe('Seed');
    expect(paramLabel(schema, 'size')).toBe('Size (in bytes) of the window');
    expect(paramLabel(schema, 'window')).toBe('Window');
    expect(paramLabel(schema, 'lr')).toBe('The setting Lr (learning rate)');
  });
});

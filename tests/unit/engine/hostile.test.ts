/**
 * Hostile documents, texts and params against the engine: loadGraphDoc, validateGraph and the
 * executor. Every case ends in a result or a clear refusal, in a sentence about the user's
 * graph: no uncaught throw, no stack frames, no zod dumps, and no frozen engine.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRecipeCache } from '@/nodes/engine/cache';
import { execute, type RunReport } from '@/nodes/engine/executor';
import { loadGraphDoc, type GraphDoc } from '@/nodes/engine/graph-doc';
import { validateGraph } from '@/nodes/engine/validate';
import { registry } from '@/nodes';
import { nodeResources } from './fixtures';
import { expectUserFacing, garbledDoc, nestedArrays, PROTO_NAMES } from './hostile-fixtures';

const at = { x: 0, y: 0 };

function doc(nodes: GraphDoc['nodes'], edges: GraphDoc['edges'] = []): GraphDoc {
  return { schemaVersion: 1, title: 'hostile', nodes, edges };
}

function cleanDoc(text: string, cleanParams: Record<string, unknown>): GraphDoc {
  return doc(
    [
      { id: 'text', type: 'text', params: { text }, position: at },
      { id: 'clean', type: 'clean', params: cleanParams, position: at },
    ],
    [{ id: 'e1', source: 'text', sourcePort: 'text', target: 'clean', targetPort: 'text' }],
  );
}

function run(graph: GraphDoc): Promise<RunReport> {
  return execute(graph, { registry, cache: createRecipeCache(), where: 'server', resources: nodeResources });
}

function messagesOf(report: RunReport): string[] {
  const fromNodes = [...report.outcomes.values()].flatMap((o) => (o.status === 'error' ? [o.message] : []));
  return [...report.issues.map((i) => i.message), ...fromNodes];
}

describe('hostile graphs against the engine', () => {
  it.each(PROTO_NAMES)('refuses a node typed %s with a sentence naming node 0', async (type) => {
    const graph = doc([{ id: 'node-0', type, params: {}, position: at }]);
    const issues = validateGraph(graph, registry);
    expect(issues).toEqual([{ code: 'unknown-type', nodeId: 'node-0', message: `Node 'node-0' has an unknown type '${type}'.` }]);
    const report = await run(graph);
    expect(report.outcomes.get('node-0')).toMatchObject({ status: 'error', message: expect.stringMatching(/unknown type/) });
  });

  it.each(['__proto__', 'constructor', 'toString', 'nope'])('refuses an edge to port %s with a sentence naming the edge', async (port) => {
    const graph = doc(
      [
        { id: 'text', type: 'text', params: { text: 'hi' }, position: at },
        { id: 'clean', type: 'clean', params: {}, position: at },
      ],
      [
        { id: 'into', source: 'text', sourcePort: 'text', target: 'clean', targetPort: port },
        { id: 'from', source: 'text', sourcePort: port, target: 'clean', targetPort: 'text' },
      ],
    );
    const issues = validateGraph(graph, registry).filter((i) => i.code === 'unknown-port');
    expect(issues.map((i) => i.message)).toEqual([
      `Edge 'into' goes into Clean 'clean' at an input '${port}' it does not have (its inputs: 'text').`,
      `Edge 'from' leaves Text 'text' from an output '${port}' it does not have (its outputs: 'text').`,
    ]);
    const report = await run(graph);
    expect(report.outcomes.get('text')?.status).toBe('done');
  });

  it('refuses {schemaVersion: 0, nodes: [1, null, "x"]} with a sentence for each entry, naming its index', () => {
    const loaded = loadGraphDoc({ schemaVersion: 0, nodes: [1, null, 'x'] });
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.message).toContain('Node 0 is not an object: it is the number 1');
    expect(loaded.message).toContain('Node 1 is not an object: it is null');
    expect(loaded.message).toContain('Node 2 is not an object: it is a string');
    expect(loadGraphDoc({ schemaVersion: 1, nodes: [], edges: [{ id: 'e' }, 7] })).toMatchObject({ ok: false, message: expect.stringContaining('Edge 1 is not an object') });
    expectUserFacing(loaded.message);
  });

  it('runs a graph whose param is nested 4,500 arrays deep, ignoring the unknown param', async () => {
    const loaded = loadGraphDoc({ schemaVersion: 1, nodes: [{ id: 't', type: 'text', params: { text: 'hi', deep: nestedArrays(4500) }, position: at }], edges: [] });
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(validateGraph(loaded.doc, registry)).toEqual([]);
    expect((await run(loaded.doc)).outcomes.get('t')?.status).toBe('done');
  });

  it('answers Clean with (a+)+$ on "a"×40 + "b" at once', async () => {
    const report = await run(cleanDoc(`${'a'.repeat(40)}b`, { replacePattern: '(a+)+$', replaceWith: 'X' }));
    expect(report.outcomes.get('clean')?.status).toBe('done');
  });

  it('refuses Clean replacing "." by "$&"×250 on 1,000,000 characters, without allocating the result', async () => {
    const report = await run(cleanDoc('x'.repeat(1_000_000), { replacePattern: '.', replaceWith: '$&'.repeat(250) }));
    const clean = report.outcomes.get('clean');
    expect(clean).toMatchObject({ status: 'error', message: expect.stringMatching(/would make a text of 250\.0 million characters/) });
  });

  it('refuses a Clean lookbehind when the param is set, naming the construct', async () => {
    const graph = cleanDoc('ab', { replacePattern: '(?<=a)b' });
    const [issue] = validateGraph(graph, registry);
    expect(issue).toMatchObject({ code: 'bad-params', nodeId: 'clean', field: 'replacePattern' });
    expect(issue?.message).toMatch(/^Clean: Lookbehind \(\?<=…\) is not supported: patterns run on a linear-time engine/);
    expect(issue?.message).not.toMatch(/\.\.$/);
    expect((await run(graph)).outcomes.get('clean')).toMatchObject({ status: 'error' });
  });

  it('refuses a 30 MB text param with a sentence naming the node and field', async () => {
    const graph = doc([{ id: 'text', type: 'text', params: { text: 'a'.repeat(30_000_000) }, position: at }]);
    const [issue] = validateGraph(graph, registry);
    expect(issue).toMatchObject({ code: 'bad-params', nodeId: 'text', field: 'text', message: expect.stringMatching(/^Text: A Text node holds at most [\d,]+ characters\. For a bigger corpus, train the tokenizer on a file instead/) });
    expect((await run(graph)).outcomes.get('text')).toMatchObject({ status: 'error' });
  });

  it('keeps texts with U+0000 and lone surrogates intact through Text and Clean', async () => {
    const text = 'a\u0000b\uD800c\uDFFF';
    const report = await run(cleanDoc(text, { replaceInvalid: false, stripControl: false, replacePattern: 'b', replaceWith: '[$&]' }));
    expect(report.outcomes.get('clean')).toMatchObject({ status: 'done', outputs: { text: 'a\u0000[b]\uD800c\uDFFF' } });
  });

  it('ends every garbled document in a result or a sentence, never a throw', async () => {
    await fc.assert(
      fc.asyncProperty(garbledDoc, async (raw) => {
        const loaded = loadGraphDoc(raw);
        if (!loaded.ok) {
          expectUserFacing(loaded.message);
          return;
        }
        const issues = validateGraph(loaded.doc, registry);
        for (const issue of issues) expectUserFacing(issue.message);
        const report = await run(loaded.doc);
        for (const message of messagesOf(report)) expectUserFacing(message);
      }),
      { numRuns: 150 },
    );
  }, 120_000);
});

import { describe, expect, it } from 'vitest';
import { createRecipeCache } from '@/nodes/engine/cache';
import { execute, type RunEvent } from '@/nodes/engine/executor';
import { createRunHost, type HostMessage } from '@/nodes/engine/worker-host';
import { graph, nodeResources, testRegistry, textChain } from './fixtures';

const pipeline = textChain;

async function runRecording(doc: ReturnType<typeof graph>, cache = createRecipeCache(), signal?: AbortSignal) {
  const events: RunEvent[] = [];
  const report = await execute(doc, { registry: testRegistry, cache, where: 'server', resources: nodeResources, signal, onEvent: (e) => events.push(e) });
  const ran = events.filter((e) => e.type === 'node:done').map((e) => (e as { nodeId: string }).nodeId);
  const cached = events.filter((e) => e.type === 'node:cached').map((e) => (e as { nodeId: string }).nodeId);
  return { report, events, ran, cached };
}

describe('execute', () => {
  it('runs every node in topological order and produces the pieces', async () => {
    const { report, ran } = await runRecording(pipeline());
    expect(ran).toEqual(['t', 'c', 'p']);
    const p = report.outcomes.get('p');
    expect(p?.status).toBe('done');
    const pieces = (p as unknown as { outputs: { pretokens: { pieces: { shown: string }[] } } }).outputs.pretokens.pieces;
    expect(pieces.map((x) => x.shown)).toEqual(['I', 'Ġlove', 'ĠNLP']);
  });

  it('takes every node from the cache when nothing changed', async () => {
    const cache = createRecipeCache();
    await runRecording(pipeline(), cache);
    const second = await runRecording(pipeline(), cache);
    expect(second.ran).toEqual([]);
    expect(second.cached).toEqual(['t', 'c', 'p']);
  });

  it('re-runs only the nodes downstream of an edited param', async () => {
    const cache = createRecipeCache();
    await runRecording(pipeline(), cache);
    const edited = await runRecording(pipeline('I love NLP', 'gpt2'), cache);
    expect(edited.cached).toEqual(['t', 'c']);
    expect(edited.ran).toEqual(['p']);
  });

  it('re-runs everything downstream of an edited text', async () => {
    const cache = createRecipeCache();
    await runRecording(pipeline(), cache);
    const edited = await runRecording(pipeline('I love NLP!'), cache);
    expect(edited.ran).toEqual(['t', 'c', 'p']);
  });

  it('reuses results across graphs when the recipe is the same, whatever the node ids', async () => {
    const cache = createRecipeCache();
    await runRecording(pipeline(), cache);
    const renamed = graph(
      [
        ['a', 'text', { text: 'I love NLP' }],
        ['b', 'clean', {}],
      ],
      [['a', 'b']],
    );
    const second = await runRecording(renamed, cache);
    expect(second.cached).toEqual(['a', 'b']);
  });

  it('reports an error on the failing node, blocks its descendants, and still runs its siblings', async () => {
    const doc = graph(
      [
        ['t', 'text', { text: 'abc' }],
        ['bad', 'clean', { replacePattern: '(' }],
        ['after', 'pretokenize', {}],
        ['sibling', 'pretokenize', { mode: 'whitespace' }],
      ],
      [
        ['t', 'bad'],
        ['bad', 'after'],
        ['t', 'sibling'],
      ],
    );
    const { report } = await runRecording(doc);
    const bad = report.outcomes.get('bad');
    expect(bad).toMatchObject({ status: 'error' });
    expect((bad as { message: string }).message).toMatch(/not a valid regular expression/);
    expect(report.outcomes.get('after')).toEqual({ status: 'blocked', by: 'bad' });
    expect(report.outcomes.get('sibling')?.status).toBe('done');
  });

  it('refuses a cycle, naming its nodes, and runs the rest of the graph', async () => {
    const doc = graph(
      [
        ['t', 'text', {}],
        ['c1', 'clean', {}],
        ['c2', 'clean', {}],
        ['after', 'pretokenize', {}],
        ['ok', 'pretokenize', {}],
      ],
      [
        ['c1', 'c2'],
        ['c2', 'c1'],
        ['c2', 'after'],
        ['t', 'ok'],
      ],
    );
    const { report } = await runRecording(doc);
    expect(report.issues.find((i) => i.code === 'cycle')).toMatchObject({ nodeIds: ['c1', 'c2'] });
    expect(report.outcomes.get('c1')?.status).toBe('error');
    expect(report.outcomes.get('after')?.status).toBe('blocked');
    expect(report.outcomes.get('ok')?.status).toBe('done');
  });

  it('reports a missing input and a port-kind mismatch as errors on the node', async () => {
    const doc = graph(
      [
        ['t', 'text', {}],
        ['p', 'pretokenize', {}],
        ['c', 'clean', {}],
      ],
      [['p', 'c', 'pretokens', 'text']],
    );
    const { report } = await runRecording(doc);
    expect(report.issues.map((i) => i.code).sort()).toEqual(['missing-input', 'missing-input', 'port-kind-mismatch']);
    expect((report.outcomes.get('c') as { message: string }).message).toMatch(/Clean needs text/);
  });

  it('stops a long node when the run is cancelled, and caches nothing from it', async () => {
    const cache = createRecipeCache();
    const controller = new AbortController();
    const doc = graph(
      [
        ['t', 'text', {}],
        ['s', 'slow', { steps: 10_000 }],
      ],
      [['t', 's']],
    );
    // Cancel once the slow node is demonstrably inside its loop (its first progress event), not
    // after a wall-clock delay that a busy machine may not honour.
    const events: RunEvent[] = [];
    const report = await execute(doc, {
      registry: testRegistry,
      cache,
      where: 'server',
      resources: nodeResources,
      signal: controller.signal,
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'node:progress' && e.nodeId === 's') controller.abort();
      },
    });
    expect(report.cancelled).toBe(true);
    expect(events.filter((e) => e.type === 'node:progress')).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ type: 'run:done', cancelled: true });
    expect(report.outcomes.has('s')).toBe(false);
    const again = await runRecording(graph([['t', 'text', {}]], []), cache);
    expect(again.cached).toEqual(['t']);
    expect(cache.size).toBe(1);
  });

  it('cancels the stale run when the host receives a new one', async () => {
    const messages: HostMessage[] = [];
    let slowStarted: () => void = () => undefined;
    const slowIsRunning = new Promise<void>((resolve) => (slowStarted = resolve));
    const host = createRunHost({
      registry: testRegistry,
      where: 'browser',
      resources: nodeResources,
      post: (m) => {
        messages.push(m);
        if (m.type === 'events' && m.runId === 1 && m.events.some((e) => e.type === 'node:start' && e.nodeId === 's')) slowStarted();
      },
    });
    // Warm the cache: the second run is then all hits and never yields (the executor yields
    // after 12 ms of computing, which a busy machine can reach between two fast nodes).
    await host.handle({ type: 'run', runId: 0, doc: pipeline() });
    const slow = graph(
      [
        ['t', 'text', {}],
        ['s', 'slow', { steps: 10_000 }],
      ],
      [['t', 's']],
    );
    const first = host.handle({ type: 'run', runId: 1, doc: slow });
    await slowIsRunning;
    await host.handle({ type: 'run', runId: 2, doc: pipeline() });
    await first;
    const events = (runId: number) => messages.flatMap((m) => (m.type === 'events' && m.runId === runId ? m.events : []));
    const done = (runId: number) => events(runId).find((e) => e.type === 'run:done') as { cancelled: boolean } | undefined;
    expect(done(1)?.cancelled).toBe(true);
    expect(done(2)?.cancelled).toBe(false);
    expect(events(1).some((e) => e.type === 'node:done' && e.nodeId === 's')).toBe(false);
    // Events emitted within one task travel together: the whole second run fits in one message.
    expect(messages.filter((m) => m.type === 'events' && m.runId === 2)).toHaveLength(1);
    expect(events(2).filter((e) => e.type === 'node:cached')).toHaveLength(3);
  });

  it("posts the inspected node's result the moment it is done, and the nodes after it in a batch of their own", async () => {
    const messages: HostMessage[] = [];
    const host = createRunHost({ registry: testRegistry, where: 'browser', resources: nodeResources, post: (m) => messages.push(m) });
    const batches = (runId: number) =>
      messages.flatMap((m) => (m.type === 'events' && m.runId === runId ? [m.events.map((e) => `${e.type}${'nodeId' in e ? ` ${e.nodeId}` : ''}`)] : []));
    // Inspecting the Clean node: the text and its cleaning travel first; Pretokenize follows.
    await host.handle({ type: 'run', runId: 1, doc: pipeline(), focus: 'c' });
    expect(batches(1)).toEqual([
      ['run:start', 'node:start t', 'node:done t', 'node:start c', 'node:done c'],
      ['node:start p', 'node:done p', 'run:done'],
    ]);
    // An edit upstream: the cached text is not the cut, the cleaning's new result is.
    await host.handle({ type: 'run', runId: 2, doc: pipeline('I love NLP!'), focus: 'c' });
    expect(batches(2).map((b) => b.at(-1))).toEqual(['node:done c', 'run:done']);
    // With nothing inspected, or the last node inspected, a fast run is one message.
    await host.handle({ type: 'run', runId: 3, doc: pipeline('no inspector') });
    await host.handle({ type: 'run', runId: 4, doc: pipeline('last node'), focus: 'p' });
    expect(batches(3)).toHaveLength(1);
    expect(batches(4)).toHaveLength(1);
  });
});

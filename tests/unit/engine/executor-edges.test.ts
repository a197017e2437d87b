/**
 * The executor at its edges: what a run reports when it is cancelled at each point a cancel can
 * land, how long it says nodes took, what a node downstream of a cycle or a refused wire shows,
 * how progress is reported, and how outputs that depend on part of a recipe are keyed.
 * Test-only node kinds stand in where a shipped kind cannot reach the edge on demand.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createRecipeCache } from '@/nodes/engine/cache';
import { defineNode, type RunContext } from '@/nodes/engine/define-node';
import { AbortError, execute, isAbortError, yieldToEventLoop, type RunEvent } from '@/nodes/engine/executor';
import type { Registry } from '@/nodes/engine/validate';
import { graph, nodeResources, testRegistry } from './fixtures';

/** What each test-only node does when it runs: set per test. */
let behaviour: (ctx: RunContext, params: Record<string, unknown>) => Promise<void> = async () => undefined;

const probeNode = defineNode({
  type: 'probe',
  version: 1,
  title: 'Probe',
  question: 'test',
  summary: 'test',
  category: 'text',
  inputs: { text: { kind: 'text', label: 'text' } },
  outputs: { text: { kind: 'text', label: 'text' } },
  params: z.object({ tag: z.string().default('') }),
  run: async ({ text }, params, ctx) => {
    await behaviour(ctx, params);
    return { text };
  },
  view: ({ outputs }) => ({ length: outputs.text.length }),
});

/** Two outputs that depend on the same part of its recipe, and one on an input too. */
const twoPortNode = defineNode({
  type: 'two-port',
  version: 1,
  title: 'Two ports',
  question: 'test',
  summary: 'test',
  category: 'text',
  inputs: { text: { kind: 'text', label: 'text' }, other: { kind: 'text', label: 'other' } },
  outputs: { a: { kind: 'text', label: 'a' }, b: { kind: 'text', label: 'b' }, c: { kind: 'text', label: 'c' } },
  outputDependsOn: { a: { inputs: [], params: ['level'] }, b: { inputs: [], params: ['level'] }, c: { inputs: ['other'], params: [] } },
  params: z.object({ level: z.number().default(1), noise: z.number().default(0) }),
  run: async ({ other }, { level }) => ({ a: `a${level}`, b: `b${level}`, c: `${other}!` }),
  view: () => null,
});

const registry: Registry = { ...testRegistry, probe: probeNode, 'two-port': twoPortNode };

async function run(doc: ReturnType<typeof graph>, options: { cache?: ReturnType<typeof createRecipeCache>; signal?: AbortSignal; now?: () => number; onEvent?: (e: RunEvent) => void } = {}) {
  const events: RunEvent[] = [];
  const cache = options.cache ?? createRecipeCache();
  const report = await execute(doc, {
    registry,
    cache,
    where: 'server',
    resources: nodeResources,
    signal: options.signal,
    now: options.now,
    onEvent: (e) => {
      events.push(e);
      options.onEvent?.(e);
    },
  });
  return { report, events, cache };
}

const textThenProbe = (tag = '') =>
  graph(
    [
      ['t', 'text', { text: 'hello' }],
      ['p', 'probe', { tag }],
    ],
    [['t', 'p']],
  );

describe('cancelling a run', () => {
  it('recognises a cancel by its name, whichever code threw it, and says so in a sentence', () => {
    expect(new AbortError().message).toBe('The run was cancelled.');
    expect(isAbortError(new AbortError())).toBe(true);
    expect(isAbortError(new DOMException('The operation was aborted.', 'AbortError'))).toBe(true);
    expect(isAbortError(new Error('The run was cancelled.'))).toBe(false);
    expect(isAbortError('AbortError')).toBe(false);
  });

  it('does not start the next node once the run is cancelled between two nodes', async () => {
    const controller = new AbortController();
    const { report, events } = await run(textThenProbe(), {
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'node:done' && e.nodeId === 't') controller.abort();
      },
    });
    expect(report.cancelled).toBe(true);
    expect(events.filter((e) => e.type === 'node:start').map((e) => (e as { nodeId: string }).nodeId)).toEqual(['t']);
    expect(report.outcomes.has('p')).toBe(false);
  });

  it('keeps nothing from a node that finished after the run was cancelled', async () => {
    const controller = new AbortController();
    behaviour = async () => controller.abort();
    const { report, events, cache } = await run(textThenProbe('after'), { signal: controller.signal });
    expect(report.cancelled).toBe(true);
    expect(events.some((e) => e.type === 'node:done' && e.nodeId === 'p')).toBe(false);
    expect(report.outcomes.has('p')).toBe(false);
    // Only the Text node's result is cached: the probe runs again next time.
    expect(cache.size).toBe(1);
  });

  it('reports a cancelled run, not an error on the node, when a node fails because the run was cancelled', async () => {
    const controller = new AbortController();
    behaviour = async () => {
      controller.abort();
      throw new Error('fetch failed');
    };
    const { report, events } = await run(textThenProbe('fails'), { signal: controller.signal });
    expect(report.cancelled).toBe(true);
    expect(events.some((e) => e.type === 'node:error')).toBe(false);
  });

  it('gives the page a turn once a node has computed for more than 12 ms, and stops at that turn if Stop arrived', async () => {
    let time = 0;
    let turns = 0;
    let ticking = true;
    const tick = () => {
      turns++;
      if (ticking) setImmediate(tick);
    };
    const controller = new AbortController();
    const turnsSeen: number[] = [];
    behaviour = async (ctx) => {
      setImmediate(tick);
      for (const advance of [12, 1, 1]) {
        time += advance;
        const before = turns;
        await ctx.checkpoint();
        turnsSeen.push(turns - before);
      }
    };
    // Not cancelled: no turn at exactly 12 ms, one at 13 ms, none 1 ms later.
    await run(textThenProbe('turns'), { now: () => time });
    ticking = false;
    expect(turnsSeen).toEqual([0, 1, 0]);

    // Stop pressed while the page had its turn: the node ends at that checkpoint.
    time = 0;
    turns = 0;
    ticking = true;
    turnsSeen.length = 0;
    const tickAndStop = () => {
      controller.abort();
      ticking = false;
    };
    behaviour = async (ctx) => {
      setImmediate(tickAndStop);
      for (const advance of [12, 1, 1]) {
        time += advance;
        await ctx.checkpoint();
        turnsSeen.push(time);
      }
    };
    const { report } = await run(textThenProbe('stop at turn'), { now: () => time, signal: controller.signal });
    expect(report.cancelled).toBe(true);
    expect(turnsSeen).toEqual([12]);
  });
});

describe('the page\'s turn in a browser or a Web Worker, where there is no setImmediate', () => {
  /** Runs `body` with setImmediate gone, as in Chromium's page and its workers. */
  async function withoutSetImmediate(body: () => Promise<void>) {
    const g = globalThis as { setImmediate?: unknown };
    const saved = g.setImmediate;
    g.setImmediate = undefined;
    try {
      await body();
    } finally {
      g.setImmediate = saved;
    }
  }

  it('is a message hop that comes back, so a long node still finishes', async () => {
    await withoutSetImmediate(async () => {
      await yieldToEventLoop();
      let time = 0;
      behaviour = async (ctx) => {
        for (let i = 0; i < 3; i++) {
          time += 20;
          await ctx.checkpoint();
        }
      };
      const { report } = await run(textThenProbe('hops'), { now: () => time });
      expect(report.cancelled).toBe(false);
      expect(report.outcomes.get('p')?.status).toBe('done');
    });
  });
});

describe('what a run reports', () => {
  it('times the run and each node on its clock', async () => {
    let time = 1000;
    behaviour = async () => {
      time += 40;
    };
    const { report, events } = await run(textThenProbe('timed'), { now: () => time });
    const probe = events.find((e) => e.type === 'node:done' && e.nodeId === 'p') as { ms: number };
    expect(probe.ms).toBe(40);
    expect(report.ms).toBe(40);
    expect(events.at(-1)).toEqual({ type: 'run:done', ms: 40, cancelled: false });
  });

  it('clamps progress to 0–1 and passes data only when the node sent some', async () => {
    behaviour = async (ctx) => {
      ctx.progress(-0.5);
      ctx.progress(1.5, 'almost');
      ctx.progress(0.25, 'a quarter', { read: 10 });
    };
    const { events } = await run(textThenProbe('progress'));
    const progress = events.filter((e) => e.type === 'node:progress');
    expect(progress).toEqual([
      { type: 'node:progress', nodeId: 'p', fraction: 0, message: undefined },
      { type: 'node:progress', nodeId: 'p', fraction: 1, message: 'almost' },
      { type: 'node:progress', nodeId: 'p', fraction: 0.25, message: 'a quarter', data: { read: 10 } },
    ]);
    expect('data' in progress[0]!).toBe(false);
  });

  it('shows a node with two problems the first one the check found: its setting before its missing wire', async () => {
    const doc = graph([['p', 'pretokenize', { mode: 'no such mode' }]], []);
    const { report } = await run(doc);
    expect(report.issues.map((i) => i.code)).toEqual(['bad-params', 'missing-input']);
    expect(report.outcomes.get('p')).toEqual({ status: 'error', message: report.issues[0]!.message });
  });

  it('names, for a node below a cycle, the cycle node it reads from, and marks it blocked, never failed', async () => {
    const doc = graph(
      [
        ['c1', 'clean', {}],
        ['c2', 'clean', {}],
        ['after', 'pretokenize', {}],
      ],
      [
        ['c1', 'c2'],
        ['c2', 'c1'],
        ['c2', 'after'],
      ],
    );
    const { report, events } = await run(doc);
    expect(report.outcomes.get('after')).toEqual({ status: 'blocked', by: 'c2' });
    expect(events.filter((e) => 'nodeId' in e && e.nodeId === 'after').map((e) => e.type)).toEqual(['node:blocked']);
    expect(events.filter((e) => e.type === 'node:error').map((e) => (e as { nodeId: string }).nodeId).sort()).toEqual(['c1', 'c2']);
  });

  it('ignores a refused wire: a wire into a port Clean does not have neither blocks it nor changes its result', async () => {
    const plain = graph(
      [
        ['t', 'text', { text: 'abc' }],
        ['bad', 'clean', { replacePattern: '(' }],
        ['c', 'clean', {}],
      ],
      [
        ['t', 'bad'],
        ['t', 'c'],
      ],
    );
    const withRefusedWire = { ...plain, edges: [...plain.edges, { id: 'bad->c:extra', source: 'bad', target: 'c', sourcePort: 'text', targetPort: 'extra' }] };
    const cache = createRecipeCache();
    await run(plain, { cache });
    const { report, events } = await run(withRefusedWire, { cache });
    expect(report.issues.map((i) => i.code)).toContain('unknown-port');
    expect(report.outcomes.get('c')?.status).toBe('cached');
    expect(events.some((e) => e.type === 'node:blocked')).toBe(false);
  });
});

describe('outputs that depend on part of the recipe', () => {
  const twoPort = (level: number, noise: number, other = 'o') =>
    graph(
      [
        ['t', 'text', { text: 'hello' }],
        ['o', 'text', { text: other }],
        ['n', 'two-port', { level, noise }],
        ['ra', 'clean', {}],
        ['rb', 'clean', {}],
        ['rc', 'clean', {}],
      ],
      [
        ['t', 'n'],
        ['o', 'n', 'text', 'other'],
        ['n', 'ra', 'a', 'text'],
        ['n', 'rb', 'b', 'text'],
        ['n', 'rc', 'c', 'text'],
      ],
    );
  const textOf = (report: Awaited<ReturnType<typeof run>>['report'], id: string) => (report.outcomes.get(id) as unknown as { outputs: { text: string } }).outputs.text;

  it('keys each output on its own, so a node reading one never gets the result of a node reading the other', async () => {
    const { report } = await run(twoPort(1, 0));
    expect([textOf(report, 'ra'), textOf(report, 'rb')]).toEqual(['a1', 'b1']);
  });

  it('keeps a reader cached while the rest of the recipe changes, and re-runs it when its own part changes', async () => {
    const cache = createRecipeCache();
    await run(twoPort(1, 0), { cache });
    const noisier = await run(twoPort(1, 5), { cache });
    expect(noisier.report.outcomes.get('ra')?.status).toBe('cached');
    expect(noisier.report.outcomes.get('n')?.status).toBe('done');
    expect(noisier.report.outcomes.get('rc')?.status).toBe('cached');
    // The output that reads the other input: the same input keeps it, a changed one re-runs it.
    const otherChanged = await run(twoPort(1, 5, 'p'), { cache });
    expect(otherChanged.report.outcomes.get('rc')?.status).toBe('done');
    expect(textOf(otherChanged.report, 'rc')).toBe('p!');
    expect(otherChanged.report.outcomes.get('ra')?.status).toBe('cached');
  });
});

/**
 * The run manager's own rules, on an engine the test drives (held-engine.ts): who shares an
 * execution, who may cancel it, when it is stopped, which sentence a stream ends with, and that
 * every slot comes back.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import type { RunEvent } from '@/nodes/engine/executor';
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import type { RunEngine } from '@/server/run/engine';
import { EngineProcessError } from '@/server/run/engine-exit';
import { readRunLimits } from '@/server/run/limits';
import { createRunManager, type RunAccepted, type RunEventBatch, type RunManager } from '@/server/run/run-manager';
import { graph } from '../engine/fixtures';
import { heldEngine, nextCall } from './held-engine';

type Message = RunAccepted | RunEvent | RunEventBatch;

/** A stream read in the background: its messages so far, and waits for what it will say. */
function read(manager: RunManager, options: { doc: GraphDoc; client: string; runId: string; signal?: AbortSignal; batch?: boolean }) {
  const messages: Message[] = [];
  const changes = new Set<() => void>();
  const state: { error?: unknown; ended: boolean } = { ended: false };
  const changed = () => {
    for (const change of [...changes]) change();
  };
  const ended = (async () => {
    try {
      const stream = options.batch
        ? manager.start({ ...options, signal: options.signal ?? new AbortController().signal, batch: true })
        : manager.start({ ...options, signal: options.signal ?? new AbortController().signal });
      for await (const message of stream) {
        messages.push(message);
        changed();
      }
    } catch (error) {
      state.error = error;
    } finally {
      state.ended = true;
      changed();
    }
  })();
  const until = async (what: () => boolean) => {
    while (!what()) await nextCall(changes);
  };
  const events = () => messages.flatMap((m) => (m.type === 'run:events' ? m.events : m.type === 'run:accepted' ? [] : [m]));
  return {
    messages,
    events,
    state,
    ended,
    /** The cancel token from run:accepted, once admitted. */
    async token(): Promise<string> {
      await until(() => messages[0]?.type === 'run:accepted' || state.ended);
      const first = messages[0];
      if (first?.type !== 'run:accepted') throw new Error(`the run was not admitted: ${String(state.error)}`);
      return first.cancelToken;
    },
    untilEvent: (type: RunEvent['type']) => until(() => events().some((e) => e.type === type) || state.ended),
    lastDone: () => events().findLast((e) => e.type === 'run:done') as Extract<RunEvent, { type: 'run:done' }> | undefined,
  };
}

const textGraph = (text: string) => graph([['t', 'text', { text }]], []);
const managers: RunManager[] = [];
function managerWith(engine: RunEngine, env: Record<string, string> = {}) {
  const manager = createRunManager({ limits: readRunLimits(env), engine });
  managers.push(manager);
  return manager;
}
afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.close()));
});

const done = (nodeId: string, view: unknown): RunEvent => ({ type: 'node:done', nodeId, key: `key-${nodeId}`, ms: 1, view });

describe('run manager', () => {
  it("joins a second client's identical run to the one going: the engine runs it once, and the late stream gets the events so far, then the live ones", async () => {
    const { engine, runs, nth } = heldEngine();
    const manager = managerWith(engine);
    const first = read(manager, { doc: textGraph('shared'), client: 'ada', runId: 'r1' });
    const run = await nth(1);
    run.start();
    run.emit(done('t', { chars: 6 }));
    await first.untilEvent('node:done');
    const second = read(manager, { doc: textGraph('shared'), client: 'bo', runId: 'r2' });
    await second.untilEvent('node:done');
    expect(manager.stats()).toMatchObject({ activeRuns: 2, executions: 1 });
    run.emit({ type: 'node:progress', nodeId: 't', fraction: 1 });
    run.finish();
    await Promise.all([first.ended, second.ended]);
    expect(runs).toHaveLength(1);
    const types = ['run:start', 'node:done', 'node:progress', 'run:done'];
    expect(first.events().map((e) => e.type)).toEqual(types);
    expect(second.events().map((e) => e.type)).toEqual(types);
    expect(second.lastDone()?.cancelled).toBe(false);
    // Each stream has its own id and token.
    expect(first.messages[0]).toMatchObject({ type: 'run:accepted', runId: 'r1' });
    expect(second.messages[0]).toMatchObject({ type: 'run:accepted', runId: 'r2' });
    expect(await first.token()).not.toBe(await second.token());
    expect(manager.stats()).toEqual({ activeRuns: 0, executions: 0, staged: 0 });
  });

  it('runs a different graph, or the same graph after its run has ended, as a run of its own', async () => {
    const { engine, nth } = heldEngine();
    const manager = managerWith(engine);
    const a = read(manager, { doc: textGraph('one'), client: 'ada', runId: 'a' });
    const b = read(manager, { doc: textGraph('two'), client: 'ada', runId: 'b' });
    const [runA, runB] = await Promise.all([nth(1), nth(2)]);
    expect(runA.doc.nodes[0]?.params).toEqual({ text: 'one' });
    expect(runB.doc.nodes[0]?.params).toEqual({ text: 'two' });
    runA.finish();
    runB.finish();
    await Promise.all([a.ended, b.ended]);
    const again = read(manager, { doc: textGraph('one'), client: 'ada', runId: 'c' });
    (await nth(3)).finish();
    await again.ended;
    expect(again.lastDone()?.cancelled).toBe(false);
  });

  it('stops a run cancelled with its token: the engine is asked to stop and the stream ends with run:done cancelled', async () => {
    const { engine, nth } = heldEngine();
    const manager = managerWith(engine);
    const stream = read(manager, { doc: textGraph('stop me'), client: 'ada', runId: 'r' });
    const token = await stream.token();
    const run = await nth(1);
    run.start();
    expect(await manager.cancel('ada', 'r', token)).toBe(true);
    await stream.ended;
    expect(run.options.signal.aborted).toBe(true);
    expect(stream.lastDone()?.cancelled).toBe(true);
    expect(stream.state.error).toBeUndefined();
    expect(manager.stats().activeRuns).toBe(0);
  });

  it("cancels nothing with a wrong token, another client's name or another run's id, and the run goes on to its end", async () => {
    const { engine, nth } = heldEngine();
    const manager = managerWith(engine);
    const stream = read(manager, { doc: textGraph('keep going'), client: 'ada', runId: 'r' });
    const token = await stream.token();
    const run = await nth(1);
    expect(await manager.cancel('ada', 'r', `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`)).toBe(false);
    expect(await manager.cancel('ada', 'r', `${token}x`)).toBe(false);
    expect(await manager.cancel('bo', 'r', token)).toBe(false);
    expect(await manager.cancel('ada', 'other', token)).toBe(false);
    expect(run.options.signal.aborted).toBe(false);
    run.start();
    run.finish();
    await stream.ended;
    expect(stream.lastDone()?.cancelled).toBe(false);
    // Once the run has ended its token cancels nothing either.
    expect(await manager.cancel('ada', 'r', token)).toBe(false);
  });

  it('ends only the cancelling stream when another client watches the same run, which goes on for that client', async () => {
    const { engine, nth } = heldEngine();
    const manager = managerWith(engine);
    const mine = read(manager, { doc: textGraph('shared'), client: 'ada', runId: 'mine' });
    const theirs = read(manager, { doc: textGraph('shared'), client: 'bo', runId: 'theirs' });
    const token = await mine.token();
    await theirs.token();
    const run = await nth(1);
    run.start();
    expect(await manager.cancel('ada', 'mine', token)).toBe(true);
    await mine.ended;
    expect(mine.lastDone()).toEqual({ type: 'run:done', ms: 0, cancelled: true });
    expect(run.options.signal.aborted).toBe(false);
    run.emit(done('t', 'later'));
    run.finish();
    await theirs.ended;
    expect(theirs.events().map((e) => e.type)).toEqual(['run:start', 'node:done', 'run:done']);
    expect(theirs.lastDone()?.cancelled).toBe(false);
    expect(mine.events().some((e) => e.type === 'node:done')).toBe(false);
  });

  it('stops the execution when the last stream watching it closes, not before', async () => {
    const { engine, nth } = heldEngine();
    const manager = managerWith(engine);
    const closeA = new AbortController();
    const closeB = new AbortController();
    const a = read(manager, { doc: textGraph('watched'), client: 'ada', runId: 'a', signal: closeA.signal });
    const b = read(manager, { doc: textGraph('watched'), client: 'bo', runId: 'b', signal: closeB.signal });
    await Promise.all([a.token(), b.token()]);
    const run = await nth(1);
    run.start();
    closeA.abort();
    await a.ended;
    expect(a.state.error).toBeUndefined();
    expect(run.options.signal.aborted).toBe(false);
    closeB.abort();
    await b.ended;
    expect(run.options.signal.aborted).toBe(true);
    expect(manager.stats().activeRuns).toBe(0);
  });

  it('replaces the stream of a run started again with the same id: the old stream ends cancelled and its token no longer cancels', async () => {
    const { engine, nth } = heldEngine();
    const manager = managerWith(engine);
    const old = read(manager, { doc: textGraph('again'), client: 'ada', runId: 'r' });
    const oldToken = await old.token();
    const run = await nth(1);
    run.start();
    const fresh = read(manager, { doc: textGraph('again'), client: 'ada', runId: 'r' });
    const freshToken = await fresh.token();
    await old.ended;
    expect(old.lastDone()?.cancelled).toBe(true);
    expect(await manager.cancel('ada', 'r', oldToken)).toBe(false);
    expect(run.options.signal.aborted).toBe(false);
    expect(await manager.cancel('ada', 'r', freshToken)).toBe(true);
    await fresh.ended;
    expect(run.options.signal.aborted).toBe(true);
  });

  it("refuses a client's run over its limit with a sentence after a short wait, admits another client's, and admits the first client again once a slot is back", async () => {
    const { engine, nth } = heldEngine();
    const manager = managerWith(engine, { TOKENLOOM_RUN_MAX_PER_CLIENT: '1' });
    const first = read(manager, { doc: textGraph('one'), client: 'ada', runId: 'a1' });
    await first.token();
    const over = read(manager, { doc: textGraph('two'), client: 'ada', runId: 'a2' });
    const other = read(manager, { doc: textGraph('three'), client: 'bo', runId: 'b1' });
    await other.token();
    await over.ended;
    expect(over.state.error).toBeInstanceOf(TRPCError);
    expect(over.state.error).toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      message: 'You already have 1 runs going on the server (the limit is 1); wait for one to finish or cancel it.',
    });
    expect(over.messages).toEqual([]);
    (await nth(1)).finish();
    (await nth(2)).finish();
    await Promise.all([first.ended, other.ended]);
    expect(manager.stats().activeRuns).toBe(0);
    const later = read(manager, { doc: textGraph('two'), client: 'ada', runId: 'a3' });
    await later.token();
    (await nth(3)).finish();
    await later.ended;
    expect(later.state.error).toBeUndefined();
  });

  it("ends the stream with the engine's own sentence after run:done when the engine fails, and gives the slot back", async () => {
    const { engine, nth } = heldEngine();
    const manager = managerWith(engine);
    const failed = read(manager, { doc: textGraph('boom'), client: 'ada', runId: 'f' });
    const run = await nth(1);
    run.start();
    run.fail(new Error('The engine could not read this graph.'));
    await failed.ended;
    expect(failed.lastDone()).toBeDefined();
    expect(failed.state.error).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', message: 'The engine could not read this graph.' });
    const tooLarge = read(manager, { doc: textGraph('huge'), client: 'ada', runId: 'm' });
    const big = await nth(2);
    big.start();
    big.fail(new EngineProcessError('This run needed more memory than one engine process may use (1024 MB).', 'memory'));
    await tooLarge.ended;
    expect(tooLarge.state.error).toMatchObject({ code: 'UNPROCESSABLE_CONTENT', message: 'This run needed more memory than one engine process may use (1024 MB).' });
    expect(manager.stats()).toEqual({ activeRuns: 0, executions: 0, staged: 0 });
    // The failed execution is not joined by the next run of the same graph.
    const retry = read(manager, { doc: textGraph('boom'), client: 'ada', runId: 'f2' });
    (await nth(3)).finish();
    await retry.ended;
    expect(retry.state.error).toBeUndefined();
  });

  it('stops a run at its wall-time limit counted from when the engine took it, not from when it was queued, with a TIMEOUT sentence', async () => {
    const { engine, nth } = heldEngine();
    const manager = managerWith(engine, { TOKENLOOM_RUN_MAX_SECONDS: '0.2' });
    const stream = read(manager, { doc: textGraph('slow'), client: 'ada', runId: 'r' });
    const run = await nth(1);
    // Queued for longer than the limit: not stopped, its clock has not started.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(run.options.signal.aborted).toBe(false);
    run.start();
    await stream.ended;
    expect(run.options.signal.aborted).toBe(true);
    expect(stream.lastDone()?.cancelled).toBe(true);
    expect(stream.state.error).toMatchObject({
      code: 'TIMEOUT',
      message: "This run was stopped after 0.2 s, the server's limit for one run. Use a smaller text, or run it in the browser.",
    });
  });

  it('refuses a run that no engine process takes in time, and waits instead for a process that is loading for it', async () => {
    const { engine, nth } = heldEngine();
    // Waiting is bounded by the run limit + the stop grace + 5 s for a process to start: 5.2 s.
    const manager = managerWith(engine, { TOKENLOOM_RUN_MAX_SECONDS: '0.1', TOKENLOOM_RUN_STOP_GRACE_SECONDS: '0.1' });
    const loading = read(manager, { doc: textGraph('a process loads for me'), client: 'ada', runId: 'l' });
    const loadingRun = await nth(1);
    loadingRun.options.onAssigned?.();
    const waiting = read(manager, { doc: textGraph('nobody takes me'), client: 'bo', runId: 'w' });
    await waiting.ended;
    expect(waiting.state.error).toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      message: 'Every engine process on the server was busy for 5.2 s, so this run never started. Try again in a moment, or run it in the browser.',
    });
    // The run whose process is loading was queued first, and is still waiting.
    expect(loadingRun.options.signal.aborted).toBe(false);
    loadingRun.start();
    loadingRun.finish();
    await loading.ended;
    expect(loading.state.error).toBeUndefined();
    expect(loading.lastDone()?.cancelled).toBe(false);
  }, 30_000);

  it('keeps a staged graph for one start: the id gives the graph back once, then says it has expired or was started', async () => {
    const { engine } = heldEngine();
    const manager = managerWith(engine);
    const doc = textGraph('a large graph, posted first');
    const { stagedId, expiresInMs } = manager.stage(doc);
    expect(expiresInMs).toBe(60_000);
    expect(manager.stats().staged).toBe(1);
    expect(manager.takeStaged(stagedId)).toEqual(doc);
    expect(manager.stats().staged).toBe(0);
    expect(() => manager.takeStaged(stagedId)).toThrow('This staged graph has expired or was already started; send it again.');
  });

  it("answers a lookup with the engine's result, NOT_FOUND when no engine holds it, and BAD_REQUEST for a question it refuses", async () => {
    const { engine } = heldEngine(({ key }) =>
      key === 'held' ? { ok: true, result: { page: 'ab' } } : key === 'gone' ? { ok: false, missing: true, message: 'No longer held.' } : { ok: false, missing: false, message: 'Ask for a port this node has.' },
    );
    const manager = managerWith(engine);
    const question = { kind: 'page', port: 'text', offset: 0, limit: 2 } as const;
    expect(await manager.lookup({ key: 'held', question })).toEqual({ page: 'ab' });
    await expect(manager.lookup({ key: 'gone', question })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'No longer held.' });
    await expect(manager.lookup({ key: 'odd', question })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: 'Ask for a port this node has.' });
  });

  it('says where runs go (in this process, no queue) and how many are going, and closing stops what runs and closes the engine', async () => {
    const held = heldEngine();
    const manager = createRunManager({ limits: readRunLimits({ TOKENLOOM_RUN_MEMORY_MB: '512' }), engine: held.engine });
    expect(await manager.info()).toEqual({ engine: 'in-process', queue: false, processes: 0, maxProcesses: 0, memoryMb: 512 });
    const stream = read(manager, { doc: textGraph('at close'), client: 'ada', runId: 'r' });
    await stream.token();
    expect(await manager.health()).toEqual({ mode: 'local', engine: 'in-process', processes: 0, activeRuns: 1 });
    const run = await held.nth(1);
    await manager.close();
    expect(run.options.signal.aborted).toBe(true);
    expect(held.isClosed()).toBe(true);
    await stream.ended;
    expect(stream.lastDone()?.cancelled).toBe(true);
  });

  it('sends the events that wait together as one run:events message when the stream batches, each event once and in order', async () => {
    const { engine, nth } = heldEngine();
    const manager = managerWith(engine);
    const stream = read(manager, { doc: textGraph('burst'), client: 'ada', runId: 'r', batch: true });
    await stream.token();
    const run = await nth(1);
    run.start();
    for (let i = 0; i < 5; i++) run.emit({ type: 'node:progress', nodeId: 't', fraction: i / 5 });
    run.finish();
    await stream.ended;
    expect(stream.events().map((e) => (e.type === 'node:progress' ? e.fraction : e.type))).toEqual(['run:start', 0, 0.2, 0.4, 0.6, 0.8, 'run:done']);
    const batches = stream.messages.filter((m) => m.type === 'run:events');
    expect(batches.length).toBeGreaterThan(0);
    expect(stream.messages.length).toBeLessThan(1 + 7);
  });
});

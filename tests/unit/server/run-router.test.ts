/**
 * The run router in front of a real run manager, on an engine the test drives (held-engine.ts):
 * what a graph must be to be run, the sentences for one that is not, staging, cancel by the
 * caller's own identity, lookups' defaults and bounds, and the limits as `info` words them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { graph } from '../engine/fixtures';
import { createCallerFactory } from '@/server/api/trpc';
import { createRunRouter } from '@/server/api/routers/run-router';
import { readRunLimits } from '@/server/run/limits';
import type { CacheLookup } from '@/server/run/lookup';
import { createRunManager, type RunManager } from '@/server/run/run-manager';
import { heldEngine } from './held-engine';

const managers: RunManager[] = [];
afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.close()));
});

function setUp(env: Record<string, string> = {}) {
  const asked: CacheLookup[] = [];
  const held = heldEngine((request) => {
    asked.push(request);
    return { ok: true, result: 'answer' };
  });
  const manager = createRunManager({ limits: readRunLimits(env), engine: held.engine });
  managers.push(manager);
  const factory = createCallerFactory(createRunRouter(() => manager));
  const callerFor = (client?: string) => factory({ db: undefined as never, headers: new Headers(), client });
  return { held, manager, asked, callerFor };
}

type Stream = AsyncIterable<{ type: string } & Record<string, unknown>>;

/** The first message of a run stream (its run:accepted), and the iterator to read on. */
async function accepted(stream: Stream) {
  const iterator = stream[Symbol.asyncIterator]();
  const first = await iterator.next();
  return { first: first.value as { type: string; runId: string; cancelToken: string }, iterator };
}

/** Reads a stream to its end and gives its last message (a batch's last event). */
async function lastMessage(iterator: AsyncIterator<{ type: string } & Record<string, unknown>>) {
  let last: unknown;
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
    const message = next.value;
    last = message.type === 'run:events' ? (message.events as unknown[]).at(-1) : message;
  }
  return last;
}

const textGraph = (text: string) => graph([['t', 'text', { text }]], []);

describe('run router', () => {
  it('runs a graph it was sent and streams run:accepted, then the engine’s events, in batches', async () => {
    const { held, callerFor } = setUp();
    const stream = (await callerFor('c:ada').start({ doc: textGraph('hello'), runId: 'r1' })) as Stream;
    const { first, iterator } = await accepted(stream);
    expect(first).toMatchObject({ type: 'run:accepted', runId: 'r1' });
    const run = await held.nth(1);
    expect(run.doc.nodes[0]?.params).toEqual({ text: 'hello' });
    run.start();
    run.emit({ type: 'node:progress', nodeId: 't', fraction: 0.5 });
    run.finish();
    const rest: unknown[] = [];
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) rest.push(next.value);
    expect(rest.flatMap((m) => ((m as { type: string }).type === 'run:events' ? (m as { events: { type: string }[] }).events : [m as { type: string }])).map((e) => e.type)).toEqual([
      'run:start',
      'node:progress',
      'run:done',
    ]);
  });

  it('gives a run without an id one of its own', async () => {
    const { held, callerFor } = setUp();
    const { first } = await accepted((await callerFor('c:ada').start({ doc: textGraph('no id') })) as Stream);
    expect(first.runId).toMatch(/^[0-9a-f-]{36}$/);
    (await held.nth(1)).finish();
  });

  it('refuses a request with both a graph and a staged id, or neither, in one sentence', async () => {
    const { callerFor } = setUp();
    const sentence = 'Send either a graph (doc) or the id of a staged one (stagedId).';
    const caller = callerFor('c:ada');
    await expect(caller.start({ doc: textGraph('x'), stagedId: '8d7f1b9e-4a4c-4d2e-9a51-2f0d7c1e3b6a' })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: sentence });
    await expect(caller.start({})).rejects.toMatchObject({ code: 'BAD_REQUEST', message: sentence });
  });

  it('refuses a graph holding more text than the server runs, naming both sizes, before anything runs', async () => {
    const { held, callerFor, manager } = setUp({ TOKENLOOM_RUN_MAX_INPUT_MB: '0.001' });
    const big = textGraph('x'.repeat(2000));
    await expect(callerFor('c:ada').start({ doc: big })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'This graph holds 0.002 MB of text in its nodes; the server runs at most 0.001 MB per graph.',
    });
    await expect(callerFor('c:ada').stage({ doc: big })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(held.runs).toHaveLength(0);
    expect(manager.stats().staged).toBe(0);
    // One byte over is never worded as the limit itself ("holds 0.001 MB … at most 0.001 MB").
    await expect(callerFor('c:ada').start({ doc: textGraph('x'.repeat(1001)) })).rejects.toMatchObject({
      message: 'This graph holds 0.001001 MB of text in its nodes; the server runs at most 0.001 MB per graph.',
    });
    // Exactly at the limit is run.
    const { first } = await accepted((await callerFor('c:ada').start({ doc: textGraph('x'.repeat(1000)) })) as Stream);
    expect(first.type).toBe('run:accepted');
    (await held.nth(1)).finish();
  });

  it('refuses a malformed graph with the sentence that names what is wrong', async () => {
    const { callerFor } = setUp();
    await expect(callerFor('c:ada').start({ doc: { schemaVersion: 1, nodes: 'none' } as never })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/nodes/),
    });
  });

  it('runs a staged graph by its id once', async () => {
    const { held, callerFor } = setUp();
    const caller = callerFor('c:ada');
    const { stagedId, expiresInMs } = await caller.stage({ doc: textGraph('staged text') });
    expect(expiresInMs).toBe(60_000);
    const { first } = await accepted((await caller.start({ stagedId, runId: 's' })) as Stream);
    expect(first.runId).toBe('s');
    const run = await held.nth(1);
    expect(run.doc.nodes[0]?.params).toEqual({ text: 'staged text' });
    run.finish();
    // The id is spent: the stream says so when it is read.
    await expect(accepted((await caller.start({ stagedId })) as Stream)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'This staged graph has expired or was already started; send it again.',
    });
  });

  it("cancels a run for the client that started it, with its token, and for nobody else", async () => {
    const { held, callerFor } = setUp();
    const { first, iterator } = await accepted((await callerFor('c:ada').start({ doc: textGraph('mine'), runId: 'r' })) as Stream);
    const run = await held.nth(1);
    expect(await callerFor('c:bo').cancel({ runId: 'r', cancelToken: first.cancelToken })).toEqual({ cancelled: false });
    expect(await callerFor().cancel({ runId: 'r', cancelToken: first.cancelToken })).toEqual({ cancelled: false });
    expect(run.options.signal.aborted).toBe(false);
    expect(await callerFor('c:ada').cancel({ runId: 'r', cancelToken: first.cancelToken })).toEqual({ cancelled: true });
    expect(await lastMessage(iterator)).toEqual({ type: 'run:done', ms: 1, cancelled: true });
    expect(run.options.signal.aborted).toBe(true);
  });

  it('gives in-process callers, which have no cookie, one identity of their own', async () => {
    const { held, callerFor } = setUp();
    const { first, iterator } = await accepted((await callerFor().start({ doc: textGraph('in process'), runId: 'r' })) as Stream);
    const run = await held.nth(1);
    expect(await callerFor('c:ada').cancel({ runId: 'r', cancelToken: first.cancelToken })).toEqual({ cancelled: false });
    expect(await callerFor().cancel({ runId: 'r', cancelToken: first.cancelToken })).toEqual({ cancelled: true });
    expect(await lastMessage(iterator)).toMatchObject({ type: 'run:done', cancelled: true });
    expect(run.options.signal.aborted).toBe(true);
  });

  it('pages an output from offset 0, 500 characters at a time unless told, and refuses a page over the bound', async () => {
    const { asked, callerFor } = setUp();
    const caller = callerFor('c:ada');
    expect(await caller.page({ key: 'k', port: 'text' })).toBe('answer');
    expect(await caller.page({ key: 'k', port: 'text', offset: 10, limit: 20 })).toBe('answer');
    expect(asked).toEqual([
      { key: 'k', question: { kind: 'page', port: 'text', offset: 0, limit: 500 } },
      { key: 'k', question: { kind: 'page', port: 'text', offset: 10, limit: 20 } },
    ]);
    await expect(caller.page({ key: 'k', port: 'text', limit: 0 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(caller.page({ key: 'k', port: 'text', offset: -1 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(caller.page({ key: '', port: 'text' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(asked).toHaveLength(2);
  });

  it("passes an inspector's question to the engine, and refuses one over 10 KB in a sentence", async () => {
    const { asked, callerFor } = setUp();
    const caller = callerFor('c:ada');
    expect(await caller.query({ nodeType: 'bpe', key: 'k', request: { search: 'ଓ' } })).toBe('answer');
    expect(asked).toEqual([{ key: 'k', question: { kind: 'query', nodeType: 'bpe', request: { search: 'ଓ' } } }]);
    await expect(caller.query({ nodeType: 'bpe', key: 'k', request: { search: 'x'.repeat(10_000) } })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'The question is too long (10 KB at most).',
    });
    // A question left out is asked as null, which is short.
    expect(await caller.query({ nodeType: 'bpe', key: 'k', request: undefined })).toBe('answer');
    expect(asked).toHaveLength(2);
  });

  it('says where runs go and words its limits as they are set', async () => {
    const { callerFor } = setUp({ TOKENLOOM_RUN_MAX_INPUT_MB: '0.5', TOKENLOOM_RUN_MAX_SECONDS: '90', TOKENLOOM_RUN_MAX_PER_CLIENT: '2', TOKENLOOM_RUN_MEMORY_MB: '256' });
    expect(await callerFor('c:ada').info()).toEqual({
      engine: 'in-process',
      queue: false,
      processes: 0,
      maxProcesses: 0,
      maxMemory: '256 MB',
      maxInput: '0.5 MB',
      maxRunTime: '90 s',
      maxRunsPerClient: 2,
    });
  });
});

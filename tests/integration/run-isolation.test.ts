/**
 * Engine processes contain what no thread can: a run that exhausts its heap, hits a V8 fatal
 * error ("invalid size") or aborts ends only its own run, with a sentence saying why;
 * the pool replaces the process, other clients' runs complete, the server keeps serving and
 * every slot is free afterwards. The faults come from the engine's test hook
 * (TOKENLOOM_TEST_FAULTS=1: a Note whose text is TOKENLOOM_TEST_FAULT:<fault>; see
 * server/run/engine-process.ts), which runs the same expressions a hostile Clean input does,
 * so these tests do not depend on Clean's regex engine. Limits: 2 warm processes, 4 at
 * most, 512 MB of heap each, 60 s per run (so a slow machine never turns a crash into a
 * timeout). Runs that hang are in run-hang.test.ts.
 */
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, faultDoc, pipelineDoc, serveRoute, serverStillServes, slotsFree, startRun, type RouteServer } from './run-http-server';

describe('engine processes isolate hostile runs (2–4 processes, 512 MB each)', () => {
  let server: RouteServer;

  beforeAll(async () => {
    process.env.TOKENLOOM_TEST_FAULTS = '1';
    process.env.TOKENLOOM_RUN_MAX_SECONDS = '60';
    process.env.TOKENLOOM_RUN_PROCESSES = '2';
    process.env.TOKENLOOM_RUN_MAX_PROCESSES = '4';
    process.env.TOKENLOOM_RUN_MEMORY_MB = '512';
    server = await serveRoute();
    expect(await server.runner('setup').serverInfo()).toMatchObject({ engine: 'processes', processes: 2, maxProcesses: 4, maxMemory: '512 MB' });
  });

  afterAll(async () => {
    await server?.close();
    for (const name of ['TOKENLOOM_TEST_FAULTS', 'TOKENLOOM_RUN_MAX_SECONDS', 'TOKENLOOM_RUN_PROCESSES', 'TOKENLOOM_RUN_MAX_PROCESSES', 'TOKENLOOM_RUN_MEMORY_MB']) {
      delete process.env[name];
    }
  });

  it('ends only the run that exhausts its memory, with a sentence naming the limit; another client’s run and the server go on', async () => {
    const hostile = startRun(server, 'hog', faultDoc('oom'), 'fault');
    await hostile.started;
    const other = await collect(server.runner('bystander'), pipelineDoc('my run, during the out-of-memory'));
    expect(other.at(-1)).toMatchObject({ type: 'run:done', cancelled: false });
    await serverStillServes(server);

    const { error, events } = await hostile.settled;
    expect(error).toBeInstanceOf(TRPCClientError);
    expect(error?.data).toMatchObject({ code: 'UNPROCESSABLE_CONTENT' });
    expect(error?.message).toBe(
      "This run used more than 512 MB of memory, the server's limit for one run, so it was stopped. Use a smaller text, or run it in the browser.",
    );
    expect(events.at(-1)).toMatchObject({ type: 'run:done', cancelled: true });
    await slotsFree();
  });

  it('ends only the run that hits V8’s fatal "invalid size" error (as Clean’s "$&"×250 on a million characters raises it), and the pool replaces its process', async () => {
    const hostile = startRun(server, 'multiplier', faultDoc('invalid-size'), 'fault');
    await hostile.started;
    const { error } = await hostile.settled;
    expect(error?.data).toMatchObject({ code: 'UNPROCESSABLE_CONTENT' });
    expect(error?.message).toBe(
      'This run tried to build a value larger than the engine can hold (a text or list past its size limit), so it was stopped. Use a smaller text or a shorter replacement.',
    );
    await slotsFree();
    expect((await server.runner('setup').serverInfo()).processes).toBeGreaterThanOrEqual(2);
    const after = await collect(server.runner('multiplier'), pipelineDoc('the same client, next run'));
    expect(after.at(-1)).toMatchObject({ type: 'run:done', cancelled: false });
    await serverStillServes(server);
  });

  it('ends only the run whose process aborts, with a sentence rather than a stack trace', async () => {
    const hostile = startRun(server, 'aborter', faultDoc('abort'), 'fault');
    const other = startRun(server, 'neighbour', pipelineDoc('my run, next to an abort'), 'pretokenize');
    const [{ error }, { error: otherError, events }] = await Promise.all([hostile.settled, other.settled]);
    expect(error?.data).toMatchObject({ code: 'INTERNAL_SERVER_ERROR' });
    expect(error?.message).toBe("The server's engine process stopped while running this graph (SIGABRT); run it again.");
    expect(otherError).toBeUndefined();
    expect(events.at(-1)).toMatchObject({ type: 'run:done', cancelled: false });
    await slotsFree();
  });
});

/**
 * Who a client is, over real HTTP: the server's signed httpOnly cookie, never a header the
 * client sets. Forged x-tokenloom-client / X-Forwarded-For headers do not get a client around
 * its run limit, a tampered cookie is ignored and replaced, a run is cancelled only with its
 * own token by the client that started it, and saves are rate-limited per client.
 * Limits: one engine process (so runs held open wait in the queue instead of using the CPU),
 * 3 saves per minute. Server modules are imported after the env is set (server/env.ts reads it
 * once, on import).
 */
import { chmod, mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EventSource } from 'eventsource';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerRunner } from '@/components/canvas/server-runner';
import type { RunEvent } from '@/nodes/engine/executor';
import type { RunAccepted } from '@/server/run/run-manager';
import { collect, pipelineDoc, serveRoute, slowDoc, subscribeRun, type RouteServer, rejection } from './run-http-server';

const COOKIE_FORMAT = /^tl_client=v1\.[\w-]{22}\.[\w-]{43}; HttpOnly; SameSite=Lax; Path=\/; Max-Age=31536000$/;

async function waitFor(test: () => boolean, what: string): Promise<void> {
  const t0 = Date.now();
  while (!test()) {
    if (Date.now() - t0 > 60_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

type Identity = typeof import('@/server/api/client-identity');
type Env = typeof import('@/server/env');
type Runs = typeof import('@/server/run/run-manager');

describe('client identity: a signed cookie, not headers', () => {
  let server: RouteServer;
  let identity: Identity;
  let serverEnv: Env;
  let getRunManager: Runs['getRunManager'];
  const post = (procedure: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/${procedure}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  beforeAll(async () => {
    process.env.TOKENLOOM_RUN_PROCESSES = '1';
    process.env.TOKENLOOM_RUN_MAX_PROCESSES = '1';
    process.env.TOKENLOOM_SAVES_PER_MINUTE = '3';
    server = await serveRoute();
    identity = await import('@/server/api/client-identity');
    serverEnv = await import('@/server/env');
    ({ getRunManager } = await import('@/server/run/run-manager'));
    expect(await server.runner('setup').serverInfo()).toMatchObject({ engine: 'processes', maxProcesses: 1 });
  });

  afterAll(async () => {
    await server?.close();
    for (const name of ['TOKENLOOM_RUN_PROCESSES', 'TOKENLOOM_RUN_MAX_PROCESSES', 'TOKENLOOM_SAVES_PER_MINUTE']) delete process.env[name];
  });

  it('issues a signed httpOnly cookie to a request without one, and none to a request that brings it back', async () => {
    const first = await fetch(`${server.url}/run.info`);
    const setCookie = first.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(COOKIE_FORMAT);
    const again = await fetch(`${server.url}/run.info`, { headers: { cookie: setCookie.split(';')[0]! } });
    expect(again.status).toBe(200);
    expect(again.headers.get('set-cookie')).toBeNull();
  });

  it('ignores a tampered, unsigned or foreign cookie and issues a new one', async () => {
    const genuine = server.cookieFor('tamper-victim'); // tl_client=v1.<id>.<sig>
    const lastChar = genuine.at(-1) === 'A' ? 'B' : 'A';
    const id = genuine.split('.')[1]!;
    for (const cookie of [
      genuine.slice(0, -1) + lastChar, // signature altered
      `tl_client=v1.${'x'.repeat(22)}.${genuine.split('.')[2]}`, // another id under the victim's signature
      `tl_client=v1.${id}`, // unsigned
      'tl_client=i-am-admin',
    ]) {
      const response = await fetch(`${server.url}/run.info`, { headers: { cookie } });
      expect(response.status).toBe(200);
      const issued = response.headers.get('set-cookie') ?? '';
      expect(issued, cookie).toMatch(COOKIE_FORMAT);
      expect(issued).not.toContain(id);
    }
    expect(identity.identifyClient(new Headers({ cookie: genuine }))).toEqual({ client: `c:${id}` });
    expect(identity.identifyClient(new Headers({ cookie: genuine.slice(0, -1) + lastChar })).client).toBe('anon:unknown');
  });

  it('keeps a client at its run limit whatever x-tokenloom-client or X-Forwarded-For it sends, with or without a cookie', async () => {
    const stop = new AbortController();
    const held: Promise<void>[] = [];
    const hold = (headers: Record<string, string>, seed: string) =>
      held.push(createServerRunner({ url: server.url, EventSource, headers }).runOnServer(slowDoc(seed, 1_000_000, 32), { onEvent: () => undefined, signal: stop.signal }));
    try {
      const cookie = server.cookieFor('limited');
      for (let i = 0; i < 3; i++) hold({ cookie }, `limited-${i}`);
      await waitFor(() => getRunManager().stats().activeRuns === 3, 'three admitted runs');
      const forged = createServerRunner({
        url: server.url,
        EventSource,
        headers: { cookie, 'x-tokenloom-client': 'somebody-else', 'x-forwarded-for': '198.51.100.9' },
      });
      const fourth = await rejection(collect(forged, pipelineDoc('a fourth, in disguise')));
      expect(fourth.data).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
      expect(fourth.message).toBe('You already have 3 runs going on the server (the limit is 3); wait for one to finish or cancel it.');

      // Without a cookie, every request is the same anonymous client, whatever it claims.
      for (let i = 0; i < 3; i++) hold({ 'x-tokenloom-client': `anon-${i}`, 'x-forwarded-for': `203.0.113.${i}` }, `anon-${i}`);
      await waitFor(() => getRunManager().stats().activeRuns === 6, 'three more admitted runs');
      const cookieless = createServerRunner({ url: server.url, EventSource, headers: { 'x-tokenloom-client': 'anon-9', 'x-forwarded-for': '203.0.113.9' } });
      expect((await rejection(collect(cookieless, pipelineDoc('one more, cookieless')))).data).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    } finally {
      stop.abort();
      await Promise.all(held);
    }
    await waitFor(() => getRunManager().stats().activeRuns === 0 && getRunManager().stats().executions === 0, 'all slots free');
  });

  it('makes the cookie secret once, keeps it in an owner-only file, and reads the same one back', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tokenloom-secret-'));
    try {
      const file = path.join(dir, 'data', 'tokenloom-secret');
      const made = identity.readOrCreateSecretFile(file);
      expect(made.length).toBeGreaterThanOrEqual(32);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      await chmod(file, 0o644);
      expect(identity.readOrCreateSecretFile(file).equals(made)).toBe(true);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('honours X-Forwarded-For only as far as TOKENLOOM_TRUST_PROXY trusts it', () => {
    const headers = new Headers({ 'x-forwarded-for': '10.6.6.6, 203.0.113.7' });
    expect(identity.clientAddress(headers, 0)).toBeUndefined();
    expect(identity.clientAddress(headers, 1)).toBe('203.0.113.7');
    expect(identity.clientAddress(headers, 2)).toBe('10.6.6.6');
    const untrusted = serverEnv.parseServerEnv({ PGLITE_DATA_DIR: 'memory://' });
    const trusted = serverEnv.parseServerEnv({ PGLITE_DATA_DIR: 'memory://', TOKENLOOM_TRUST_PROXY: 'true' });
    expect(identity.identifyClient(headers, { serverEnv: untrusted }).client).toBe('anon:unknown');
    expect(identity.identifyClient(headers, { serverEnv: trusted }).client).toBe('anon:203.0.113.7');
  });

  it('cancels a run only for the client that started it, with that run’s token', async () => {
    const owner = { cookie: server.cookieFor('run-owner') };
    let markAccepted!: (accepted: RunAccepted) => void;
    const accepted = new Promise<RunAccepted>((resolve) => (markAccepted = resolve));
    const staged = await post('run.stage', { doc: slowDoc('cancel-guarded', 400_000, 8) }, owner);
    const { stagedId } = ((await staged.json()) as { result: { data: { stagedId: string } } }).result.data;
    const run = subscribeRun(server.url, owner, { stagedId, runId: 'guarded' }, (message) => {
      if (message.type === 'run:accepted') markAccepted(message);
    });
    const { cancelToken, runId } = await accepted;
    expect(runId).toBe('guarded');
    const cancel = async (headers: Record<string, string>, token: string) => {
      const response = await post('run.cancel', { runId, cancelToken: token }, headers);
      return ((await response.json()) as { result: { data: { cancelled: boolean } } }).result.data.cancelled;
    };
    expect(await cancel({ cookie: server.cookieFor('intruder') }, cancelToken)).toBe(false);
    expect(await cancel({ 'x-tokenloom-client': 'run-owner' }, cancelToken)).toBe(false);
    expect(await cancel(owner, 'a-guessed-token')).toBe(false);
    expect(getRunManager().stats().activeRuns).toBe(1);

    expect(await cancel(owner, cancelToken)).toBe(true);
    const messages = await run;
    expect(messages.at(-1)).toMatchObject({ type: 'run:done', cancelled: true });
    expect(messages.filter((m): m is RunEvent => m.type === 'node:done').length).toBeLessThan(17);
  });

  it('refuses a client’s fourth save in a minute with 429 and when to try again, whatever headers it forges', async () => {
    const saver = { cookie: server.cookieFor('eager-saver') };
    const created = await post('graph.create', { doc: pipelineDoc('first save') }, saver);
    expect(created.status).toBe(200);
    const { id, editSecret } = ((await created.json()) as { result: { data: { id: string; editSecret: string } } }).result.data;
    expect((await post('graph.update', { id, editSecret, doc: pipelineDoc('second save') }, saver)).status).toBe(200);
    expect((await post('graph.fork', { id }, saver)).status).toBe(200);

    const refused = await post('graph.create', { doc: pipelineDoc('fourth save') }, { ...saver, 'x-tokenloom-client': 'fresh', 'x-forwarded-for': '192.0.2.1' });
    expect(refused.status).toBe(429);
    const body = (await refused.json()) as { error: { message: string; data: { code: string } } };
    expect(body.error.data.code).toBe('TOO_MANY_REQUESTS');
    expect(body.error.message).toMatch(/^Too many saves: try again in (59|60) s\.$/);

    // Another client saves as usual; reading is never limited.
    expect((await post('graph.create', { doc: pipelineDoc('someone else') }, { cookie: server.cookieFor('calm-saver') })).status).toBe(200);
    expect((await fetch(`${server.url}/graph.get?input=${encodeURIComponent(JSON.stringify({ id }))}`, { headers: saver })).status).toBe(200);
  });
});

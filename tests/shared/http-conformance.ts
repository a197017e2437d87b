/**
 * What the tRPC endpoint must do over real HTTP, written once and run against both servers:
 * the hand-written Node server the integration tests use (tests/integration/http-conformance.test.ts)
 * and `next start`, the production server the README starts (tests/e2e/http-conformance.spec.ts).
 * If the two agree on these, the integration suite's many run tests speak for production too.
 *
 * - streaming: events reach the client while the run goes on (a run is cancelled by its id after
 *   its first node has been seen, and ends before its last);
 * - abort: a client that goes away mid-run frees its run slots;
 * - body limits: a 10 MB body is refused with 413 and a sentence before it is parsed, with or
 *   without a Content-Length, and the server goes on serving.
 *
 * Plain node:assert, so both Vitest and Playwright report a failure as it is.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { EventSource } from 'eventsource';
import { createServerRunner, type ServerRunner } from '@/components/canvas/server-runner';
import type { RunEvent } from '@/nodes/engine/executor';
import type { GraphDoc } from '@/nodes/engine/graph-doc';

export interface ConformanceTarget {
  /** The tRPC endpoint, e.g. http://127.0.0.1:3123/api/trpc. */
  url: string;
}

/** A fresh browser's cookie, as the server issues it on a first request. */
async function newClientCookie(url: string): Promise<string> {
  const response = await fetch(`${url}/run.info`);
  assert.equal(response.status, 200);
  const cookie = response.headers.get('set-cookie')?.split(';')[0] ?? '';
  assert.ok(cookie.startsWith('tl_client='), `the server issued no client cookie (got '${cookie}')`);
  return cookie;
}

async function runner(url: string): Promise<ServerRunner> {
  return createServerRunner({ url, EventSource, headers: { cookie: await newClientCookie(url) } });
}

/** One text fanned out to `branches` Clean → Pretokenize chains that share no result. */
function slowDoc(seed: string, bytes: number, branches: number): GraphDoc {
  const base = `${seed} Tokenizers cut text into pieces, naïve café 🙂 and ଓଡ଼ିଆ. `;
  const text = base.repeat(Math.ceil(bytes / base.length)).slice(0, bytes);
  const forms = ['NFC', 'NFKC', 'NFD', 'NFKD'] as const;
  const modes = ['bytelevel', 'gpt2', 'whitespace', 'bert'] as const;
  const doc: GraphDoc = { schemaVersion: 1, title: 'slow', nodes: [{ id: 'text', type: 'text', params: { text, origin: 'typed' }, position: { x: 0, y: 0 } }], edges: [] };
  for (let i = 0; i < branches; i++) {
    doc.nodes.push(
      { id: `clean-${i}`, type: 'clean', params: { form: forms[i % 4], lowercase: i >= 4 }, position: { x: 300, y: i * 100 } },
      { id: `pre-${i}`, type: 'pretokenize', params: { mode: modes[i % 4] }, position: { x: 600, y: i * 100 } },
    );
    doc.edges.push(
      { id: `e-text-${i}`, source: 'text', sourcePort: 'text', target: `clean-${i}`, targetPort: 'text' },
      { id: `e-clean-${i}`, source: `clean-${i}`, sourcePort: 'text', target: `pre-${i}`, targetPort: 'text' },
    );
  }
  return doc;
}

function waitFor(events: RunEvent[], test: (e: RunEvent) => boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (events.some(test)) return resolve();
      if (Date.now() > deadline) return reject(new Error(`no such event within ${ms} ms; saw ${events.map((e) => e.type).join(', ')}`));
      setTimeout(poll, 20);
    };
    poll();
  });
}

const isNode = (e: RunEvent, type: string, nodeId: string) => e.type === type && 'nodeId' in e && e.nodeId === nodeId;

export async function streamsEventsWhileTheRunGoesOn({ url }: ConformanceTarget): Promise<void> {
  const client = await runner(url);
  const events: RunEvent[] = [];
  const going = new AbortController();
  const run = client.runOnServer(slowDoc(`stream-${Date.now()}`, 1_000_000, 8), { onEvent: (e) => events.push(e), signal: going.signal });
  await waitFor(events, (e) => isNode(e, 'node:done', 'pre-0'));
  // A server that buffered the stream would deliver pre-0 only once the whole run was over.
  assert.equal(events.some((e) => e.type === 'run:done'), false, 'the first node arrived only with the end of the run');
  assert.deepEqual(events.slice(0, 2).map((e) => e.type), ['run:start', 'node:start']);
  going.abort();
  await run;
}

export async function cancelsByIdMidRun({ url }: ConformanceTarget): Promise<void> {
  const client = await runner(url);
  const events: RunEvent[] = [];
  const runId = `cancel-${Date.now()}`;
  const run = client.runOnServer(slowDoc(runId, 1_000_000, 8), { onEvent: (e) => events.push(e), runId });
  await waitFor(events, (e) => isNode(e, 'node:done', 'pre-0'));
  assert.equal(await client.cancelRun(runId), true);
  await run;
  const last = events.at(-1);
  assert.ok(last?.type === 'run:done' && last.cancelled, `the run ended with ${JSON.stringify(last)}`);
  assert.equal(events.some((e) => isNode(e, 'node:done', 'pre-7')), false, 'the run went on to its last node after being cancelled');
}

export async function freesTheSlotsOfAClientThatGoesAway({ url }: ConformanceTarget): Promise<void> {
  const client = await runner(url);
  const info = await client.serverInfo();
  const seed = `away-${Date.now()}`;
  const going = new AbortController();
  const started: RunEvent[][] = Array.from({ length: info.maxRunsPerClient }, () => []);
  const runs = started.map((events, i) =>
    client.runOnServer(slowDoc(`${seed}-${i}`, 2_000_000, 8), { onEvent: (e) => events.push(e), signal: going.signal }),
  );
  for (const events of started) await waitFor(events, (e) => e.type === 'node:start');
  going.abort();
  await Promise.all(runs);
  // The same client starts as many long runs again: refused while the old ones still hold its slots.
  // A leak holds them for good; a minute only allows for a machine with every core busy.
  const again = new AbortController();
  const deadline = Date.now() + 60_000;
  let accepted = false;
  let lastError: unknown;
  while (!accepted && Date.now() < deadline) {
    const fresh: RunEvent[][] = Array.from({ length: info.maxRunsPerClient }, () => []);
    const outcomes = fresh.map((events, i) =>
      client.runOnServer(slowDoc(`${seed}-again-${i}-${Date.now()}`, 2_000_000, 8), { onEvent: (e) => events.push(e), signal: again.signal }),
    );
    try {
      await Promise.race([
        Promise.all(fresh.map((events) => waitFor(events, (e) => e.type === 'run:start', 30_000))),
        Promise.all(outcomes).then(() => undefined),
      ]);
      accepted = fresh.every((events) => events.some((e) => e.type === 'run:start'));
    } catch (error) {
      lastError = error;
    }
    again.abort();
    await Promise.allSettled(outcomes);
    if (!accepted) await new Promise((r) => setTimeout(r, 250));
  }
  assert.ok(accepted, `the slots of the aborted runs were still taken a minute later (${String(lastError)})`);
}

export async function refusesAHugeBodyWith413({ url }: ConformanceTarget): Promise<void> {
  const doc = { schemaVersion: 1, title: 'Far too big', nodes: [{ id: 't', type: 'text', params: { text: 'a'.repeat(10_000_000) }, position: { x: 0, y: 0 } }], edges: [] };
  const response = await fetch(`${url}/graph.create`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ doc }) });
  assert.equal(response.status, 413);
  const body = (await response.json()) as { error: { message: string } };
  assert.match(body.error.message, /^This request is 10\.0 MB; the limit is 3 MB \(a graph may be at most 2 MB\)\.$/);
  const info = await fetch(`${url}/run.info`);
  assert.equal(info.status, 200, 'the server stopped serving after the refusal');
}

export async function refusesAHugeChunkedBody({ url }: ConformanceTarget): Promise<void> {
  const chunk = Buffer.alloc(256 * 1024, 'a');
  const { status } = await new Promise<{ status: number }>((resolve, reject) => {
    const req = http.request(`${url}/graph.create`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
    });
    // The server may answer and close before the whole body is sent.
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
    req.write('{"doc":{"schemaVersion":1,"title":"chunked","nodes":[],"edges":[],"pad":"');
    let sent = 0;
    const pump = () => {
      while (sent < 16) {
        sent += 1;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end('"}}');
    };
    pump();
  });
  assert.equal(status, 413);
  const info = await fetch(`${url}/run.info`);
  assert.equal(info.status, 200);
}

/** Every check, by the behaviour it pins. */
export const HTTP_CONFORMANCE: Record<string, (target: ConformanceTarget) => Promise<void>> = {
  'streams a run’s events while it goes on': streamsEventsWhileTheRunGoesOn,
  'cancels a run by its id mid-run': cancelsByIdMidRun,
  'frees the run slots of a client that goes away mid-run': freesTheSlotsOfAClientThatGoesAway,
  'refuses a 10 MB body with 413 and a sentence, and keeps serving': refusesAHugeBodyWith413,
  'refuses an oversized chunked body with 413, and keeps serving': refusesAHugeChunkedBody,
};

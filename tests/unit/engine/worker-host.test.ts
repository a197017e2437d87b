/**
 * The worker host as the canvas meets it: which batch an inspected node's result travels in,
 * whose run a batch belongs to, what a cancel reaches, and the sentences of an inspector's
 * question that cannot be answered.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineNode } from '@/nodes/engine/define-node';
import type { Registry } from '@/nodes/engine/validate';
import { createRunHost, type HostMessage } from '@/nodes/engine/worker-host';
import type { WireEvent } from '@/nodes/engine/view-diff';
import { graph, nodeResources, testRegistry, textChain } from './fixtures';

/** A test-only node kind that passes its text on (or fails), with an optional question. */
const textKind = (type: string, run: (input: { text: string }) => { text: string }, query?: (result: { outputs: { text: string } }, request: unknown) => unknown) =>
  defineNode({
    type,
    version: 1,
    title: type[0]!.toUpperCase() + type.slice(1),
    question: 'test',
    summary: 'test',
    category: 'text',
    inputs: { text: { kind: 'text', label: 'text' } },
    outputs: { text: { kind: 'text', label: 'text' } },
    params: z.object({}),
    run,
    view: () => null,
    query,
  });

const failing = textKind('failing', () => {
  throw new Error('This node always fails.');
});

/** Answers "length" with its text's length, refuses anything else by throwing. */
const asked = textKind(
  'asked',
  ({ text }) => ({ text }),
  ({ outputs }, request) => {
    if (request === 'length') return outputs.text.length;
    throw new Error('Ask for the length.');
  },
);

const registry: Registry = { ...testRegistry, failing, asked };

function host() {
  const messages: HostMessage[] = [];
  const runHost = createRunHost({ registry, where: 'browser', resources: nodeResources, post: (m) => messages.push(m) });
  const batches = (runId: number) => messages.flatMap((m) => (m.type === 'events' && m.runId === runId ? [m.events] : []));
  const label = (e: WireEvent) => `${e.type}${'nodeId' in e ? ` ${e.nodeId}` : ''}`;
  return { runHost, messages, batches, labels: (runId: number) => batches(runId).map((b) => b.map(label)) };
}

const chain = (text = 'Hello, world!') => textChain(text);

describe('worker host', () => {
  it("posts an inspected node's cached result, error or blocked state at once, in a batch of its own", async () => {
    const { runHost, labels } = host();
    await runHost.handle({ type: 'run', runId: 1, doc: chain() });
    await runHost.handle({ type: 'run', runId: 2, doc: chain(), focus: 'c' });
    expect(labels(2).map((b) => b.at(-1))).toEqual(['node:cached c', 'run:done']);

    const broken = graph(
      [
        ['t', 'text', { text: 'x' }],
        ['f', 'failing', {}],
        ['c', 'clean', {}],
        ['p', 'pretokenize', { mode: 'bytelevel' }],
      ],
      [
        ['t', 'f'],
        ['f', 'c'],
        ['c', 'p'],
      ],
    );
    await runHost.handle({ type: 'run', runId: 3, doc: broken, focus: 'f' });
    expect(labels(3).map((b) => b.at(-1))).toEqual(['node:error f', 'run:done']);
    await runHost.handle({ type: 'run', runId: 4, doc: broken, focus: 'c' });
    expect(labels(4).map((b) => b.at(-1))).toEqual(['node:blocked c', 'run:done']);
  });

  it('keeps each run in batches of its own when a new run starts before the last batch of the old one was posted', async () => {
    const { runHost, batches } = host();
    const first = runHost.handle({ type: 'run', runId: 1, doc: chain('first') });
    const second = runHost.handle({ type: 'run', runId: 2, doc: chain('second') });
    await Promise.all([first, second]);
    for (const runId of [1, 2]) {
      const events = batches(runId).flat();
      expect(events.filter((e) => e.type === 'run:start')).toHaveLength(1);
      expect(events.filter((e) => e.type === 'run:done')).toHaveLength(1);
    }
    expect(batches(2).flat()[0]?.type).toBe('run:start');
    expect(batches(2).flat().at(-1)).toMatchObject({ type: 'run:done', cancelled: false });
  });

  it('cancels the run going now when asked, also after an older run it replaced has ended', async () => {
    const { runHost, messages, batches } = host();
    const started = (runId: number) =>
      new Promise<void>((resolve) => {
        const check = () => (messages.some((m) => m.type === 'started' && m.runId === runId && m.nodeId === 's') ? resolve() : setTimeout(check, 1));
        check();
      });
    const slow = (steps: number) =>
      graph(
        [
          ['t', 'text', {}],
          ['s', 'slow', { steps }],
        ],
        [['t', 's']],
      );
    const first = runHost.handle({ type: 'run', runId: 1, doc: slow(100_000) });
    await started(1);
    const second = runHost.handle({ type: 'run', runId: 2, doc: slow(100_001) });
    await first;
    await started(2);
    // A cancel for the run that already ended reaches nothing.
    await runHost.handle({ type: 'cancel', runId: 1 });
    await runHost.handle({ type: 'cancel', runId: 2 });
    await second;
    expect(batches(1).flat().at(-1)).toMatchObject({ type: 'run:done', cancelled: true });
    expect(batches(2).flat().at(-1)).toMatchObject({ type: 'run:done', cancelled: true });
    expect(batches(2).flat().some((e) => e.type === 'node:done' && e.nodeId === 's')).toBe(false);
  });

  it('stamps each batch with the time it was posted, on the clock the page reads', async () => {
    const { runHost, messages } = host();
    const before = Date.now();
    await runHost.handle({ type: 'run', runId: 1, doc: chain() });
    const after = Date.now();
    const stamps = messages.flatMap((m) => (m.type === 'events' ? [m.postedAt] : []));
    expect(stamps.length).toBeGreaterThan(0);
    for (const stamp of stamps) {
      expect(typeof stamp).toBe('number');
      expect(stamp).toBeGreaterThanOrEqual(before - 1);
      expect(stamp).toBeLessThanOrEqual(after + 1);
    }
  });

  it("answers an inspector's question from the held result, and says in a sentence why it cannot", async () => {
    const { runHost, messages } = host();
    const doc = graph(
      [
        ['t', 'text', { text: 'ଓଡ଼ିଆ' }],
        ['a', 'asked', {}],
      ],
      [['t', 'a']],
    );
    await runHost.handle({ type: 'run', runId: 1, doc });
    const key = messages
      .flatMap((m) => (m.type === 'events' ? m.events : []))
      .flatMap((e) => (e.type === 'node:done' && e.nodeId === 'a' ? [e.key] : []))[0]!;
    const textKey = messages
      .flatMap((m) => (m.type === 'events' ? m.events : []))
      .flatMap((e) => (e.type === 'node:done' && e.nodeId === 't' ? [e.key] : []))[0]!;
    const ask = async (requestId: number, nodeType: string, k: string, request: unknown) => {
      await runHost.handle({ type: 'query', requestId, nodeType, key: k, request });
      return messages.find((m) => m.type === 'query-result' && m.requestId === requestId);
    };
    expect(await ask(1, 'asked', key, 'length')).toEqual({ type: 'query-result', requestId: 1, ok: true, result: 'ଓଡ଼ିଆ'.length });
    expect(await ask(2, 'asked', key, 'width')).toEqual({ type: 'query-result', requestId: 2, ok: false, message: 'Ask for the length.' });
    expect(await ask(3, 'text', textKey, 'length')).toEqual({ type: 'query-result', requestId: 3, ok: false, message: 'Text answers no questions.' });
    expect(await ask(4, 'no-such-kind', key, 'length')).toEqual({ type: 'query-result', requestId: 4, ok: false, message: 'no-such-kind answers no questions.' });
    expect(await ask(5, 'asked', 'a-key-never-made', 'length')).toEqual({
      type: 'query-result',
      requestId: 5,
      ok: false,
      message: 'That result is no longer held; it will be recomputed on the next run.',
    });
    // Once the cache is cleared the result is gone, and the next run computes it again.
    await runHost.handle({ type: 'clear-cache' });
    expect(await ask(6, 'asked', key, 'length')).toMatchObject({ ok: false, message: 'That result is no longer held; it will be recomputed on the next run.' });
    messages.length = 0;
    await runHost.handle({ type: 'run', runId: 2, doc });
    const events = messages.flatMap((m) => (m.type === 'events' ? m.events : []));
    expect(events.filter((e) => e.type === 'node:cached')).toEqual([]);
    expect(events.filter((e) => e.type === 'node:done')).toHaveLength(2);
  });
});

/**
 * The run stream's waits (server/run/stream-wait.ts): `gatherFor` holds a batching stream for
 * BATCH_WINDOW_MS after news so later events go in the same message, but never holds back a
 * run's end or outlives an abort. Fake timers: the window is asserted by the clock, not by sleeping.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunEvent } from '@/nodes/engine/executor';
import { BATCH_WINDOW_MS, gatherFor, nextChange, type WaitableExecution } from '@/server/run/stream-wait';

function execution(): WaitableExecution & { push(event: RunEvent): void; finish(): void } {
  const e = {
    events: [] as RunEvent[],
    finished: false,
    wake: new Set<() => void>(),
    push(event: RunEvent) {
      e.events.push(event);
      for (const wake of [...e.wake]) wake();
    },
    finish() {
      e.finished = true;
      for (const wake of [...e.wake]) wake();
    },
  };
  return e;
}

/** Whether `promise` has settled by now (after the microtasks queued so far). */
async function settled(promise: Promise<void>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await Promise.resolve();
  await Promise.resolve();
  return done;
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('gathering a run stream’s events', () => {
  it('waits the whole window while node events keep coming, then lets them go together', async () => {
    const run = execution();
    const wait = gatherFor(run, [], BATCH_WINDOW_MS);
    run.push({ type: 'node:start', nodeId: 'a' });
    vi.advanceTimersByTime(BATCH_WINDOW_MS - 1);
    run.push({ type: 'node:start', nodeId: 'b' });
    expect(await settled(wait)).toBe(false);
    vi.advanceTimersByTime(1);
    expect(await settled(wait)).toBe(true);
    expect(run.wake.size).toBe(0); // nothing of the wait stays registered
  });

  it('ends at once on run:done or when the execution finishes, not after the window', async () => {
    const run = execution();
    const byDone = gatherFor(run, [], 60_000);
    run.push({ type: 'run:done', ms: 1, cancelled: false });
    expect(await settled(byDone)).toBe(true);

    const other = execution();
    const byFinish = gatherFor(other, [], 60_000);
    expect(await settled(byFinish)).toBe(false);
    other.finish();
    expect(await settled(byFinish)).toBe(true);
  });

  it('does not wait at all when the run already ended or a signal already aborted', async () => {
    const ended = execution();
    ended.events.push({ type: 'run:done', ms: 1, cancelled: true });
    expect(await settled(gatherFor(ended, [], 60_000))).toBe(true);
    expect(await settled(gatherFor(execution(), [AbortSignal.abort()], 60_000))).toBe(true);
  });

  it('stops waiting when the stream is closed or cancelled mid-window, and unhooks itself', async () => {
    const run = execution();
    const closed = new AbortController();
    const wait = gatherFor(run, [new AbortController().signal, closed.signal], 60_000);
    expect(await settled(wait)).toBe(false);
    closed.abort();
    expect(await settled(wait)).toBe(true);
    expect(run.wake.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('nextChange resolves on the next event and unhooks itself', async () => {
    const run = execution();
    const wait = nextChange(run, []);
    expect(await settled(wait)).toBe(false);
    run.push({ type: 'node:start', nodeId: 'a' });
    expect(await settled(wait)).toBe(true);
    expect(run.wake.size).toBe(0);
  });
});

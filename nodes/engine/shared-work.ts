/**
 * Long work shared across runs. Typing re-runs the graph and cancels the stale run, but a long
 * step whose own inputs did not change (training BPE on a corpus while the user edits the
 * sentence it encodes) should not start over. Work registered here by a key of exactly what it
 * depends on keeps going while any run waits for it, reports progress to every waiting run, is
 * aborted only when no run has wanted it for a short grace period, and its last few results are
 * remembered.
 *
 *   const trained = await shareWork(`bpe:${fingerprint(corpus)}:${vocabSize}`, ctx, ({ checkpoint, progress }) =>
 *     trainBpe(corpus, params, { checkpoint, progress }));
 *
 * Not handled here: persistence, work in other threads or processes (each realm has its own).
 */
import type { RunContext } from './define-node';
import { AbortError, yieldToEventLoop } from './executor';

export interface WorkHooks {
  signal: AbortSignal;
  /** Throws once nobody wants the work; yields to the event loop now and then. */
  checkpoint(): Promise<void>;
  progress(fraction: number, message?: string, data?: unknown): void;
}

interface Entry {
  promise: Promise<unknown>;
  controller: AbortController;
  waiters: number;
  listeners: Set<RunContext['progress']>;
}

const running = new Map<string, Entry>();
const done = new Map<string, unknown>();
const REMEMBERED = 4;
const GRACE_MS = 400;

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

function remember(key: string, value: unknown) {
  done.delete(key);
  done.set(key, value);
  while (done.size > REMEMBERED) done.delete(done.keys().next().value!);
}

export function shareWork<T>(key: string, ctx: Pick<RunContext, 'signal' | 'progress'>, work: (hooks: WorkHooks) => Promise<T>): Promise<T> {
  if (done.has(key)) {
    const value = done.get(key) as T;
    remember(key, value);
    return Promise.resolve(value);
  }
  let entry = running.get(key);
  // Work already told to stop is not joined: it ends at its next checkpoint, and this run starts
  // it again (a training then resumes from the checkpoint the stopped one left).
  if (!entry || entry.controller.signal.aborted) {
    const controller = new AbortController();
    const listeners = new Set<RunContext['progress']>();
    let lastYield = now();
    const hooks: WorkHooks = {
      signal: controller.signal,
      checkpoint: async () => {
        if (controller.signal.aborted) throw new AbortError();
        if (now() - lastYield > 12) {
          await yieldToEventLoop();
          lastYield = now();
          if (controller.signal.aborted) throw new AbortError();
        }
      },
      progress: (fraction, message, data) => listeners.forEach((listener) => listener(fraction, message, data)),
    };
    const promise = work(hooks).then((value) => {
      remember(key, value);
      return value;
    });
    const created: Entry = { promise, controller, waiters: 0, listeners };
    promise.then(
      () => running.get(key) === created && running.delete(key),
      () => running.get(key) === created && running.delete(key),
    );
    running.set(key, created);
    entry = created;
  }
  const joined = entry;
  joined.waiters++;
  joined.listeners.add(ctx.progress);
  return new Promise<T>((resolve, reject) => {
    let left = false;
    const leave = () => {
      if (left) return;
      left = true;
      joined.waiters--;
      joined.listeners.delete(ctx.progress);
      ctx.signal.removeEventListener('abort', onAbort);
      if (joined.waiters === 0) {
        // The next run usually arrives within milliseconds and wants the same work.
        setTimeout(() => joined.waiters === 0 && joined.controller.abort(), GRACE_MS);
      }
    };
    const onAbort = () => {
      leave();
      reject(new AbortError());
    };
    if (ctx.signal.aborted) return onAbort();
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    joined.promise.then(
      (value) => {
        leave();
        resolve(value as T);
      },
      (error: unknown) => {
        leave();
        reject(error);
      },
    );
  });
}

/** Keys of the work still running (stopped work counts until it has reached its checkpoint). */
export function runningWork(): string[] {
  return [...running.keys()];
}

/**
 * A fast fingerprint of a long string (two FNV-1a passes, 64 bits), for work keys: hashing a
 * 5 MB corpus this way costs milliseconds, not the tens a cryptographic hash would.
 */
export function fingerprint(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return `${text.length.toString(36)}-${(a >>> 0).toString(36)}-${(b >>> 0).toString(36)}`;
}

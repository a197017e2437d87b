'use client';
/**
 * Owns the engine's Web Worker: posts the graph whenever an edit changes what it computes and
 * feeds the streamed events back into the store. Events of stale runs are dropped; the worker
 * cancels a stale run itself when the next one arrives. `stop()` is the hard stop: it
 * terminates the worker (and its cache) and starts a fresh one.
 */
import { useCallback, useEffect, useRef } from 'react';
import type { HostMessage, HostRequest } from '@/nodes/engine/worker-host';
import { useLab } from './store';
import { queryServerNode, runOnServer } from './server-runner';
import { describeApiError } from './api-client';

/** Pending inspector questions, by request id, answered by the worker ('query-result'). */
const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
let nextRequestId = 0;
let activeWorker: Worker | null = null;

/**
 * Ask the engine about a node's result where it lives (a vocabulary page, a search), by the
 * result's recipe key. Rejects with a readable message.
 */
export function queryEngine(nodeType: string, key: string, request: unknown): Promise<unknown> {
  if (useLab.getState().run.where === 'server') return queryServerNode(nodeType, key, request);
  const worker = activeWorker;
  if (!worker) return Promise.reject(new Error('The engine is not running.'));
  const requestId = ++nextRequestId;
  return new Promise((resolve, reject) => {
    pending.set(requestId, { resolve, reject });
    worker.postMessage({ type: 'query', requestId, nodeType, key, request } satisfies HostRequest);
  });
}

function spawn(): Worker {
  return new Worker(new URL('../../nodes/engine/browser-worker.ts', import.meta.url), { type: 'module' });
}

export function useEngine() {
  const worker = useRef<Worker | null>(null);
  const runId = useRef(0);

  const post = useCallback((request: HostRequest) => worker.current?.postMessage(request), []);

  const serverRun = useRef<AbortController | null>(null);

  const runNow = useCallback(() => {
    runId.current += 1;
    const id = runId.current;
    const lab = useLab.getState();
    serverRun.current?.abort();
    serverRun.current = null;
    if (lab.run.where === 'browser') {
      post({ type: 'run', runId: id, doc: lab.doc() });
      return;
    }
    // On the server: the same events over a stream; a newer run closes the stale stream,
    // which cancels it on the server.
    if (activeWorker) post({ type: 'cancel', runId: id - 1 });
    const controller = new AbortController();
    serverRun.current = controller;
    runOnServer(lab.doc(), {
      signal: controller.signal,
      onEvent: (event) => {
        if (runId.current === id) useLab.getState().applyRunEvent(event);
      },
    }).catch((error: unknown) => {
      if (runId.current !== id) return;
      const state = useLab.getState();
      state.applyRunEvent({ type: 'run:done', ms: 0, cancelled: true });
      state.showToast(`The server could not run this graph: ${describeApiError(error)} Switch to Browser to run it here.`);
    });
  }, [post]);

  const attach = useCallback(() => {
    const w = spawn();
    activeWorker = w;
    w.onmessage = (event: MessageEvent<HostMessage>) => {
      const message = event.data;
      if (message.type === 'event' && message.runId === runId.current) useLab.getState().applyRunEvents([message.event]);
      if (message.type === 'events' && message.runId === runId.current) useLab.getState().applyRunEvents(message.events);
      if (message.type === 'query-result') {
        const waiter = pending.get(message.requestId);
        pending.delete(message.requestId);
        if (message.ok) waiter?.resolve(message.result);
        else waiter?.reject(new Error(message.message));
      }
    };
    w.onerror = (event) => {
      useLab.getState().showToast(`The engine stopped unexpectedly: ${event.message || 'unknown error'}. It has been restarted.`);
      w.terminate();
      worker.current = attach();
      runNow();
    };
    return w;
  }, [runNow]);

  useEffect(() => {
    worker.current = attach();
    runNow();
    let scheduled = false;
    const unsubscribe = useLab.subscribe((state, previous) => {
      if (state.revision === previous.revision || scheduled) return;
      // Several edits in one task (a paste, an undo) make one run.
      scheduled = true;
      queueMicrotask(() => {
        scheduled = false;
        runNow();
      });
    });
    return () => {
      unsubscribe();
      worker.current?.terminate();
      worker.current = null;
    };
  }, [attach, runNow]);

  const stop = useCallback(() => {
    serverRun.current?.abort();
    serverRun.current = null;
    worker.current?.terminate();
    worker.current = attach();
    const lab = useLab.getState();
    lab.applyRunEvent({ type: 'run:done', ms: 0, cancelled: true });
    for (const [id, r] of Object.entries(lab.runtime)) {
      if (r.status === 'running') useLab.setState((s) => ({ runtime: { ...s.runtime, [id]: { status: 'idle' } } }));
    }
    lab.showToast('Stopped. Edit the graph or press Run to compute again.', 'info');
  }, [attach]);

  return { stop, rerun: runNow };
}

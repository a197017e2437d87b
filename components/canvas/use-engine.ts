'use client';
/**
 * Owns the engine's Web Worker: posts the graph whenever an edit changes what it computes and
 * feeds the streamed events back into the store. Events of stale runs are dropped; the worker
 * cancels a stale run itself when the next one arrives. `stop()` is the hard stop: it
 * terminates the worker (and its cache) and starts a fresh one.
 *
 * The watchdog: the worker says at once which node started (an unbatched 'started' message),
 * so even a node that blocks the worker's thread for good is seen from here. A node running
 * for over WATCH_AFTER_MS shows Running, its elapsed time and a Stop button. While a run is in
 * flight the worker also says it is alive every ALIVE_EVERY_MS; when it has been silent for
 * longer than the run budget (a setting, default 30 s), its thread is held by a node that does
 * not yield, so the worker is replaced and the node marked "stopped after N s". A node that
 * has reported progress in this run (training, a model download) is long work by design, whose
 * single steps may be slow on a busy machine: it keeps running, and Stop is there for it. The graph itself lives in the page's store, so nothing the user typed is lost, and
 * the next edit runs again on the fresh worker.
 *
 * Not handled here: server runs (the server enforces its own limits); an inspector's questions
 * and local corpus files, which go to the current worker through engine-channel.ts.
 */
import { useCallback, useEffect, useRef } from 'react';
import type { RunEvent } from '@/nodes/engine/executor';
import type { HostMessage, HostRequest } from '@/nodes/engine/worker-host';
import type { LocalCorpusMessage } from '@/nodes/shared/corpus-file';
import { RUN_BUDGET_KEY, markStopped, useLab, type NodeRuntime } from './store';
import { runOnServer } from './server-runner';
import { answerFromWorker, attachWorker } from './engine-channel';
import { describeApiError } from '@/trpc/client';
import { ALIVE_EVERY_MS } from '@/nodes/engine/worker-host';
import { createViewReceiver } from '@/nodes/engine/view-diff';
import { withBrowserBackend } from '@/nodes/transformer/model-choice';
import { browserBackend, onBrowserBackendChange } from '@/components/ui/browser-backend';

/** A node running longer than this gets the Running badge, its elapsed time and Stop. */
const WATCH_AFTER_MS = 1000;
const WATCH_EVERY_MS = 250;

function spawn(): Worker {
  return new Worker(new URL('../../nodes/worker.ts', import.meta.url), { type: 'module' });
}

export function useEngine() {
  const worker = useRef<Worker | null>(null);
  const runId = useRef(0);

  const post = useCallback((request: HostRequest) => worker.current?.postMessage(request), []);

  const serverRun = useRef<AbortController | null>(null);
  /** Nodes that started in the worker and have not finished, with their start time. Kept across
   *  a newer run's post (a node that blocks the worker never sees that run), cleared when the
   *  worker finishes the current run. */
  const inFlight = useRef(new Map<string, number>());
  /** Whether the worker owes us the current run's end. */
  const busy = useRef(false);
  /** When the worker last said anything while busy (Date.now()). */
  const lastHeard = useRef(Date.now());
  /** Nodes that reported progress since the worker was last idle: cooperative long work. */
  const progressed = useRef(new Set<string>());

  const runNow = useCallback(() => {
    runId.current += 1;
    const id = runId.current;
    const lab = useLab.getState();
    serverRun.current?.abort();
    serverRun.current = null;
    if (lab.run.where === 'browser') {
      // Typing into a stuck worker must not keep resetting its silence.
      if (!busy.current) lastHeard.current = Date.now();
      busy.current = true;
      // Model nodes on Auto take this browser's backend override (not part of the shared graph).
      post({ type: 'run', runId: id, doc: withBrowserBackend(lab.doc(), browserBackend()), focus: lab.inspected });
      return;
    }
    busy.current = false;
    inFlight.current.clear();
    // On the server: the same events over a stream; a newer run closes the stale stream,
    // which cancels it on the server.
    post({ type: 'cancel', runId: id - 1 });
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

  /** Apply a batch of the current run's events, and forget the nodes it finished. */
  const settle = useCallback((events: readonly RunEvent[]) => {
    for (const e of events) {
      if (e.type === 'node:progress') progressed.current.add(e.nodeId);
      if (e.type === 'run:done') {
        busy.current = false;
        inFlight.current.clear();
        progressed.current.clear();
      } else if (e.type !== 'run:start' && e.type !== 'node:start' && e.type !== 'node:progress') inFlight.current.delete(e.nodeId);
    }
    useLab.getState().applyRunEvents(events);
    // A node that reports progress is long work: it gets its elapsed time and Stop with its first
    // progress line, not only once the watchdog's second has passed.
    const reporting = new Set(events.flatMap((e) => (e.type === 'node:progress' && inFlight.current.has(e.nodeId) ? [e.nodeId] : [])));
    const runtime = useLab.getState().runtime;
    const unwatched = [...reporting].filter((id) => runtime[id]?.status === 'running' && runtime[id].startedAt === undefined);
    if (unwatched.length > 0) {
      useLab.setState((s) => {
        const next = { ...s.runtime };
        for (const id of unwatched) next[id] = { ...(s.runtime[id] as NodeRuntime), startedAt: inFlight.current.get(id) };
        return { runtime: next };
      });
    }
  }, []);

  const attach = useCallback(() => {
    const w = spawn();
    // Views arrive as patches on the last one this worker sent: every batch is decoded, a stale
    // run's too, so the page holds what the worker thinks it holds (view-diff.ts).
    const views = createViewReceiver();
    w.onmessage = (event: MessageEvent<HostMessage | LocalCorpusMessage>) => {
      const message = event.data;
      lastHeard.current = Date.now();
      if (message.type === 'started' && message.runId === runId.current) inFlight.current.set(message.nodeId, Date.now());
      if (message.type === 'event' && message.runId === runId.current) settle([message.event]);
      if (message.type === 'events') {
        const events = message.events.map((e) => views.decode(e));
        if (message.runId === runId.current) settle(events);
      }
      answerFromWorker(message);
    };
    attachWorker(w);
    w.onerror = (event) => {
      useLab.getState().showToast(`The engine stopped unexpectedly: ${event.message || 'unknown error'}. It has been restarted.`);
      w.terminate();
      worker.current = attach();
      runNow();
    };
    return w;
  }, [runNow, settle]);

  useEffect(() => {
    worker.current = attach();
    runNow();
    // In the browser the first edit of a task is posted at once, before React renders it: a
    // keystroke in a controlled text box is rendered synchronously at the end of its event, and
    // the worker computes meanwhile instead of after. Further edits in the same task (a paste or
    // an undo that sets several things) make one more run at the end of the task, which cancels
    // the first in the worker. A server run is a request that holds one of the client's run
    // slots, so there the edits of a task always make one run, at its end.
    let scheduled = false;
    let again = false;
    const unsubscribe = useLab.subscribe((state, previous) => {
      if (state.revision === previous.revision) return;
      // A new title or lesson is an edit, but computes nothing new.
      if (state.nodes === previous.nodes && state.edges === previous.edges && state.run === previous.run) return;
      if (scheduled) {
        again = true;
        return;
      }
      scheduled = true;
      const now = state.run.where === 'browser' && previous.run.where === 'browser';
      again = !now;
      if (now) runNow();
      queueMicrotask(() => {
        scheduled = false;
        if (!again) return;
        again = false;
        runNow();
      });
    });
    const offBackend = onBrowserBackendChange(runNow);
    return () => {
      unsubscribe();
      offBackend();
      worker.current?.terminate();
      worker.current = null;
    };
  }, [attach, runNow]);

  /**
   * The hard stop: replace the worker. Nodes that were running are marked stopped, with the
   * reason; the graph and its cached results on the page stay.
   */
  const stopWith = useCallback(
    (reason: 'pressed' | 'budget') => {
      serverRun.current?.abort();
      serverRun.current = null;
      worker.current?.terminate();
      worker.current = attach();
      const lab = useLab.getState();
      const now = Date.now();
      const started = new Map(inFlight.current);
      inFlight.current.clear();
      progressed.current.clear();
      busy.current = false;
      lab.applyRunEvent({ type: 'run:done', ms: 0, cancelled: true });
      const why = reason === 'budget' ? `it held the engine for over ${lab.runBudgetS} s without yielding` : 'you pressed Stop';
      useLab.setState((s) => ({ runtime: markStopped(s, started, now, why) }));
      lab.showToast(
        reason === 'pressed'
          ? 'Stopped. Press Run again, or edit the graph, to compute again.'
          : started.size > 0
            ? `A node held the engine for over ${lab.runBudgetS} s and was stopped; the engine was restarted. Your graph is as you left it.`
            : `The engine did not answer for over ${lab.runBudgetS} s and was restarted. Your graph is as you left it: edit it to run again.`,
        'info',
      );
    },
    [attach],
  );
  /**
   * Stop pressed while every running node is cooperative (it reports progress, so it checks for
   * cancellation between steps): cancel the run instead of replacing the worker, so what those
   * nodes keep in the worker survives. A stopped training then continues from the step it reached
   * on the next run. The run's late events are ignored (a new run id); a worker that does not end
   * the run is caught by the watchdog as before.
   */
  const softStop = useCallback(() => {
    post({ type: 'cancel', runId: runId.current });
    runId.current += 1;
    const now = Date.now();
    const started = new Map(inFlight.current);
    inFlight.current.clear();
    progressed.current.clear();
    busy.current = false;
    const lab = useLab.getState();
    lab.applyRunEvent({ type: 'run:done', ms: 0, cancelled: true });
    useLab.setState((s) => ({ runtime: markStopped(s, started, now, 'you pressed Stop') }));
    lab.showToast('Stopped. Press Run again, or edit the graph: a model in training continues from the step it reached.', 'info');
  }, [post]);

  const stop = useCallback(() => {
    const cooperative = busy.current && inFlight.current.size > 0 && [...inFlight.current.keys()].every((id) => progressed.current.has(id));
    if (useLab.getState().run.where === 'browser' && cooperative) softStop();
    else stopWith('pressed');
  }, [softStop, stopWith]);

  // The watchdog: show long-running nodes as running (with elapsed time and Stop), and stop a
  // run past its budget.
  useEffect(() => {
    try {
      const stored = Number(localStorage.getItem(RUN_BUDGET_KEY));
      if (stored > 0) useLab.getState().setRunBudget(stored);
    } catch {
      // No storage: the default budget.
    }
    useLab.setState({ requestStop: stop });
    const timer = setInterval(() => {
      const lab = useLab.getState();
      if (lab.run.where !== 'browser' || !busy.current) return;
      const now = Date.now();
      const longRunning: [string, number][] = [];
      for (const [id, since] of inFlight.current) {
        if (now - since >= WATCH_AFTER_MS && lab.runtime[id]?.startedAt === undefined) longRunning.push([id, since]);
      }
      // A node that reported progress is cooperative long work whose single steps may be slow on
      // a busy machine: it keeps its Stop button but is not stopped for being quiet.
      const silent = busy.current && now - lastHeard.current > Math.max(lab.runBudgetS * 1000, 4 * ALIVE_EVERY_MS);
      const cooperative = inFlight.current.size > 0 && [...inFlight.current.keys()].every((id) => progressed.current.has(id));
      if (silent && !cooperative) {
        stopWith('budget');
        return;
      }
      if (longRunning.length === 0) return;
      useLab.setState((s) => {
        const runtime = { ...s.runtime };
        for (const [id, since] of longRunning) runtime[id] = { ...s.runtime[id], status: 'running', startedAt: since };
        return { runtime, run: { ...s.run, running: true } };
      });
    }, WATCH_EVERY_MS);
    return () => {
      clearInterval(timer);
      useLab.setState({ requestStop: null });
    };
  }, [stop, stopWith]);

  return { stop, rerun: runNow };
}

/**
 * The queue RunEngine (used with DATABASE_URL): a web instance enqueues each run as a pg-boss
 * job and relays the events a worker (worker.ts, `npm run worker`, on any machine) streams back
 * over notify-channel.ts, so the run manager, the tRPC subscription and the browser see exactly
 * what the local engine processes give them.
 *
 * - Attempts. Messages carry pg-boss's retryCount; those of an older attempt are dropped. When a
 *   worker dies mid-run, pg-boss puts the job back (run-queue.ts) and this instance sees it (a
 *   job check every JOB_CHECK_MS on runs quiet for QUIET_MS): each node of the run gets a
 *   `node:progress` "Restarted on another worker …", then the next attempt's events follow
 *   from its own run:start. A job that failed after its retry ends the run with TWO_WORKERS.
 * - Stops. The run's signal (a cancel, the time limit, the stream closed) sends `cancel` to every
 *   worker (the one holding the job stops it) and cancels the job in pg-boss, so a job not yet
 *   taken is never taken. A worker that does not answer within the grace ends the run here.
 * - A cancel that reached another web instance than the run's stream (no sticky session) is sent
 *   to the instances holding a run slot of that client (run_lease, admission.ts), each on its own
 *   channel; each answers yes or no (the holder checks the token), so a refusal is as quick as a
 *   cancel, and the wait (PEER_CANCEL_MS) only bounds an instance that died with a slot.
 * - Lookups go to the worker that computed the key (remembered from the events relayed here),
 *   else to every worker; the first that holds it answers.
 * - Losing the listening connection loses messages, so the runs relayed at that moment end with
 *   LISTEN_LOST (their workers stop them when they see the cancel).
 *
 * Not handled here: admission and limits (run-manager.ts, admission.ts), executing (worker.ts).
 */
import { randomUUID } from 'node:crypto';
import type { RunEvent } from '@/nodes/engine/executor';
import type { EngineRunOptions, RunEngine } from '@/server/run/engine';
import type { RunLimits } from '@/server/run/limits';
import { MISSING_RESULT, type CacheLookup, type LookupAnswer } from '@/server/run/lookup';
import { EngineProcessError } from '@/server/run/process-engine';
import { createNotifyChannel } from '@/server/run/queue/notify-channel';
import {
  openRunQueue,
  RUN_QUEUE,
  webChannel,
  WEB_INSTANCE,
  WORKER_INSTANCE,
  WORKER_SEEN_MS,
  workerChannel,
  WORKERS_CHANNEL,
  type PeerMessage,
  type RunJob,
  type WebMessage,
  type WorkerMessage,
} from '@/server/run/queue/run-queue';

const JOB_CHECK_MS = 1000;
const QUIET_MS = 1500;
const ASK_NAMED_MS = 5000;
const ASK_ALL_MS = 1500;
const KEY_WORKERS_MAX = 100_000;
const WORKERS_REFRESH_MS = 5000;

export const RESTARTED = 'Restarted on another worker: the server that was running this graph stopped.';
export const TWO_WORKERS =
  'This run stopped two workers in turn (each ended while running it), so it was not tried again. Use a smaller text, or run it in the browser.';
export const LISTEN_LOST = 'The server lost its connection to the database while relaying this run; run it again.';

interface Watch {
  onEvent: (event: RunEvent) => void;
  onStarted?: () => void;
  attempt: number;
  worker?: string;
  order: string[];
  restartShown: boolean;
  sawDone: boolean;
  lastHeard: number;
  completedSeen: boolean;
  finish: (error?: EngineProcessError) => void;
}

export interface QueueWorkerSeen {
  id: string;
  host: string;
  pid: number;
  concurrency: number;
  active: number;
  seenSecondsAgo: number;
}

export interface QueueEngine extends RunEngine {
  health(): Promise<{ queued: number; active: number; workers: QueueWorkerSeen[] }>;
  /**
   * Ask the web instances `holders` (ids, as in run_lease) to cancel a run this one does not hold
   * (the cancel request reached another instance than the run's stream); true when one stopped
   * it, false once all said no or PEER_CANCEL_MS passed.
   */
  cancelElsewhere(holders: string[], client: string, runId: string, cancelToken: string): Promise<boolean>;
  /** How this instance answers such a request: its run manager's own cancel. */
  onPeerCancel(handler: (client: string, runId: string, cancelToken: string) => boolean): void;
}

/**
 * How long an asked instance may take to answer a cancel. Each live one answers, at once unless
 * its main thread is busy (seconds under load), so this bounds only an instance that died.
 */
const PEER_CANCEL_MS = 10_000;

/** `instance`: this web instance's id, the one its run slots carry in run_lease. */
export async function createQueueEngine(url: string, limits: RunLimits, instance: string = randomUUID()): Promise<QueueEngine> {
  const replyTo = webChannel(instance);
  const channel = createNotifyChannel(url, WEB_INSTANCE);
  const boss = await openRunQueue(url, 'web', limits.maxRunMs);
  const watches = new Map<string, Watch>();
  const asks = new Map<string, (answer: LookupAnswer) => void>();
  const keyWorkers = new Map<string, string>();
  let workersSeen: QueueWorkerSeen[] = [];

  const toWorkers = (message: WebMessage, worker?: string) =>
    channel.send(worker ? workerChannel(worker) : WORKERS_CHANNEL, message).catch(() => undefined);

  function showRestart(watch: Watch) {
    if (watch.restartShown) return;
    watch.restartShown = true;
    for (const nodeId of watch.order) watch.onEvent({ type: 'node:progress', nodeId, fraction: 0, message: RESTARTED });
  }

  let peerCancel: (client: string, runId: string, cancelToken: string) => boolean = () => false;
  const peerAsks = new Map<string, (cancelled: boolean) => void>();

  function onMessage(raw: unknown) {
    const message = raw as WorkerMessage | PeerMessage;
    if (message.type === 'cancel-reply') return peerAsks.get(message.askId)?.(message.cancelled);
    if (message.type === 'cancel-run') {
      // Asked by another instance; the token check is the run manager's (timing-safe, per client).
      const cancelled = peerCancel(message.client, message.runId, message.cancelToken);
      const reply: PeerMessage = { type: 'cancel-reply', askId: message.askId, cancelled };
      return void channel.send(message.replyTo, reply).catch(() => undefined);
    }
    if (message.type === 'answer') return asks.get(message.askId)?.(message.answer);
    const watch = watches.get(message.jobId);
    if (!watch || message.attempt < watch.attempt) return;
    watch.lastHeard = Date.now();
    if (message.type === 'started') {
      if (watch.attempt >= 0 && message.attempt > watch.attempt) showRestart(watch);
      watch.attempt = message.attempt;
      watch.worker = message.worker;
      watch.restartShown = false;
      watch.sawDone = false;
      watch.onStarted?.();
      return;
    }
    if (message.attempt !== watch.attempt) return;
    if (message.type === 'events') {
      for (const event of message.events) {
        if (event.type === 'run:start') watch.order = event.order;
        if ((event.type === 'node:done' || event.type === 'node:cached') && watch.worker) {
          keyWorkers.delete(event.key);
          keyWorkers.set(event.key, watch.worker);
          if (keyWorkers.size > KEY_WORKERS_MAX) keyWorkers.delete(keyWorkers.keys().next().value!);
        }
        if (event.type === 'run:done') watch.sawDone = true;
        watch.onEvent(event);
      }
      return;
    }
    watch.finish(message.error ? new EngineProcessError(message.error.message, message.error.reason) : undefined);
  }

  await channel.listen(replyTo, onMessage);
  channel.onConnection((up) => {
    if (up) return;
    for (const watch of watches.values()) watch.finish(new EngineProcessError(LISTEN_LOST, 'failed'));
  });

  /**
   * The state of every quiet run's job in one query, read from pg-boss's job table (its SQL is
   * documented for other runtimes): state and retry count only, since findJobs would fetch each
   * job's graph (megabytes for a training corpus) every second.
   */
  let checking = false;
  async function checkJobs() {
    const now = Date.now();
    const quiet = [...watches].filter(([, w]) => now - w.lastHeard >= QUIET_MS).map(([jobId]) => jobId);
    if (quiet.length === 0 || checking) return;
    checking = true;
    const { rows } = await boss
      .getDb()
      .executeSql(`SELECT id::text AS id, state::text AS state, retry_count AS "retryCount" FROM pgboss.job WHERE name = $1 AND id = ANY($2::uuid[])`, [
        RUN_QUEUE,
        quiet,
      ])
      .catch(() => ({ rows: [] as unknown[] }))
      .finally(() => (checking = false));
    for (const job of rows as { id: string; state: string; retryCount: number }[]) {
      const watch = watches.get(job.id);
      if (!watch) continue;
      if (job.state === 'retry' || (job.state === 'active' && job.retryCount > watch.attempt && watch.attempt >= 0)) showRestart(watch);
      else if (job.state === 'failed') watch.finish(new EngineProcessError(job.retryCount >= 1 ? TWO_WORKERS : LISTEN_LOST, 'crashed'));
      else if (job.state === 'cancelled') watch.finish();
      else if (job.state === 'completed') {
        // Its `ended` message is sent before the job completes; not seen one check later, it was lost.
        if (watch.completedSeen) watch.finish(new EngineProcessError(LISTEN_LOST, 'failed'));
        watch.completedSeen = true;
      }
    }
  }
  const checker = setInterval(() => void checkJobs(), JOB_CHECK_MS);
  checker.unref();

  async function refreshWorkers() {
    const instances = await boss.getInstances().catch(() => null);
    if (!instances) return;
    const now = Date.now();
    workersSeen = instances
      .filter((i) => i.name === WORKER_INSTANCE && !i.stoppedOn && i.heartbeatOn && now - new Date(i.heartbeatOn).getTime() < WORKER_SEEN_MS)
      .map((i) => ({
        id: i.id,
        host: i.host,
        pid: i.pid,
        concurrency: (i.workers ?? []).reduce((sum, w) => sum + w.localConcurrency, 0),
        active: (i.workers ?? []).reduce((sum, w) => sum + w.active, 0),
        seenSecondsAgo: Math.round((now - new Date(i.heartbeatOn!).getTime()) / 1000),
      }));
  }
  await refreshWorkers();
  const refresher = setInterval(() => void refreshWorkers(), WORKERS_REFRESH_MS);
  refresher.unref();

  function run(doc: Parameters<RunEngine['run']>[0], { signal, onEvent, onStarted, affinity }: EngineRunOptions): Promise<void> {
    const jobId = randomUUID();
    return new Promise<void>((resolve, reject) => {
      let graceTimer: NodeJS.Timeout | undefined;
      const watch: Watch = {
        onEvent,
        onStarted,
        attempt: -1,
        order: [],
        restartShown: false,
        sawDone: false,
        lastHeard: Date.now(),
        completedSeen: false,
        finish(error) {
          if (watches.get(jobId) !== watch) return;
          watches.delete(jobId);
          clearTimeout(graceTimer);
          signal.removeEventListener('abort', stop);
          if (!watch.sawDone) onEvent({ type: 'run:done', ms: 0, cancelled: true });
          if (error) reject(error);
          else resolve();
        },
      };
      const stop = () => {
        void toWorkers({ type: 'cancel', jobId });
        void boss.cancel(RUN_QUEUE, jobId).catch(() => undefined);
        if (watch.attempt < 0) return watch.finish(); // never taken: nothing runs it
        graceTimer = setTimeout(() => watch.finish(), limits.stopGraceMs + 5000);
      };
      watches.set(jobId, watch);
      signal.addEventListener('abort', stop, { once: true });
      const data: RunJob = { doc: JSON.stringify(doc), replyTo, affinity: affinity ?? '' };
      boss.send(RUN_QUEUE, data, { id: jobId }).then(
        () => {
          if (signal.aborted) stop();
        },
        (error: unknown) => {
          console.error(`[queue] could not enqueue a run: ${error instanceof Error ? error.message : String(error)}`);
          watch.finish(new EngineProcessError('The server could not queue this run (its database did not answer); try again in a moment.', 'failed'));
        },
      );
    });
  }

  function ask(lookup: CacheLookup, worker: string | undefined): Promise<LookupAnswer> {
    const askId = randomUUID();
    const missing: LookupAnswer = { ok: false, missing: true, message: MISSING_RESULT };
    return new Promise<LookupAnswer>((resolve) => {
      const done = (answer: LookupAnswer) => {
        clearTimeout(timer);
        asks.delete(askId);
        resolve(answer);
      };
      const timer = setTimeout(() => done(missing), worker ? ASK_NAMED_MS : ASK_ALL_MS);
      asks.set(askId, done);
      void toWorkers({ type: 'ask', askId, replyTo, lookup }, worker);
    });
  }

  return {
    kind: 'queue',
    get processes() {
      return workersSeen.reduce((sum, w) => sum + w.concurrency, 0);
    },
    ready: () => Promise.resolve(),
    run,
    async lookup(lookup) {
      const worker = keyWorkers.get(lookup.key);
      const named = worker ? await ask(lookup, worker) : undefined;
      if (named && !(!named.ok && named.missing)) return named;
      return ask(lookup, undefined);
    },
    cancelElsewhere(holders, client, runId, cancelToken) {
      const peers = [...new Set(holders)].filter((holder) => holder !== instance);
      if (peers.length === 0) return Promise.resolve(false);
      const askId = randomUUID();
      return new Promise<boolean>((resolve) => {
        let waiting = peers.length;
        const done = (cancelled: boolean) => {
          clearTimeout(timer);
          peerAsks.delete(askId);
          resolve(cancelled);
        };
        const answered = (cancelled: boolean) => {
          waiting -= 1;
          if (cancelled || waiting === 0) done(cancelled);
        };
        const timer = setTimeout(() => done(false), PEER_CANCEL_MS);
        peerAsks.set(askId, answered);
        const message: PeerMessage = { type: 'cancel-run', askId, replyTo, client, runId, cancelToken };
        for (const peer of peers) channel.send(webChannel(peer), message).catch(() => answered(false));
      });
    },
    onPeerCancel(handler) {
      peerCancel = handler;
    },
    async health() {
      await refreshWorkers();
      const queue = await boss.getQueue(RUN_QUEUE);
      return { queued: queue?.queuedCount ?? 0, active: queue?.activeCount ?? 0, workers: workersSeen };
    },
    async close() {
      clearInterval(checker);
      clearInterval(refresher);
      for (const watch of watches.values()) watch.finish();
      await boss.stop({ graceful: false }).catch(() => undefined);
      await channel.close();
    },
  };
}

/**
 * The queue RunEngine (used with DATABASE_URL): a web instance enqueues each run as a pg-boss
 * job and relays the events a worker (worker.ts, `npm run worker`, on any machine) streams back
 * over notify-channel.ts (relay.ts), so the run manager, the tRPC subscription and the browser
 * see exactly what the local engine processes give them.
 *
 * - Stops. The run's signal (a cancel, the time limit, the stream closed) sends `cancel` to every
 *   worker (the one holding the job stops it) and cancels the job in pg-boss, so a job not yet
 *   taken is never taken. A worker that does not answer within the grace ends the run here.
 * - A cancel that reached another web instance than the run's stream (no sticky session) is sent
 *   to the instances holding a run slot of that client (run_lease, admission.ts), each on its own
 *   channel; each answers yes or no (the holder checks the token), so a refusal is as quick as a
 *   cancel, and the wait (PEER_CANCEL_MS) only bounds an instance that died with a slot.
 * - Affinity (run-queue.ts): a run whose affinity key a worker last completed here is sent with
 *   that worker's priority and PREFER_MS of `startAfter`, at most one at a time per worker.
 * - Lookups go to the worker that computed the key (remembered from the events relayed here),
 *   else to every worker; the first that holds it answers.
 * - Losing the listening connection loses messages, so the runs relayed at that moment end with
 *   LISTEN_LOST (their workers stop them when they see the cancel).
 *
 * Not handled here: admission and limits (run-manager.ts, admission.ts), executing (worker.ts),
 * attempts and restarts (relay.ts), the workers list (workers-seen.ts).
 */
import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { EngineRunOptions, RunEngine } from '@/server/run/engine';
import type { RunLimits } from '@/server/run/limits';
import { MISSING_RESULT, type CacheLookup, type LookupAnswer } from '@/server/run/lookup';
import { EngineProcessError } from '@/server/run/process-engine';
import { createNotifyChannel } from '@/server/run/queue/notify-channel';
import { createRelay, LISTEN_LOST, type Watch } from '@/server/run/queue/relay';
import {
  openRunQueue,
  PREFER_MS,
  RUN_QUEUE,
  webChannel,
  WEB_INSTANCE,
  workerChannel,
  WORKERS_CHANNEL,
  workerPriority,
  type PeerMessage,
  type RunJob,
  type WebMessage,
  type WorkerMessage,
} from '@/server/run/queue/run-queue';
import { watchWorkers, type QueueWorkerSeen } from '@/server/run/queue/workers-seen';

export { LISTEN_LOST, RESTARTED, TWO_WORKERS } from '@/server/run/queue/relay';
export type { QueueWorkerSeen } from '@/server/run/queue/workers-seen';

const ASK_NAMED_MS = 5000;
const ASK_ALL_MS = 1500;
/**
 * How long an asked instance may take to answer a cancel. Each live one answers, at once unless
 * its main thread is busy (seconds under load), so this bounds only an instance that died.
 */
const PEER_CANCEL_MS = 10_000;
const AFFINITIES_MAX = 10_000;

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

/** `instance`: this web instance's id, the one its run slots carry in run_lease. */
export async function createQueueEngine(url: string, limits: RunLimits, instance: string = randomUUID()): Promise<QueueEngine> {
  const replyTo = webChannel(instance);
  const channel = createNotifyChannel(url, WEB_INSTANCE);
  const boss = await openRunQueue(url, 'web', limits.maxRunMs);
  const relay = createRelay(boss);
  const asks = new Map<string, (answer: LookupAnswer) => void>();
  let peerCancel: (client: string, runId: string, cancelToken: string) => boolean = () => false;
  const peerAsks = new Map<string, (cancelled: boolean) => void>();

  const toWorkers = (message: WebMessage, worker?: string) =>
    channel.send(worker ? workerChannel(worker) : WORKERS_CHANNEL, message).catch(() => undefined);

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
    relay.onWorkerMessage(message);
  }

  await channel.listen(replyTo, onMessage);
  channel.onConnection((up) => {
    if (!up) relay.failAll(new EngineProcessError(LISTEN_LOST, 'failed'));
  });
  const workers = await watchWorkers(boss);
  /** Affinity key (its sha256: a key holds a corpus's params) → the worker that last completed it. */
  const affinityWorkers = new LRUCache<string, string>({ max: AFFINITIES_MAX });
  /** Workers with a preferred job of this instance not yet ended. */
  const preferring = new Set<string>();

  function run(doc: Parameters<RunEngine['run']>[0], { signal, onEvent, onStarted, affinity }: EngineRunOptions): Promise<void> {
    const jobId = randomUUID();
    const { watches } = relay;
    const affinityKey = affinity || undefined;
    const known = affinityKey ? affinityWorkers.get(affinityKey) : undefined;
    const preferred = known && !preferring.has(known) ? known : undefined;
    if (preferred) preferring.add(preferred);
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
          if (preferred) preferring.delete(preferred);
          if (!error && affinityKey && watch.worker && watch.sawDone) affinityWorkers.set(affinityKey, watch.worker);
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
      const options = preferred ? { id: jobId, priority: workerPriority(preferred), startAfter: new Date(Date.now() + PREFER_MS) } : { id: jobId };
      boss.send(RUN_QUEUE, data, options).then(
        () => {
          if (preferred) void toWorkers({ type: 'prefer' }, preferred);
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

  function cancelElsewhere(holders: string[], client: string, runId: string, cancelToken: string): Promise<boolean> {
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
  }

  return {
    kind: 'queue',
    get processes() {
      return workers.list().reduce((sum, w) => sum + w.concurrency, 0);
    },
    ready: () => Promise.resolve(),
    run,
    async lookup(lookup) {
      const worker = relay.workerFor(lookup.key);
      const named = worker ? await ask(lookup, worker) : undefined;
      if (named && !(!named.ok && named.missing)) return named;
      return ask(lookup, undefined);
    },
    cancelElsewhere,
    onPeerCancel(handler) {
      peerCancel = handler;
    },
    async health() {
      await workers.refresh();
      const queue = await boss.getQueue(RUN_QUEUE);
      return { queued: queue?.queuedCount ?? 0, active: queue?.activeCount ?? 0, workers: workers.list() };
    },
    async close() {
      relay.close();
      workers.close();
      await boss.stop({ graceful: false }).catch(() => undefined);
      await channel.close();
    },
  };
}

/**
 * `npm run worker`: a queue worker. It takes server runs from the PostgreSQL job queue
 * (queue/run-queue.ts, pg-boss) and runs each in one of its own engine processes
 * (process-engine.ts: the same executor, isolation, limits and recipe cache as a single
 * machine's web server), streaming the run's events back to the web instance that holds the
 * browser's stream (queue/notify-channel.ts). Start any number, on any machine that reaches the
 * same DATABASE_URL; each prints what it connected to and how many runs it takes at once.
 *
 * - Concurrency: TOKENLOOM_WORKER_CONCURRENCY runs at once (default: TOKENLOOM_RUN_PROCESSES, so
 *   cores − 1, 1–4), one engine process each (plus one spare loading for the next), and one
 *   more slot for jobs preferred for this worker (affinity, queue/run-queue.ts). A slot that
 *   ends a job fetches the next at once; an idle one is woken by NOTIFY when a run is queued, and
 *   looks anyway every TOKENLOOM_WORKER_POLL_SECONDS (default 1).
 * - No TOKENLOOM_SECRET: a worker signs no cookies (client ids come inside the web's jobs).
 * - Stopping a run: a web instance's `cancel` (a user, or its time limit) aborts it here; the
 *   engine process is killed if it does not stop within TOKENLOOM_RUN_STOP_GRACE_SECONDS. The
 *   worker's own clock stops a run a second after TOKENLOOM_RUN_MAX_SECONDS too, for when the web
 *   instance that started it is gone.
 * - A run whose engine process dies (memory, V8 size limit, a crash) ends with that sentence and
 *   is not retried: it would do the same again. Only the loss of the worker itself (kill -9, a
 *   machine gone) makes pg-boss give the job to another worker, once (queue/run-queue.ts).
 * - Losing the database: a ping every DB_CHECK_MS; when it fails the worker stops taking jobs and
 *   stops its runs (their events could not reach anyone), and when it answers again the worker
 *   says so and takes jobs again. pg-boss's own connections reconnect by themselves.
 *
 * Not handled here: admission and limits per client (the web instances, in the database).
 */
import { randomUUID } from 'node:crypto';
import type { Job } from 'pg-boss';
import type { RunEvent } from '@/nodes/engine/executor';
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import { EnvError, parseServerEnv } from '@/server/env';
import { readRunLimits } from '@/server/run/limits';
import { createProcessEngine, EngineProcessError } from '@/server/run/process-engine';
import { createNotifyChannel, type NotifyChannel } from '@/server/run/queue/notify-channel';
import { startPreferredLoop, type PreferredLoop } from '@/server/run/queue/preferred-loop';
import {
  describeDatabase,
  HEARTBEAT_REFRESH_S,
  openRunQueue,
  RUN_QUEUE,
  workerChannel,
  workerPriority,
  WORKER_INSTANCE,
  WORKERS_CHANNEL,
  type RunJob,
  type WebMessage,
  type WorkerMessage,
} from '@/server/run/queue/run-queue';

const DB_CHECK_MS = 2000;

/**
 * Sends one job's events in order, the events of one burst together (those the engine process
 * sent at once: an empty graph's run:start and run:done) in one message. Messages are not held
 * back while one is in flight: the channel keeps their order and sends those that queue up
 * together, and `flush` hands over what is left at once, so the job's `ended` goes in the same
 * statement as its last events.
 */
function createOutbox(channel: NotifyChannel, replyTo: string, jobId: string, attempt: number, onLost: () => void) {
  let buffer: RunEvent[] = [];
  let last: Promise<void> = Promise.resolve();
  let scheduled = false;
  const sendBuffer = () => {
    scheduled = false;
    if (buffer.length === 0) return;
    const events = buffer;
    buffer = [];
    last = channel.send(replyTo, { type: 'events', jobId, attempt, events } satisfies WorkerMessage).catch(onLost);
  };
  return {
    push(event: RunEvent) {
      buffer.push(event);
      if (scheduled) return;
      scheduled = true;
      setImmediate(sendBuffer);
    },
    /** Hand the buffered events to the channel now; resolves once every event is sent (or lost). */
    flush(): Promise<void> {
      sendBuffer();
      return last;
    },
  };
}

function readConcurrency(fallback: number): number {
  const raw = process.env.TOKENLOOM_WORKER_CONCURRENCY;
  if (raw === undefined || raw === '') return Math.max(1, fallback);
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new EnvError('Invalid worker setting: TOKENLOOM_WORKER_CONCURRENCY must be a whole number ≥ 1.');
  return value;
}

/** How often an idle slot looks for a job it was not told of (NOTIFY wakes it at once otherwise). */
function readPollSeconds(): number {
  const raw = process.env.TOKENLOOM_WORKER_POLL_SECONDS;
  if (raw === undefined || raw === '') return 1;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0.5 || value > 3600) {
    throw new EnvError('Invalid worker setting: TOKENLOOM_WORKER_POLL_SECONDS must be a number of seconds from 0.5 to 3600.');
  }
  return value;
}

async function main() {
  const env = parseServerEnv();
  if (!env.DATABASE_URL) {
    throw new EnvError('A worker takes runs from PostgreSQL: set DATABASE_URL=postgres://… (the same as the web server’s). Without it the web server runs graphs itself.');
  }
  const url = env.DATABASE_URL;
  const limits = readRunLimits();
  const concurrency = readConcurrency(limits.processes);
  const pollSeconds = readPollSeconds();
  const workerId = randomUUID();
  const name = `${workerId.slice(0, 8)}`;

  const engine = createProcessEngine({
    processes: concurrency,
    maxProcesses: concurrency + 1,
    memoryMb: limits.memoryMb,
    cacheBytes: limits.cacheBytes,
    hardStopMs: limits.stopGraceMs,
  });
  await engine.ready();
  const channel = createNotifyChannel(url, WORKER_INSTANCE);
  const boss = await openRunQueue(url, 'worker', limits.maxRunMs);
  const running = new Map<string, AbortController>();
  const priority = workerPriority(workerId);
  /** The slot that takes only jobs preferred for this worker (queue/preferred-loop.ts). */
  let preferredLoop: PreferredLoop | undefined;

  /** `named`: the message came on this worker's own channel (asked by name), not the broadcast. */
  const onWebMessage = (named: boolean) => (raw: unknown) => {
    const message = raw as WebMessage;
    if (message.type === 'prefer') preferredLoop?.wake();
    if (message.type === 'cancel') running.get(message.jobId)?.abort();
    if (message.type === 'ask') {
      void engine.lookup(message.lookup).then((answer) => {
        // A miss is worth saying only when asked by name; on the broadcast the holder answers.
        if (!answer.ok && answer.missing && !named) return;
        return channel.send(message.replyTo, { type: 'answer', askId: message.askId, worker: workerId, answer } satisfies WorkerMessage);
      }).catch(() => undefined);
    }
  };
  await channel.listen(WORKERS_CHANNEL, onWebMessage(false));
  await channel.listen(workerChannel(workerId), onWebMessage(true));

  async function runJob(job: Job<RunJob>): Promise<void> {
    const { replyTo, affinity } = job.data;
    const doc = JSON.parse(job.data.doc) as GraphDoc;
    const attempt = job.retryCount;
    const jobId = job.id;
    const controller = new AbortController();
    running.set(jobId, controller);
    const abort = () => controller.abort();
    job.signal.addEventListener('abort', abort, { once: true });
    const timer = setTimeout(abort, limits.maxRunMs + 1000);
    const outbox = createOutbox(channel, replyTo, jobId, attempt, abort);
    const send = (message: WorkerMessage) => channel.send(replyTo, message);
    console.log(`[worker ${name}] took run ${jobId} (attempt ${attempt + 1})`);
    try {
      // Not awaited: the engine starts meanwhile, and the channel keeps the order (started first).
      send({ type: 'started', jobId, attempt, worker: workerId }).catch(abort);
      await engine.run(doc, { signal: controller.signal, affinity, onEvent: (event) => outbox.push(event) });
      void outbox.flush();
      await send({ type: 'ended', jobId, attempt });
    } catch (error) {
      void outbox.flush();
      const reason = error instanceof EngineProcessError ? error.reason : 'failed';
      const message = error instanceof Error ? error.message : String(error);
      await send({ type: 'ended', jobId, attempt, error: { reason, message } }).catch(() => undefined);
    } finally {
      clearTimeout(timer);
      job.signal.removeEventListener('abort', abort);
      running.delete(jobId);
    }
  }

  /** The id of the current `work()` call (its slots' workId), so a finished job wakes only those. */
  let workId: string | undefined;
  const handler = async ([job]: Job<RunJob>[]) => {
    if (!job) return;
    await runJob(job);
    // pg-boss waits out its polling interval after a job even when more are queued (it wakes early
    // only on a NOTIFY, and a burst of runs sends its notifications before the first job ends), so
    // one slot took one run a second. A slot that just ran a job fetches again at once; an empty
    // fetch then waits as usual. notify() marks every slot still holding a job: each of them would
    // fetch after its job anyway, so none is woken for nothing.
    for (const slot of boss.getWipData()) {
      if (slot.workId === workId && slot.count > 0) boss.notifyWorker(slot.id);
    }
  };
  const loop = { batchSize: 1, pollingIntervalSeconds: pollSeconds, notifyPollingIntervalSeconds: pollSeconds, heartbeatRefreshSeconds: HEARTBEAT_REFRESH_S };
  const work = async () => {
    workId = await boss.work<RunJob>(RUN_QUEUE, { ...loop, localConcurrency: concurrency }, handler);
    preferredLoop?.stop();
    preferredLoop = startPreferredLoop(boss, priority, runJob);
  };
  await work();
  console.log(
    `[worker ${name}] connected to ${describeDatabase(url)}: taking runs from queue ${RUN_QUEUE}, concurrency ${concurrency} (engine processes of ${limits.memoryMb} MB, ${Math.round(limits.maxRunMs / 1000)} s per run)`,
  );

  let lost = false;
  const check = setInterval(() => {
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer in 3 s')), 3000).unref());
    Promise.race([channel.ping(), timeout]).then(
      async () => {
        if (!lost) return;
        lost = false;
        await work();
        console.log(`[worker ${name}] reconnected to ${describeDatabase(url)}; taking runs again`);
      },
      async (error: unknown) => {
        if (lost) return;
        lost = true;
        console.error(`[worker ${name}] lost the database (${error instanceof Error ? error.message : String(error)}); not taking runs until it is back`);
        preferredLoop?.stop();
        for (const controller of running.values()) controller.abort();
        await boss.offWork(RUN_QUEUE, { wait: false }).catch(() => undefined);
      },
    );
  }, DB_CHECK_MS);

  const shutdown = async () => {
    clearInterval(check);
    preferredLoop?.stop();
    for (const controller of running.values()) controller.abort();
    await boss.stop({ graceful: true, timeout: limits.stopGraceMs + 2000 }).catch(() => undefined);
    await Promise.all([engine.close(), channel.close()]);
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
}

main().catch((error: unknown) => {
  console.error(error instanceof EnvError ? error.message : `[worker] could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

/**
 * The server-run job queue on PostgreSQL, shared by web instances (queue-engine.ts, which
 * enqueue) and workers (worker.ts, which take jobs): pg-boss (npm, 12.x) and the messages both
 * sides exchange over notify-channel.ts.
 *
 * Why pg-boss: it is a maintained queue on PostgreSQL itself (SKIP LOCKED fetches, LISTEN/NOTIFY
 * wake-ups), so the database the app already needs is the whole infrastructure. Its job
 * heartbeat is what turns "a worker was killed mid-run" into exactly one retry: a worker touches
 * its job every HEARTBEAT_REFRESH_S; a job not touched for HEARTBEAT_S is put back by pg-boss's
 * supervisor (any instance runs it, under an advisory lock, every SUPERVISE_S), `retryLimit: 1`
 * lets it run once more, and a second loss fails it for good. pg-boss keeps its tables in its
 * own schema (`pgboss`), created and migrated by pg-boss at start under its own lock, beside
 * drizzle's migrations in `public` (drizzle-kit only diffs server/db/schema.ts, so the two never
 * touch). pg-boss 12 declares Node ≥ 22.12; this project's paths run on Node 20.9+ (tested on
 * 20.20), a gap to close when the project moves to Node 22.
 *
 * Affinity (a run goes preferably to the worker whose recipe cache holds its results), on pg-boss
 * alone, in one queue: each worker has a priority number of its own (workerPriority, from its
 * id). A web instance that saw worker W complete a run with the same affinity key sends the job
 * with W's priority and `startAfter` PREFER_MS ahead, and wakes W (a `prefer` message on W's
 * channel). Besides its ordinary work loop, which respects `startAfter`, W runs one more loop of
 * one slot that fetches only jobs of its own priority and ignores `startAfter`, so it takes the
 * job at once (queue/preferred-loop.ts); if W is busy in that slot or gone, the job becomes an ordinary job when its
 * `startAfter` passes and any worker takes it (within a poll, 1 s). Correctness never depends on
 * it: every worker runs every job the same way; the cost of a wrong guess is PREFER_MS plus a
 * poll. Other designs were set aside: a queue per worker needs the web side to move a job that
 * was not taken, which pg-boss has no atomic call for (cancel and delete also hit active jobs);
 * a key that a worker checks after fetching cannot put a job back. Known limits: a preferred job
 * outranks ordinary ones once its window passes (pg-boss fetches by priority), W may run one run
 * beyond its concurrency (on its spare engine process), and each web instance learns affinities
 * from the runs it relayed itself (one preferred job per worker at a time, so a burst of equal
 * runs still spreads over all workers).
 *
 * Not handled here: running graphs (worker.ts), relaying (queue-engine.ts).
 */
import { PgBoss, type ConstructorOptions } from 'pg-boss';
import type { RunEvent } from '@/nodes/engine/executor';
import type { CacheLookup, LookupAnswer } from '@/server/run/lookup';
import type { EngineProcessError } from '@/server/run/process-engine';

export const RUN_QUEUE = 'tokenloom-run';
export const WORKER_INSTANCE = 'tokenloom-worker';
export const WEB_INSTANCE = 'tokenloom-web';
/** The channel every worker listens on (cancels and lookups). */
export const WORKERS_CHANNEL = 'tl_workers';
const HEARTBEAT_S = 10;
export const HEARTBEAT_REFRESH_S = 2;
const SUPERVISE_S = 2;
/**
 * How long a job preferred for one worker waits for it before any worker may take it: room for
 * the wake-up and fetch round trip on a loaded machine (1 s was sometimes missed at load 20 on
 * 2 cores), short against a retrained tokenizer's run.
 */
export const PREFER_MS = 2000;
/** A worker not seen for this long is not counted (health, "is any worker there"). */
export const WORKER_SEEN_MS = 30_000;

/**
 * A job's data: the graph and where its messages go. The graph travels as its JSON text inside
 * pg-boss's jsonb: jsonb cannot hold U+0000 or a lone surrogate, but the escapes
 * JSON.stringify writes for them are plain ASCII in a jsonb string (as in server/db/schema.ts).
 */
export interface RunJob {
  doc: string;
  /** The web instance's channel (webChannel). */
  replyTo: string;
  affinity: string;
}

/** A worker → web message, about one job's attempt (pg-boss's retryCount). */
export type WorkerMessage =
  | { type: 'started'; jobId: string; attempt: number; worker: string }
  | { type: 'events'; jobId: string; attempt: number; events: RunEvent[] }
  | { type: 'ended'; jobId: string; attempt: number; error?: { reason: EngineProcessError['reason']; message: string } }
  | { type: 'answer'; askId: string; worker: string; answer: LookupAnswer };

/** A web → worker message, on WORKERS_CHANNEL or one worker's own channel. */
export type WebMessage =
  | { type: 'cancel'; jobId: string }
  | { type: 'ask'; askId: string; replyTo: string; lookup: CacheLookup }
  /** On one worker's channel: a job of its priority is waiting (affinity, above). */
  | { type: 'prefer' };

/**
 * Web ↔ web, on the instance's own channel (webChannel): "stop this run of yours", sent to each
 * instance holding a run slot of the client (admission.ts), and its answer, which every instance
 * asked gives (cancelled: false when it holds no such run or the token is not that run's).
 */
export type PeerMessage =
  | { type: 'cancel-run'; askId: string; replyTo: string; client: string; runId: string; cancelToken: string }
  | { type: 'cancel-reply'; askId: string; cancelled: boolean };

export const webChannel = (instance: string) => `tl_web_${instance.replaceAll('-', '')}`;
export const workerChannel = (worker: string) => `tl_worker_${worker.replaceAll('-', '')}`;

/** A worker's own pg-boss priority (1 to 2^28), the same on every machine for one worker id. */
export function workerPriority(worker: string): number {
  return Number.parseInt(worker.replaceAll('-', '').slice(0, 7), 16) + 1;
}

/** `postgres://user@host:port/db` without a password, for what a process prints at start. */
export function describeDatabase(url: string): string {
  const parsed = new URL(url);
  parsed.password = '';
  return parsed.toString();
}

export async function openRunQueue(url: string, role: 'web' | 'worker', maxRunMs: number): Promise<PgBoss> {
  const options: ConstructorOptions = {
    connectionString: url,
    application_name: role === 'web' ? WEB_INSTANCE : WORKER_INSTANCE,
    instanceName: role === 'web' ? WEB_INSTANCE : WORKER_INSTANCE,
    instanceHeartbeatSeconds: 10,
    useListenNotify: true,
    superviseIntervalSeconds: SUPERVISE_S,
    monitorIntervalSeconds: SUPERVISE_S,
    max: role === 'web' ? 4 : 3,
  };
  const boss = new PgBoss(options);
  boss.on('error', (error: Error) => console.error(`[queue] ${error.message}`));
  await boss.start();
  await boss.createQueue(RUN_QUEUE, {
    retryLimit: 1,
    heartbeatSeconds: HEARTBEAT_S,
    notify: true,
    // The outer bound on a run pg-boss enforces by itself: the run's own limit plus room for
    // stopping it; the worker and the web instance stop it long before (their limit timers).
    expireInSeconds: Math.ceil(maxRunMs / 1000) + 60,
    deleteAfterSeconds: 3600,
  });
  return boss;
}

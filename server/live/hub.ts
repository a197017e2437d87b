/**
 * The live hub: one per database per process. It LISTENs on the live channel and, for each class
 * someone follows from this instance, keeps the latest snapshot and wakes the followers when it
 * changes. Any instance may have made the change: every change NOTIFYs (live-service.ts), and
 * every instance's hub re-reads the class once, however many of its followers watch it.
 *
 * - Coalescing: a notification during a read marks the class dirty and one more read follows;
 *   200 answers in a burst cost a handful of reads, not 200 per follower.
 * - Followers get tracked events (`tracked(seq, state)`): the id is the class's `seq`, so a
 *   client that reconnects with lastEventId = the seq it last saw gets nothing until the next
 *   change, and one that missed changes gets the current state at once (a late joiner too).
 *   A slow follower skips states it had no time for; it always ends on the latest.
 * - After a dropped LISTEN connection (PostgreSQL), every followed class is re-read.
 * - A class may have at most 2 × its student limit + 20 followers on one instance.
 * - Idle classes are ended by a sweep every minute while anything is followed here, and at go-live;
 *   the same sweep deletes finished join-guess windows (join-guesses.ts).
 * Not handled here: who may follow (live-router.ts), what a state shows (live-state.ts).
 */
import { tracked, TRPCError, type TrackedEnvelope } from '@trpc/server';
import type { Database } from '@/server/db/client';
import { listenerFor } from '@/server/db/listen';
import { deleteExpiredGuesses } from '@/server/live/join-guesses';
import { endIdleClasses, LIVE_CHANNEL, type LiveConfig } from '@/server/live/live-service';
import { readClassSnapshot, stateFor, type ClassSnapshot, type LiveRole, type LiveState } from '@/server/live/live-state';

const SWEEP_MS = 60_000;

class ClassChannel {
  latest: ClassSnapshot | undefined;
  followers = 0;
  /** The latest snapshot shaped per role, made once for all followers of that role. */
  private shaped = new Map<LiveRole, { snapshot: ClassSnapshot; state: LiveState }>();
  private reading: Promise<void> | undefined;
  private dirty = false;
  private wakers = new Set<() => void>();

  constructor(
    private readonly db: Database,
    private readonly classId: string,
  ) {}

  /** Re-read the class; a call during a read makes one more read after it. */
  refresh(): Promise<void> {
    if (this.reading) {
      this.dirty = true;
      return this.reading;
    }
    this.reading = (async () => {
      do {
        this.dirty = false;
        try {
          this.latest = await readClassSnapshot(this.db, this.classId);
        } catch (error) {
          console.error(`[live] reading a class failed: ${(error as Error).message?.slice(0, 200)}`);
        }
        for (const wake of [...this.wakers]) wake();
      } while (this.dirty);
    })().finally(() => {
      this.reading = undefined;
    });
    return this.reading;
  }

  stateFor(role: LiveRole, idleMinutes: number): LiveState | undefined {
    const snapshot = this.latest;
    if (!snapshot) return undefined;
    const cached = this.shaped.get(role);
    if (cached?.snapshot === snapshot) return cached.state;
    const state = stateFor(snapshot, role, idleMinutes);
    this.shaped.set(role, { snapshot, state });
    return state;
  }

  /** Resolves at the next published snapshot, or when `signal` aborts. */
  changed(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.wakers.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.wakers.add(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }
}

export class LiveHub {
  private channels = new Map<string, ClassChannel>();
  private listening: Promise<void> | undefined;
  private sweepTimer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly db: Database,
    readonly config: LiveConfig,
  ) {}

  private listen(): Promise<void> {
    this.listening ??= listenerFor(this.db)
      .listen(
        LIVE_CHANNEL,
        (classId) => void this.channels.get(classId)?.refresh(),
        () => {
          for (const channel of this.channels.values()) void channel.refresh();
        },
      )
      .then(() => undefined)
      .catch((error: unknown) => {
        this.listening = undefined;
        throw error;
      });
    return this.listening;
  }

  /** End idle classes now (their followers are told through NOTIFY like any change), and forget finished guessing windows. */
  sweep(): Promise<number> {
    void deleteExpiredGuesses(this.db).catch((error: unknown) => {
      console.error(`[live] forgetting old join guesses failed: ${(error as Error).message?.slice(0, 200)}`);
    });
    return endIdleClasses(this.db, this.config.idleMs).catch((error: unknown) => {
      console.error(`[live] ending idle classes failed: ${(error as Error).message?.slice(0, 200)}`);
      return 0;
    });
  }

  private startSweeping() {
    if (this.sweepTimer) return;
    this.sweepTimer = setInterval(() => void this.sweep(), SWEEP_MS);
    this.sweepTimer.unref?.();
  }

  private stopSweepingIfIdle() {
    if (this.channels.size > 0 || !this.sweepTimer) return;
    clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
  }

  /** How many followers this instance serves (for tests and the bench). */
  followerCount(): number {
    let n = 0;
    for (const channel of this.channels.values()) n += channel.followers;
    return n;
  }

  async *follow(classId: string, role: LiveRole, lastEventId: string | null | undefined, signal: AbortSignal): AsyncGenerator<TrackedEnvelope<LiveState>> {
    let channel = this.channels.get(classId);
    if (!channel) {
      channel = new ClassChannel(this.db, classId);
      this.channels.set(classId, channel);
    }
    // A class's followers are its students and teacher, reconnecting now and then: far more
    // than that is someone opening streams to hold the server's connections.
    if (channel.followers >= 2 * this.config.maxStudents + 20) {
      throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: 'This class has too many open connections; try again in a moment.' });
    }
    channel.followers++;
    this.startSweeping();
    try {
      await this.listen();
      if (!channel.latest) await channel.refresh();
      if (!channel.latest) throw new TRPCError({ code: 'NOT_FOUND', message: 'There is no live class with this id; the link may be mistyped.' });
      const idleMinutes = Math.round(this.config.idleMs / 60_000);
      let sent = lastEventId ? Number(lastEventId) : Number.NaN;
      while (!signal.aborted) {
        const state = channel.stateFor(role, idleMinutes);
        if (state && state.seq !== sent) {
          sent = state.seq;
          yield tracked(String(sent), state);
        }
        if (state?.status === 'ended') return;
        await channel.changed(signal);
      }
    } finally {
      channel.followers--;
      if (channel.followers === 0 && this.channels.get(classId) === channel) this.channels.delete(classId);
      this.stopSweepingIfIdle();
    }
  }
}

const hubs = new WeakMap<Database, LiveHub>();

export function liveHubFor(db: Database, config: LiveConfig): LiveHub {
  let hub = hubs.get(db);
  if (!hub) {
    hub = new LiveHub(db, config);
    hubs.set(db, hub);
  }
  return hub;
}

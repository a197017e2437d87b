/**
 * Admission of server runs: at most `maxRunsPerClient` runs per client and `maxRunsTotal` in
 * all. A run over a limit waits up to `admissionGraceMs` for a slot (a canvas that replaces a
 * stale run reconnects before the server has noticed the old stream close), then is refused
 * with TOO_MANY_REQUESTS and a sentence naming the limit.
 *
 * Two counters, one rule:
 * - createMemoryAdmission: one process counts in memory (embedded PGlite, one machine);
 * - createDatabaseAdmission: every web instance sharing a PostgreSQL counts the same rows of
 *   `run_lease`, so the limits hold across instances. Taking a slot is one transaction under a
 *   transaction-scoped advisory lock (count, then insert; two instances cannot both see room for
 *   the last slot). A lease lives LEASE_MS and its instance pushes it forward every
 *   LEASE_REFRESH_MS while the run goes on, so a crashed instance's runs stop counting within
 *   LEASE_MS. A waiting run polls every WAIT_POLL_MS (and wakes at once on a local release).
 *
 * Not handled here: which runs count (run-manager.ts takes a slot per run stream), clients
 * (client-identity.ts).
 */
import { randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { eq, gt, lt, sql } from 'drizzle-orm';
import type { Database } from '@/server/db/client';
import { runLeaseTable } from '@/server/db/schema';
import type { RunLimits } from '@/server/run/limits';

export const LEASE_MS = 30_000;
const LEASE_REFRESH_MS = 10_000;
const WAIT_POLL_MS = 100;
/** "tokenloom run lease" as a constant shared by every instance (any fixed 32-bit number). */
const LEASE_LOCK_KEY = 0x746c_726c;

export interface Admission {
  /** Take a slot for `client` (waiting up to the grace); resolves with its release, or throws TOO_MANY_REQUESTS. */
  admit(client: string, signal: AbortSignal): Promise<() => void>;
  /** Slots this process holds now. */
  held(): number;
  close(): Promise<void>;
}

type Take = { ok: true; release: () => void } | { ok: false; mine: number; total: number };

function refusal(limits: RunLimits, mine: number, total: number): TRPCError {
  return new TRPCError({
    code: 'TOO_MANY_REQUESTS',
    message:
      mine >= limits.maxRunsPerClient
        ? `You already have ${mine} runs going on the server (the limit is ${limits.maxRunsPerClient}); wait for one to finish or cancel it.`
        : `The server is running ${total} graphs right now (its limit); try again in a moment, or run it in the browser.`,
  });
}

/** The waiting loop both counters share: try, wait for a release or the next poll, try again. */
function admitter(limits: RunLimits, tryTake: (client: string) => Promise<Take>, pollMs: number | undefined) {
  const waiters = new Set<() => void>();
  const wakeAll = () => {
    for (const wake of [...waiters]) wake();
  };
  async function admit(client: string, signal: AbortSignal): Promise<() => void> {
    const deadline = Date.now() + limits.admissionGraceMs;
    for (;;) {
      const taken = await tryTake(client);
      if (taken.ok) {
        return () => {
          taken.release();
          wakeAll();
        };
      }
      const wait = deadline - Date.now();
      if (wait <= 0 || signal.aborted) throw refusal(limits, taken.mine, taken.total);
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          waiters.delete(done);
          signal.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, Math.min(wait, pollMs ?? wait));
        waiters.add(done);
        signal.addEventListener('abort', done, { once: true });
      });
    }
  }
  return admit;
}

export function createMemoryAdmission(limits: RunLimits): Admission {
  const activeByClient = new Map<string, number>();
  let total = 0;
  const tryTake = (client: string): Promise<Take> => {
    const mine = activeByClient.get(client) ?? 0;
    if (mine >= limits.maxRunsPerClient || total >= limits.maxRunsTotal) return Promise.resolve({ ok: false, mine, total });
    activeByClient.set(client, mine + 1);
    total += 1;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const left = (activeByClient.get(client) ?? 1) - 1;
      if (left > 0) activeByClient.set(client, left);
      else activeByClient.delete(client);
      total -= 1;
    };
    return Promise.resolve({ ok: true, release });
  };
  return { admit: admitter(limits, tryTake, undefined), held: () => total, close: () => Promise.resolve() };
}

export function createDatabaseAdmission(limits: RunLimits, db: () => Promise<Database>, instance = randomUUID()): Admission {
  const held = new Set<string>();
  const leaseEnd = sql`now() + ${`${LEASE_MS} milliseconds`}::interval`;

  async function tryTake(client: string): Promise<Take> {
    const id = randomUUID();
    const database = await db();
    const counted = await database.transaction(async (tx) => {
      await tx.execute(sql`SELECT pg_advisory_xact_lock(${LEASE_LOCK_KEY})`);
      await tx.delete(runLeaseTable).where(lt(runLeaseTable.expiresAt, sql`now()`));
      const [row] = await tx
        .select({ mine: sql<number>`(count(*) FILTER (WHERE ${runLeaseTable.client} = ${client}))::int`, total: sql<number>`count(*)::int` })
        .from(runLeaseTable)
        .where(gt(runLeaseTable.expiresAt, sql`now()`));
      const mine = row?.mine ?? 0;
      const total = row?.total ?? 0;
      if (mine >= limits.maxRunsPerClient || total >= limits.maxRunsTotal) return { mine, total };
      await tx.insert(runLeaseTable).values({ id, client, instance, expiresAt: leaseEnd });
      return null;
    });
    if (counted) return { ok: false, ...counted };
    held.add(id);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      held.delete(id);
      // A release that cannot reach the database is not retried: the lease ends by itself.
      void db()
        .then((d) => d.delete(runLeaseTable).where(eq(runLeaseTable.id, id)))
        .catch((error: unknown) => console.error(`[run] could not release a run slot (${error instanceof Error ? error.message : String(error)}); it frees itself within ${LEASE_MS / 1000} s.`));
    };
    return { ok: true, release };
  }

  const refresher = setInterval(() => {
    if (held.size === 0) return;
    void db()
      .then((d) => d.update(runLeaseTable).set({ expiresAt: leaseEnd }).where(eq(runLeaseTable.instance, instance)))
      .catch((error: unknown) => console.error(`[run] could not refresh this server's run slots: ${error instanceof Error ? error.message : String(error)}`));
  }, LEASE_REFRESH_MS);
  refresher.unref();

  return {
    admit: admitter(limits, tryTake, WAIT_POLL_MS),
    held: () => held.size,
    async close() {
      clearInterval(refresher);
      if (held.size === 0) return;
      const ids = [...held];
      held.clear();
      const database = await db();
      for (const id of ids) await database.delete(runLeaseTable).where(eq(runLeaseTable.id, id));
    },
  };
}

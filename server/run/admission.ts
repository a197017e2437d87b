/**
 * Admission of server runs: at most `maxRunsPerClient` runs per client and `maxRunsTotal` in
 * all. A run over a limit waits up to `admissionGraceMs` for a slot (a canvas that replaces a
 * stale run reconnects before the server has noticed the old stream close), then is refused
 * with TOO_MANY_REQUESTS and a sentence naming the limit.
 *
 * Two counters, one rule:
 * - createMemoryAdmission: one process counts in memory (embedded PGlite, one machine);
 * - createDatabaseAdmission: every web instance sharing a PostgreSQL counts the same rows of
 *   `run_lease` (server/db/schema.ts), so the limits hold across instances. Taking a slot is one
 *   transaction under a transaction-scoped advisory lock (count, then insert; two instances
 *   cannot both see room for the last slot). A lease lives LEASE_MS and its instance pushes it forward every
 *   LEASE_REFRESH_MS while the run goes on, so a crashed instance's runs stop counting within
 *   LEASE_MS. A waiting run polls every WAIT_POLL_MS (and wakes at once on a local release).
 *
 * The leases also say which instance holds a client's runs (`holders`), so a cancel that lands
 * on another instance is sent to the one holding the run and no other.
 *
 * Not handled here: which runs count (run-manager.ts takes a slot per run stream), clients
 * (client-identity.ts).
 */
import { randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import pg from 'pg';
import { getDb } from '@/server/db/client';
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
  /**
   * The web instances holding a slot for `client` now (their ids in `run_lease`): where a
   * cancel for one of that client's runs must go. Absent where one process counts alone.
   */
  holders?(client: string): Promise<string[]>;
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

/**
 * Counted in PostgreSQL. Taking a slot is ONE round trip: a multi-statement simple query
 * (BEGIN; advisory lock; drop expired leases; insert when the counts allow; COMMIT). Each
 * statement of it takes its own snapshot, so the insert counts every lease committed before the
 * lock was granted, and the lock is held only while the server runs those statements, not
 * across network round trips. Its own small pool, so waiting on the lock never takes a
 * connection from the app's requests. Values are written with pg's escapeLiteral (the client id
 * is ours, `c:<base64url>` or `anon:<address>`, but is escaped all the same).
 */
export function createDatabaseAdmission(limits: RunLimits, url: string, instance = randomUUID()): Admission {
  const held = new Set<string>();
  const pool = new pg.Pool({ connectionString: url, max: 4, application_name: 'tokenloom-admission' });
  pool.on('error', () => undefined); // an idle connection dropped; the pool reconnects
  const lit = (value: string) => pg.escapeLiteral(value);
  const leaseEnd = `now() + interval '${LEASE_MS} milliseconds'`;

  let migrated: Promise<unknown> | undefined;
  async function tryTake(client: string): Promise<Take> {
    const id = randomUUID();
    // run_lease is created by the app's migrations, applied when its database is first opened.
    await (migrated ??= getDb());
    const results = (await pool.query(`BEGIN;
      SELECT pg_advisory_xact_lock(${LEASE_LOCK_KEY});
      DELETE FROM run_lease WHERE expires_at < now();
      WITH counts AS (
        SELECT (count(*) FILTER (WHERE client = ${lit(client)}))::int AS mine, count(*)::int AS total FROM run_lease
      ), taken AS (
        INSERT INTO run_lease (id, client, instance, expires_at)
        SELECT ${lit(id)}, ${lit(client)}, ${lit(instance)}, ${leaseEnd} FROM counts
        WHERE mine < ${limits.maxRunsPerClient} AND total < ${limits.maxRunsTotal}
        RETURNING id
      )
      SELECT mine, total, (SELECT count(*) FROM taken)::int AS taken FROM counts;
      COMMIT;`)) as unknown as pg.QueryResult<{ mine: number; total: number; taken: number }>[];
    const row = results[3]?.rows[0]; // BEGIN, lock, DELETE, the count-and-insert, COMMIT
    if (!row?.taken) return { ok: false, mine: row?.mine ?? 0, total: row?.total ?? 0 };
    held.add(id);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      held.delete(id);
      // A release that cannot reach the database is not retried: the lease ends by itself.
      pool.query('DELETE FROM run_lease WHERE id = $1', [id]).catch((error: unknown) =>
        console.error(`[run] could not release a run slot (${error instanceof Error ? error.message : String(error)}); it frees itself within ${LEASE_MS / 1000} s.`),
      );
    };
    return { ok: true, release };
  }

  const refresher = setInterval(() => {
    if (held.size === 0) return;
    pool
      .query(`UPDATE run_lease SET expires_at = ${leaseEnd} WHERE instance = $1`, [instance])
      .catch((error: unknown) => console.error(`[run] could not refresh this server's run slots: ${error instanceof Error ? error.message : String(error)}`));
  }, LEASE_REFRESH_MS);
  refresher.unref();

  return {
    admit: admitter(limits, tryTake, WAIT_POLL_MS),
    held: () => held.size,
    async holders(client) {
      await (migrated ??= getDb());
      const { rows } = await pool.query<{ instance: string }>('SELECT DISTINCT instance FROM run_lease WHERE client = $1 AND expires_at > now()', [client]);
      return rows.map((row) => row.instance);
    },
    async close() {
      clearInterval(refresher);
      const ids = [...held];
      held.clear();
      if (ids.length > 0) await pool.query('DELETE FROM run_lease WHERE id = ANY($1)', [ids]).catch(() => undefined);
      await pool.end();
    },
  };
}

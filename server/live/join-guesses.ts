/**
 * Join codes against guessing: a client that typed `perMinute` wrong codes is refused every
 * join, right code or wrong, until its minute is over ("Too many wrong join codes: try again in
 * N s."). A right code never counts. Refusing right codes too is the point: a limit that only
 * answered wrong ones would still tell a guesser which code is live.
 *
 * The count lives in the database (`live_join_guess`, one row per client), so it holds across
 * every instance on one PostgreSQL, as run leases do (server/run/admission.ts); a guesser sent
 * round-robin to ten instances gets one budget, not ten. Check, look-up and count are one
 * transaction under a per-client advisory lock: a burst of parallel guesses is taken one by one,
 * so no more than `perMinute` wrong codes are ever looked up in a window.
 *
 * The window is fixed, starting at the client's first wrong code (the row's `window_start`);
 * a client can thus spend two budgets across a window's end, at most 2 × perMinute in any 60 s.
 * Expired rows are deleted by the live hub's sweep (deleteExpiredGuesses).
 *
 * @example
 * // perMinute 3: wrong codes at 0 s, 5 s, 9 s; at 20 s any code, the class's own too, gets
 * // "Too many wrong join codes: try again in 40 s."; at 61 s a new window starts.
 *
 * Not handled here: who a client is (client-identity.ts; a script that collects many cookies
 * gets many budgets, and the 887 million codes are what make that slow), the code's format (codes.ts).
 */
import { TRPCError } from '@trpc/server';
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '@/server/db/client';
import { liveClassTable, liveJoinGuessTable, type LiveClassRow } from '@/server/db/schema';

const WINDOW_S = 60;
/** "tokenloom join guess": the first key of the two-key advisory lock, the client's hash the second. */
const GUESS_LOCK_KEY = 0x746c_6a67;

type Lookup = { ok: true; row: LiveClassRow } | { ok: false; waitS: number } | { ok: false; waitS: undefined };

/**
 * The live class with `code` (already normalised; undefined when the typed code was malformed),
 * counted against `client`'s budget. Throws TOO_MANY_REQUESTS over the budget, NOT_FOUND for a
 * code no live class has.
 */
export async function lookUpJoinCode(db: Database, client: string, code: string | undefined, perMinute: number): Promise<LiveClassRow> {
  const found = await db.transaction(async (tx): Promise<Lookup> => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${GUESS_LOCK_KEY}, hashtext(${client}))`);
    const [spent] = await tx
      .select({
        guesses: liveJoinGuessTable.guesses,
        waitS: sql<number>`extract(epoch from ${liveJoinGuessTable.windowStart} + make_interval(secs => ${WINDOW_S}) - now())::float8`,
      })
      .from(liveJoinGuessTable)
      .where(and(eq(liveJoinGuessTable.client, client), sql`${liveJoinGuessTable.windowStart} > now() - make_interval(secs => ${WINDOW_S})`))
      .limit(1);
    if (spent && spent.guesses >= perMinute) return { ok: false, waitS: Math.max(1, Math.ceil(spent.waitS)) };
    if (code) {
      const [row] = await tx
        .select()
        .from(liveClassTable)
        .where(and(eq(liveClassTable.code, code), eq(liveClassTable.status, 'live')))
        .limit(1);
      if (row) return { ok: true, row };
    }
    const fresh = sql`${liveJoinGuessTable.windowStart} > now() - make_interval(secs => ${WINDOW_S})`;
    await tx
      .insert(liveJoinGuessTable)
      .values({ client, guesses: 1 })
      .onConflictDoUpdate({
        target: liveJoinGuessTable.client,
        set: {
          guesses: sql`CASE WHEN ${fresh} THEN ${liveJoinGuessTable.guesses} + 1 ELSE 1 END`,
          windowStart: sql`CASE WHEN ${fresh} THEN ${liveJoinGuessTable.windowStart} ELSE now() END`,
        },
      });
    return { ok: false, waitS: undefined };
  });
  if (found.ok) return found.row;
  if (found.waitS !== undefined) {
    throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: `Too many wrong join codes: try again in ${found.waitS} s.` });
  }
  throw new TRPCError({
    code: 'NOT_FOUND',
    message: code ? `No live class has the code ${code}. Check the code on the teacher’s screen.` : 'A join code is 6 letters and digits, as shown on the teacher’s screen.',
  });
}

/** Forget the windows that are over. */
export async function deleteExpiredGuesses(db: Pick<Database, 'execute'>): Promise<void> {
  await db.execute(sql`DELETE FROM live_join_guess WHERE window_start <= now() - make_interval(secs => ${WINDOW_S})`);
}

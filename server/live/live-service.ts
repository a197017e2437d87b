/**
 * The changes a live class goes through, each one SQL statement or transaction that bumps the
 * class's `seq` and sends NOTIFY (delivered on commit), so every instance's followers re-read it.
 *
 * Who may do what is decided here, from what the server holds: the teacher is whoever presents
 * the control secret (stored as its sha256; 256 random bits, like a graph's edit secret); a
 * student is whoever presents a participant token from join. Answer and reveal both lock the
 * class row first, so an answer that loses the race with the reveal sees it and is refused.
 *
 * Not handled here: input shapes (live-router.ts), finding a class by code and the guessing
 * limit (join-guesses.ts), delivery (hub.ts).
 */
import { TRPCError } from '@trpc/server';
import { and, eq, lt, sql } from 'drizzle-orm';
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import { answerLabel, normalizeAnswer } from '@/nodes/engine/lesson-prediction';
import { hashSecret, randomBase64Url, secretMatches } from '@/server/api/secrets';
import type { Database } from '@/server/db/client';
import { displayTitle, liveAnswerTable, liveClassTable, liveParticipantTable, liveRevealTable, type LiveClassRow } from '@/server/db/schema';
import { randomJoinCode } from '@/server/live/codes';
import { histogramOf, type LiveHistogram } from '@/server/live/live-state';

export const LIVE_CHANNEL = 'tokenloom_live';

export interface LiveConfig {
  maxStudents: number;
  idleMs: number;
  joinGuessesPerMinute: number;
}

type Executor = Pick<Database, 'execute'>;

export async function notifyClass(db: Executor, classId: string): Promise<void> {
  await db.execute(sql`SELECT pg_notify(${LIVE_CHANNEL}, ${classId})`);
}

function fail(code: TRPCError['code'], message: string): never {
  throw new TRPCError({ code, message });
}

const NO_CLASS = 'There is no live class with this id; the link may be mistyped.';
const ENDED = 'This class has ended.';

async function findClass(db: Database, classId: string): Promise<LiveClassRow> {
  const [row] = await db.select().from(liveClassTable).where(eq(liveClassTable.id, classId)).limit(1);
  return row ?? fail('NOT_FOUND', NO_CLASS);
}

/** The class, if `controlSecret` is its teacher's; FORBIDDEN otherwise, whatever else is sent. */
export async function authorizeTeacher(db: Database, classId: string, controlSecret: string | undefined): Promise<LiveClassRow> {
  const row = await findClass(db, classId);
  if (!controlSecret || !secretMatches(controlSecret, row.controlSecretHash)) {
    fail('FORBIDDEN', 'Only the teacher who started this class can do this.');
  }
  return row;
}

/** Start a live class for a lesson; returns the join code and the secret that controls it. */
export async function goLive(db: Database, doc: GraphDoc, config: LiveConfig) {
  if (!doc.lesson || doc.lesson.steps.length === 0) fail('BAD_REQUEST', 'Add at least one lesson step before going live.');
  const controlSecret = randomBase64Url(32);
  for (let attempt = 0; attempt < 8; attempt++) {
    const id = randomBase64Url(16);
    const code = randomJoinCode();
    try {
      await db.insert(liveClassTable).values({
        id,
        code,
        controlSecretHash: hashSecret(controlSecret),
        title: displayTitle(doc.title),
        doc,
        maxStudents: config.maxStudents,
      });
      return { classId: id, code, controlSecret };
    } catch (error) {
      // Another live class holds this code (unique among live ones): draw again.
      if (!isUniqueViolation(error)) throw error;
    }
  }
  return fail('INTERNAL_SERVER_ERROR', 'No free join code was found; try again.');
}

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

/** Teacher: move to `step`, optionally with the graph as it is now on the teacher's screen. */
export async function advance(db: Database, row: LiveClassRow, step: number, doc: GraphDoc | undefined): Promise<void> {
  if (row.status === 'ended') fail('PRECONDITION_FAILED', ENDED);
  const steps = (doc ?? row.doc).lesson?.steps.length ?? 0;
  if (step < 0 || step >= steps) fail('BAD_REQUEST', `This lesson has ${steps} steps; there is no step ${step + 1}.`);
  await db.transaction(async (tx) => {
    const updated = await tx
      .update(liveClassTable)
      .set({
        step,
        seq: sql`${liveClassTable.seq} + 1`,
        lastActivityAt: sql`now()`,
        ...(doc ? { doc, title: displayTitle(doc.title), docRevision: sql`${liveClassTable.docRevision} + 1` } : {}),
      })
      .where(and(eq(liveClassTable.id, row.id), eq(liveClassTable.status, 'live')))
      .returning({ id: liveClassTable.id });
    if (updated.length === 0) fail('PRECONDITION_FAILED', ENDED);
    await notifyClass(tx, row.id);
  });
}

/**
 * Teacher: reveal the current step. `answer` is the true answer the teacher's running graph
 * computed (nodes/live/prediction.ts measureAnswer); it is normalised and checked here. The
 * first reveal of a step is final: answers to it are refused from then on.
 */
export async function reveal(db: Database, row: LiveClassRow, step: number, answer: string | number | undefined): Promise<void> {
  if (row.status === 'ended') fail('PRECONDITION_FAILED', ENDED);
  if (step !== row.step) fail('PRECONDITION_FAILED', 'The class is on another step now; reveal the step it is on.');
  const prediction = row.doc.lesson?.steps[step]?.prediction;
  let stored: string | null = null;
  if (prediction) {
    if (answer === undefined) fail('BAD_REQUEST', 'The true answer is not ready yet: wait for the step’s node to finish running.');
    const normalized = normalizeAnswer(prediction, answer!);
    if (!normalized.ok) fail('BAD_REQUEST', `The graph’s answer does not fit this question: ${normalized.message}`);
    else stored = normalized.value;
  }
  await db.transaction(async (tx) => {
    const locked = await tx
      .update(liveClassTable)
      .set({ seq: sql`${liveClassTable.seq} + 1`, lastActivityAt: sql`now()` })
      .where(and(eq(liveClassTable.id, row.id), eq(liveClassTable.status, 'live'), eq(liveClassTable.step, step)))
      .returning({ id: liveClassTable.id });
    if (locked.length === 0) fail('PRECONDITION_FAILED', 'The class has moved on or ended.');
    await tx.insert(liveRevealTable).values({ classId: row.id, step, answer: stored }).onConflictDoNothing();
    await notifyClass(tx, row.id);
  });
}

export async function endClass(db: Database, row: LiveClassRow, reason: 'teacher' | 'idle'): Promise<void> {
  await db.transaction(async (tx) => {
    const ended = await tx
      .update(liveClassTable)
      .set({ status: 'ended', endedReason: reason, endedAt: sql`now()`, seq: sql`${liveClassTable.seq} + 1` })
      .where(and(eq(liveClassTable.id, row.id), eq(liveClassTable.status, 'live')))
      .returning({ id: liveClassTable.id });
    if (ended.length > 0) await notifyClass(tx, row.id);
  });
}

/** End every live class idle for longer than `idleMs`; returns how many ended. */
export async function endIdleClasses(db: Database, idleMs: number): Promise<number> {
  return db.transaction(async (tx) => {
    const ended = await tx
      .update(liveClassTable)
      .set({ status: 'ended', endedReason: 'idle', endedAt: sql`now()`, seq: sql`${liveClassTable.seq} + 1` })
      .where(and(eq(liveClassTable.status, 'live'), lt(liveClassTable.lastActivityAt, sql`now() - make_interval(secs => ${idleMs / 1000})`)))
      .returning({ id: liveClassTable.id });
    for (const { id } of ended) await notifyClass(tx, id);
    return ended.length;
  });
}

/**
 * A student joins by code. A client with a signed cookie that already joined gets its seat
 * back (with a new token); otherwise a seat is taken atomically, or the class is full.
 */
export async function join(db: Database, row: LiveClassRow, displayName: string, clientKey: string | undefined) {
  const token = randomBase64Url(32);
  if (clientKey) {
    const [seat] = await db
      .update(liveParticipantTable)
      .set({ tokenHash: hashSecret(token), displayName })
      .where(and(eq(liveParticipantTable.classId, row.id), eq(liveParticipantTable.clientKey, clientKey)))
      .returning({ id: liveParticipantTable.id });
    if (seat) return { classId: row.id, participantToken: token, displayName };
  }
  await db.transaction(async (tx) => {
    const seated = await tx
      .update(liveClassTable)
      .set({ studentCount: sql`${liveClassTable.studentCount} + 1`, seq: sql`${liveClassTable.seq} + 1` })
      .where(and(eq(liveClassTable.id, row.id), eq(liveClassTable.status, 'live'), lt(liveClassTable.studentCount, liveClassTable.maxStudents)))
      .returning({ id: liveClassTable.id });
    if (seated.length === 0) {
      fail('PRECONDITION_FAILED', `This class is full: it has room for ${row.maxStudents} students. Ask your teacher to start another one.`);
    }
    await tx.insert(liveParticipantTable).values({ id: randomBase64Url(16), classId: row.id, tokenHash: hashSecret(token), clientKey: clientKey ?? null, displayName });
    await notifyClass(tx, row.id);
  });
  return { classId: row.id, participantToken: token, displayName };
}

async function findParticipant(db: Database, classId: string, token: string) {
  const [participant] = await db
    .select()
    .from(liveParticipantTable)
    .where(and(eq(liveParticipantTable.tokenHash, hashSecret(token)), eq(liveParticipantTable.classId, classId)))
    .limit(1);
  return participant ?? fail('FORBIDDEN', 'This browser has not joined this class; join it with its code first.');
}

/** A student answers the step on screen; a second answer replaces the first until the reveal. */
export async function answer(db: Database, classId: string, token: string, step: number, raw: string) {
  const participant = await findParticipant(db, classId, token);
  const row = await findClass(db, classId);
  if (row.status === 'ended') fail('PRECONDITION_FAILED', ENDED);
  if (row.step !== step) fail('PRECONDITION_FAILED', 'The teacher has moved to another step; answer the one on screen.');
  const prediction = row.doc.lesson?.steps[step]?.prediction;
  if (!prediction) return fail('BAD_REQUEST', 'This step has no question to answer.');
  const normalized = normalizeAnswer(prediction, raw);
  if (!normalized.ok) return fail('BAD_REQUEST', normalized.message);
  await db.transaction(async (tx) => {
    const locked = await tx
      .update(liveClassTable)
      .set({ seq: sql`${liveClassTable.seq} + 1`, lastActivityAt: sql`now()` })
      .where(and(eq(liveClassTable.id, classId), eq(liveClassTable.status, 'live'), eq(liveClassTable.step, step)))
      .returning({ id: liveClassTable.id });
    if (locked.length === 0) fail('PRECONDITION_FAILED', 'The teacher has moved to another step; answer the one on screen.');
    const revealed = await tx
      .select({ step: liveRevealTable.step })
      .from(liveRevealTable)
      .where(and(eq(liveRevealTable.classId, classId), eq(liveRevealTable.step, step)))
      .limit(1);
    if (revealed.length > 0) fail('PRECONDITION_FAILED', 'The answer has been revealed: answers to this question are closed.');
    await tx
      .insert(liveAnswerTable)
      .values({ classId, participantId: participant.id, step, value: normalized.value })
      .onConflictDoUpdate({
        target: [liveAnswerTable.classId, liveAnswerTable.participantId, liveAnswerTable.step],
        set: { value: normalized.value, answeredAt: sql`now()` },
      });
    await notifyClass(tx, classId);
  });
  return { step, value: normalized.value };
}

/** A student's own answers, by step (after a reload). */
export async function myAnswers(db: Database, classId: string, token: string) {
  const participant = await findParticipant(db, classId, token);
  const rows = await db
    .select({ step: liveAnswerTable.step, value: liveAnswerTable.value })
    .from(liveAnswerTable)
    .where(and(eq(liveAnswerTable.classId, classId), eq(liveAnswerTable.participantId, participant.id)));
  return { displayName: participant.displayName, answers: rows };
}

/**
 * Teacher: every question's histogram and true answer, live or after the class ended. Nameless:
 * answers are counted per value, never listed per student.
 */
export async function results(db: Database, row: LiveClassRow) {
  const steps = row.doc.lesson?.steps ?? [];
  const [counts, reveals] = await Promise.all([
    db
      .select({ step: liveAnswerTable.step, value: liveAnswerTable.value, count: sql<number>`count(*)::int` })
      .from(liveAnswerTable)
      .where(eq(liveAnswerTable.classId, row.id))
      .groupBy(liveAnswerTable.step, liveAnswerTable.value),
    db.select().from(liveRevealTable).where(eq(liveRevealTable.classId, row.id)),
  ]);
  const out: { step: number; question: string; prompt: string; revealed: boolean; answer: string | null; answerLabel: string | null; histogram: LiveHistogram }[] = [];
  steps.forEach((step, index) => {
    const { prediction } = step;
    if (!prediction) return;
    const answerOf = reveals.find((r) => r.step === index);
    const answer = answerOf?.answer ?? null;
    out.push({
      step: index,
      question: step.question,
      prompt: prediction.prompt,
      revealed: answerOf !== undefined,
      answer,
      answerLabel: answer === null ? null : answerLabel(prediction, answer),
      histogram: histogramOf(prediction, counts.filter((c) => c.step === index), answerOf ? answerOf.answer : undefined),
    });
  });
  return {
    title: row.title,
    code: row.code,
    status: row.status,
    endedReason: row.endedReason ?? null,
    startedAt: row.createdAt.toISOString(),
    endedAt: row.endedAt?.toISOString() ?? null,
    students: row.studentCount,
    questions: out,
  };
}

/** Teacher, after a reload: the class's whole graph (notes included) and where the class is. */
export async function resumeTeacher(db: Database, row: LiveClassRow) {
  const [revealed] = await db
    .select({ step: liveRevealTable.step })
    .from(liveRevealTable)
    .where(and(eq(liveRevealTable.classId, row.id), eq(liveRevealTable.step, row.step)))
    .limit(1);
  return { code: row.code, status: row.status, step: row.step, revealed: revealed !== undefined, doc: row.doc };
}

/**
 * For students: the class's graph, by class id (the doc the teacher last sent), without the
 * teacher's notes and what-to-look-at, which come with each reveal (live-state.ts).
 */
export async function classDoc(db: Database, classId: string) {
  const row = await findClass(db, classId);
  const { lesson } = row.doc;
  const doc: GraphDoc = lesson ? { ...row.doc, lesson: { ...lesson, steps: lesson.steps.map((s) => ({ ...s, note: '', lookAt: '' })) } } : row.doc;
  return { doc, docRevision: row.docRevision };
}

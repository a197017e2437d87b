/**
 * What followers of a live class receive: one LiveState per change, read from the database
 * (the class row, the current step's reveal and its answer counts) and shaped per role.
 *
 * - The teacher sees the answers as a histogram at all times, without names, and the names of
 *   the last students who joined.
 * - A student sees the step's question (and prediction) at once, the teacher's note, what to look
 *   at, the true answer and the histogram only once the step is revealed; after the class ends,
 *   nothing but that it ended (answers stay for the teacher: liveService.results).
 * Not handled here: sending (hub.ts), changing anything (live-service.ts).
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import { answerLabel, normalizeAnswer, predictionKind, type Prediction, type PredictionKind } from '@/nodes/engine/lesson-prediction';
import type { Database } from '@/server/db/client';
import { liveAnswerTable, liveClassTable, liveParticipantTable, liveRevealTable, type LiveClassRow } from '@/server/db/schema';

export type LiveRole = 'teacher' | 'student';

export interface LivePrediction {
  kind: PredictionKind;
  prompt: string;
  options: { label: string; value: string }[];
}

export interface LiveStep {
  index: number;
  nodeId: string;
  question: string;
  /** Empty for students until the reveal. */
  note: string;
  lookAt: string;
  prediction: LivePrediction | null;
}

export interface LiveHistogram {
  total: number;
  /** Choice: every option in order; number: ascending; token: most answered first. At most 12 bins and "other". */
  bins: { value: string; label: string; count: number; correct: boolean | null }[];
}

export interface LiveState {
  classId: string;
  code: string;
  title: string;
  role: LiveRole;
  status: 'live' | 'ended';
  endedReason: 'teacher' | 'idle' | null;
  seq: number;
  step: number;
  totalSteps: number;
  docRevision: number;
  current: LiveStep | null;
  revealed: boolean;
  /** The true answer, from the teacher's running graph, once revealed. */
  answer: { value: string; label: string } | null;
  students: number;
  maxStudents: number;
  histogram: LiveHistogram | null;
  /** Teacher only: the display names of the last students who joined (text, never HTML). */
  recentNames: string[];
  idleMinutes: number;
}

/** Everything a refresh reads; shaped per role by stateFor. */
export interface ClassSnapshot {
  row: LiveClassRow;
  /** undefined: the current step is not revealed; null: revealed, without a question. */
  reveal: string | null | undefined;
  counts: { value: string; count: number }[];
  recentNames: string[];
}

const MAX_BINS = 12;

export async function readClassSnapshot(db: Database, classId: string): Promise<ClassSnapshot | undefined> {
  const [row] = await db.select().from(liveClassTable).where(eq(liveClassTable.id, classId)).limit(1);
  if (!row) return undefined;
  const [revealRows, counts, names] = await Promise.all([
    db
      .select({ answer: liveRevealTable.answer })
      .from(liveRevealTable)
      .where(and(eq(liveRevealTable.classId, classId), eq(liveRevealTable.step, row.step)))
      .limit(1),
    db
      .select({ value: liveAnswerTable.value, count: sql<number>`count(*)::int` })
      .from(liveAnswerTable)
      .where(and(eq(liveAnswerTable.classId, classId), eq(liveAnswerTable.step, row.step)))
      .groupBy(liveAnswerTable.value),
    db
      .select({ name: liveParticipantTable.displayName })
      .from(liveParticipantTable)
      .where(and(eq(liveParticipantTable.classId, classId), sql`${liveParticipantTable.displayName} <> ''`))
      .orderBy(desc(liveParticipantTable.joinedAt))
      .limit(8),
  ]);
  return { row, reveal: revealRows[0]?.answer, counts, recentNames: names.map((n) => n.name) };
}

/** The histogram of one step's answers; `answer` marks the true bin once revealed. */
export function histogramOf(prediction: Prediction, counts: readonly { value: string; count: number }[], answer: string | null | undefined): LiveHistogram {
  const kind = predictionKind(prediction);
  const total = counts.reduce((sum, c) => sum + c.count, 0);
  const correct = (value: string) => (answer === undefined || answer === null ? null : value === answer);
  let bins: LiveHistogram['bins'];
  if (kind === 'choice') {
    bins = prediction.options.map((o) => ({ value: o.value, label: o.label, count: counts.find((c) => c.value === o.value)?.count ?? 0, correct: correct(o.value) }));
  } else {
    const sorted = [...counts].sort((a, b) => (kind === 'number' ? Number(a.value) - Number(b.value) : b.count - a.count || a.value.localeCompare(b.value)));
    const kept = kind === 'number' && sorted.length > MAX_BINS ? [...sorted].sort((a, b) => b.count - a.count).slice(0, MAX_BINS).sort((a, b) => Number(a.value) - Number(b.value)) : sorted.slice(0, MAX_BINS);
    bins = kept.map((c) => ({ value: c.value, label: answerLabel(prediction, c.value), count: c.count, correct: correct(c.value) }));
    const other = total - kept.reduce((sum, c) => sum + c.count, 0);
    if (other > 0) bins.push({ value: '', label: 'other answers', count: other, correct: null });
  }
  return { total, bins };
}

export function stateFor(snapshot: ClassSnapshot, role: LiveRole, idleMinutes: number): LiveState {
  const { row } = snapshot;
  const steps = row.doc.lesson?.steps ?? [];
  const step = steps[row.step];
  const revealed = snapshot.reveal !== undefined;
  const prediction = step?.prediction;
  const ended = row.status === 'ended';
  const hidden = role === 'student' && ended;
  const showAnswers = role === 'teacher' || (revealed && !ended);
  const answerValue = revealed && prediction && snapshot.reveal ? normalizeAnswer(prediction, snapshot.reveal) : undefined;
  return {
    classId: row.id,
    code: row.code,
    title: row.title,
    role,
    status: row.status,
    endedReason: row.endedReason ?? null,
    seq: row.seq,
    step: row.step,
    totalSteps: steps.length,
    docRevision: row.docRevision,
    current:
      step && !hidden
        ? {
            index: row.step,
            nodeId: step.nodeId,
            question: step.question,
            note: role === 'teacher' || revealed ? step.note : '',
            lookAt: role === 'teacher' || revealed ? step.lookAt : '',
            prediction: prediction ? { kind: predictionKind(prediction), prompt: prediction.prompt, options: prediction.options } : null,
          }
        : null,
    revealed: revealed && !hidden,
    answer: answerValue?.ok && prediction && !hidden ? { value: answerValue.value, label: answerLabel(prediction, answerValue.value) } : null,
    students: row.studentCount,
    maxStudents: row.maxStudents,
    histogram: prediction && showAnswers && !hidden ? histogramOf(prediction, snapshot.counts, snapshot.reveal) : null,
    recentNames: role === 'teacher' ? snapshot.recentNames : [],
    idleMinutes,
  };
}

/**
 * Live classes (server/live/): a lesson the teacher runs live, the students who joined it and
 * their answers to its prediction questions. Re-exported by schema.ts, so drizzle-kit and the
 * drizzle client see one schema for PGlite and PostgreSQL.
 *
 * - `live_class`: one row per class. `code` is the 6-character join code, unique among classes
 *   still live (an ended class frees it). `seq` counts changes: every change bumps it and
 *   notifies (LISTEN/NOTIFY, server/live/hub.ts); followers use it as the event id to resume.
 *   `doc` is the graph students see (JSON text, lossless, as graph.doc); the control secret is
 *   stored as its sha256 only, like a graph's edit secret.
 * - `live_participant`: a student; the token (hashed) is what their browser answers with, and
 *   `client_key` (the signed client cookie, when there is one) lets a rejoin find the same seat.
 * - `live_reveal`: the steps revealed and their true answers; answers to them are refused.
 * - `live_answer`: one answer per student and step; changing it replaces the row until the
 *   step is revealed. Kept after the class ends, for the teacher only.
 * - `live_join_guess`: wrong join codes per client in the current minute, shared by every
 *   instance on this database (server/live/join-guesses.ts).
 * Not handled here: deleting old classes.
 */
import { sql } from 'drizzle-orm';
import { customType, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { GraphDoc } from '@/nodes/engine/graph-doc';

const jsonDoc = customType<{ data: GraphDoc; driverData: string }>({
  dataType: () => 'text',
  toDriver: (value) => JSON.stringify(value),
  fromDriver: (value) => JSON.parse(value) as GraphDoc,
});

export const liveClassTable = pgTable(
  'live_class',
  {
    /** 128 random bits, base64url: what followers and the teacher name the class by. */
    id: text('id').primaryKey(),
    code: text('code').notNull(),
    controlSecretHash: text('control_secret_hash').notNull(),
    title: text('title').notNull(),
    doc: jsonDoc('doc').notNull(),
    docRevision: integer('doc_revision').notNull().default(1),
    step: integer('step').notNull().default(0),
    status: text('status', { enum: ['live', 'ended'] }).notNull().default('live'),
    endedReason: text('ended_reason', { enum: ['teacher', 'idle'] }),
    maxStudents: integer('max_students').notNull(),
    studentCount: integer('student_count').notNull().default(0),
    seq: integer('seq').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastActivityAt: timestamp('last_activity_at', { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('live_class_live_code_idx').on(table.code).where(sql`${table.status} = 'live'`),
    index('live_class_status_activity_idx').on(table.status, table.lastActivityAt),
  ],
);

export const liveParticipantTable = pgTable(
  'live_participant',
  {
    id: text('id').primaryKey(),
    classId: text('class_id')
      .notNull()
      .references(() => liveClassTable.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    clientKey: text('client_key'),
    displayName: text('display_name').notNull().default(''),
    joinedAt: timestamp('joined_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('live_participant_token_idx').on(table.tokenHash),
    uniqueIndex('live_participant_client_idx').on(table.classId, table.clientKey),
  ],
);

export const liveAnswerTable = pgTable(
  'live_answer',
  {
    classId: text('class_id')
      .notNull()
      .references(() => liveClassTable.id, { onDelete: 'cascade' }),
    participantId: text('participant_id')
      .notNull()
      .references(() => liveParticipantTable.id, { onDelete: 'cascade' }),
    step: integer('step').notNull(),
    value: text('value').notNull(),
    answeredAt: timestamp('answered_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.classId, table.participantId, table.step] }), index('live_answer_step_idx').on(table.classId, table.step)],
);

/** A step the teacher revealed, with its true answer (normalised; null for a step without a question). */
export const liveRevealTable = pgTable(
  'live_reveal',
  {
    classId: text('class_id')
      .notNull()
      .references(() => liveClassTable.id, { onDelete: 'cascade' }),
    step: integer('step').notNull(),
    answer: text('answer'),
    revealedAt: timestamp('revealed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.classId, table.step] })],
);

/** A client's wrong join codes in the window that started at its first one (server/live/join-guesses.ts). */
export const liveJoinGuessTable = pgTable(
  'live_join_guess',
  {
    client: text('client').primaryKey(),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull().defaultNow(),
    guesses: integer('guesses').notNull().default(1),
  },
  (table) => [index('live_join_guess_window_idx').on(table.windowStart)],
);

export type LiveClassRow = typeof liveClassTable.$inferSelect;

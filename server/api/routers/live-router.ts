/**
 * liveRouter: a lesson taught live. The teacher goes live from a lesson and gets a join code and
 * a control secret (kept by the teacher's browser, like an edit secret); students join by code
 * and follow the class over SSE; only the control secret advances, reveals or ends.
 *
 * - `start` (teacher): `{ doc }` with at least one lesson step → `{ classId, code, controlSecret }`;
 *   counted against the client's save budget (save-rate-limit.ts).
 * - `join` (anyone): `{ code, displayName? }` → `{ classId, participantToken, displayName }`.
 *   Wrong codes count against the client's guessing budget (TOKENLOOM_LIVE_JOIN_GUESSES_PER_MINUTE,
 *   in the database, so shared by every instance: server/live/join-guesses.ts); a full class is
 *   refused with a sentence.
 * - `follow` (subscription): `{ classId, controlSecret? }` (with the secret: the teacher's view).
 *   Tracked events; a reconnect's lastEventId resumes (server/live/hub.ts).
 * - `advance`, `reveal`, `end`, `results`, `resume` (teacher, by control secret): `results` is
 *   every question's answers and true answer, during the class or after it ended; `resume` gives
 *   a reloaded teacher page the class's full graph and where it is.
 * - `answer`, `mine` (student, by participant token); `doc` (anyone with the class id).
 * Not handled here: SQL and the rules of each change (server/live/live-service.ts).
 */
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { MAX_ANSWER_CHARS } from '@/nodes/engine/lesson-prediction';
import { graphDocInput } from '@/server/api/routers/graph-router';
import { saveProcedure } from '@/server/api/save-rate-limit';
import { createTRPCRouter, publicProcedure } from '@/server/api/trpc';
import { env } from '@/server/env';
import { cleanDisplayName, normalizeJoinCode } from '@/server/live/codes';
import { liveHubFor } from '@/server/live/hub';
import { lookUpJoinCode } from '@/server/live/join-guesses';
import * as live from '@/server/live/live-service';

const classIdSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'a class id is 22 characters of A–Z, a–z, 0–9, - and _');
const secretSchema = z.string().min(1).max(200);
const stepSchema = z.number().int().min(0).max(1000);

export function liveConfigFromEnv(): live.LiveConfig {
  return {
    maxStudents: env.TOKENLOOM_LIVE_MAX_STUDENTS,
    idleMs: env.TOKENLOOM_LIVE_IDLE_MINUTES * 60_000,
    joinGuessesPerMinute: env.TOKENLOOM_LIVE_JOIN_GUESSES_PER_MINUTE,
  };
}

/** In-process callers (no ctx.client) share one guessing budget, as cookieless clients do. */
const IN_PROCESS_CLIENT = 'in-process';

export function createLiveRouter(config: () => live.LiveConfig = liveConfigFromEnv) {
  return createTRPCRouter({
    // Counted with graph saves: each class is a stored copy of the graph.
    start: saveProcedure.input(z.object({ doc: graphDocInput })).mutation(async ({ ctx, input }) => {
      const hub = liveHubFor(ctx.db, config());
      await hub.sweep();
      return live.goLive(ctx.db, input.doc, config());
    }),

    join: publicProcedure
      .input(z.object({ code: z.string().max(40), displayName: z.string().max(400).default('') }))
      .mutation(async ({ ctx, input }) => {
        const row = await lookUpJoinCode(ctx.db, ctx.client ?? IN_PROCESS_CLIENT, normalizeJoinCode(input.code), config().joinGuessesPerMinute);
        const name = cleanDisplayName(input.displayName);
        if (!name.ok) throw new TRPCError({ code: 'BAD_REQUEST', message: name.message });
        // Only a signed cookie names a client for keeping one seat; an address is shared by many.
        const clientKey = ctx.client?.startsWith('c:') ? ctx.client : undefined;
        return live.join(ctx.db, row, name.name, clientKey);
      }),

    follow: publicProcedure
      .input(z.object({ classId: classIdSchema, controlSecret: secretSchema.optional(), lastEventId: z.string().max(20).nullish() }))
      .subscription(async function* ({ ctx, input, signal }) {
        const role = input.controlSecret === undefined ? 'student' : 'teacher';
        if (role === 'teacher') await live.authorizeTeacher(ctx.db, input.classId, input.controlSecret);
        const hub = liveHubFor(ctx.db, config());
        yield* hub.follow(input.classId, role, input.lastEventId, signal ?? new AbortController().signal);
      }),

    advance: publicProcedure
      .input(z.object({ classId: classIdSchema, controlSecret: secretSchema, step: stepSchema, doc: graphDocInput.optional() }))
      .mutation(async ({ ctx, input }) => {
        const row = await live.authorizeTeacher(ctx.db, input.classId, input.controlSecret);
        await live.advance(ctx.db, row, input.step, input.doc);
        return { step: input.step };
      }),

    reveal: publicProcedure
      .input(
        z.object({
          classId: classIdSchema,
          controlSecret: secretSchema,
          step: stepSchema,
          answer: z.union([z.string().max(MAX_ANSWER_CHARS), z.number().finite()]).optional(),
        }),
      )
      .mutation(async ({ ctx, input }) => {
        const row = await live.authorizeTeacher(ctx.db, input.classId, input.controlSecret);
        await live.reveal(ctx.db, row, input.step, input.answer);
        return { step: input.step };
      }),

    end: publicProcedure.input(z.object({ classId: classIdSchema, controlSecret: secretSchema })).mutation(async ({ ctx, input }) => {
      const row = await live.authorizeTeacher(ctx.db, input.classId, input.controlSecret);
      await live.endClass(ctx.db, row, 'teacher');
      return { ended: true };
    }),

    results: publicProcedure.input(z.object({ classId: classIdSchema, controlSecret: secretSchema })).query(async ({ ctx, input }) => {
      const row = await live.authorizeTeacher(ctx.db, input.classId, input.controlSecret);
      return live.results(ctx.db, row);
    }),

    resume: publicProcedure.input(z.object({ classId: classIdSchema, controlSecret: secretSchema })).query(async ({ ctx, input }) => {
      const row = await live.authorizeTeacher(ctx.db, input.classId, input.controlSecret);
      return live.resumeTeacher(ctx.db, row);
    }),

    answer: publicProcedure
      .input(z.object({ classId: classIdSchema, participantToken: secretSchema, step: stepSchema, value: z.string().max(MAX_ANSWER_CHARS) }))
      .mutation(({ ctx, input }) => live.answer(ctx.db, input.classId, input.participantToken, input.step, input.value)),

    mine: publicProcedure
      .input(z.object({ classId: classIdSchema, participantToken: secretSchema }))
      .query(({ ctx, input }) => live.myAnswers(ctx.db, input.classId, input.participantToken)),

    doc: publicProcedure.input(z.object({ classId: classIdSchema })).query(({ ctx, input }) => live.classDoc(ctx.db, input.classId)),
  });
}

export const liveRouter = createLiveRouter();

/**
 * runRouter: run a graph on the server with the browser's engine (nodes/engine/executor.ts,
 * the same registry, where: 'server') and stream its events; page through large results.
 *
 * - `start` (subscription, SSE): `{ doc }` or `{ stagedId }` (from `stage`), optional `runId`.
 *   Yields `run:accepted` once admitted (the run id and its cancel token), then the executor's RunEvents as
 *   they happen, exactly what the browser worker posts; events waiting together come as one
 *   `run:events` message (RunEventBatch), which components/canvas/server-runner.ts unpacks. The client is the signed cookie's
 *   (server/api/client-identity.ts, via ctx.client).
 *   Ends after `run:done`; a run stopped by the wall-time limit then fails with TIMEOUT.
 *   Closing the stream cancels the run. Refused with TOO_MANY_REQUESTS over the per-client
 *   or server-wide number of runs.
 * - `stage` (mutation): posts a graph too large for the subscription's URL; returns a one-use
 *   id valid for a minute. components/canvas/server-runner.ts decides when to use it.
 * - `cancel` (mutation): stops the caller's run `runId` given its `cancelToken` (closing the
 *   stream does the same); another client, or a wrong token, cancels nothing.
 * - `page` and `query` (queries): the one lookup protocol for results held on the server
 *   (server/run/lookup.ts), by the recipe key a `node:done` / `node:cached` event carried:
 *   `page` reads a page of one output port by the generic rule in paging.ts (no inspector
 *   needs it today; it is kept for tools and tests), `query` asks the node kind's question.
 * - `info` (query): which engine runs graphs (engine processes or in-process) and the limits.
 *
 * Documents are migrated and validated by loadGraphDoc (GRAPH_LIMITS bound nodes and edges),
 * and refused when their string params exceed the input limit, before anything runs.
 * Not handled here: the limits' mechanics and the engine processes (server/run/), the HTTP body limit
 * (the route handler; `run.stage` gets a larger one than other procedures).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { loadGraphDoc, type GraphDoc, type graphDocSchema } from '@/nodes/engine/graph-doc';
import { createTRPCRouter, publicProcedure } from '@/server/api/trpc';
import { formatMegabytes, formatMegabytesAbove, formatSeconds, stringParamBytes } from '@/server/run/limits';
import { MAX_PAGE_CHARS } from '@/server/run/paging';
import { getRunManager, type RunManager } from '@/server/run/run-manager';

/**
 * A GraphDoc for running: migrated and validated by loadGraphDoc (its message names the
 * node), then its string params are measured against the manager's input limit.
 */
function runDocInput(manager: () => RunManager) {
  return z.custom<z.input<typeof graphDocSchema>>(() => true).transform((raw, ctx): GraphDoc => {
    const loaded = loadGraphDoc(raw);
    if (!loaded.ok) {
      ctx.addIssue({ code: 'custom', message: loaded.message });
      return z.NEVER;
    }
    const bytes = stringParamBytes(loaded.doc);
    const limit = manager().limits.maxInputBytes;
    if (bytes > limit) {
      ctx.addIssue({
        code: 'custom',
        message: `This graph holds ${formatMegabytesAbove(bytes, limit)} MB of text in its nodes; the server runs at most ${formatMegabytes(limit)} per graph.`,
      });
      return z.NEVER;
    }
    return loaded.doc;
  });
}

const runIdSchema = z.string().min(1).max(100);

/** In-process callers (createCaller without an HTTP request) share one identity. */
const IN_PROCESS_CLIENT = 'in-process';

export function createRunRouter(manager: () => RunManager = getRunManager) {
  const docInput = runDocInput(manager);
  return createTRPCRouter({
    stage: publicProcedure.input(z.object({ doc: docInput })).mutation(({ input }) => manager().stage(input.doc)),

    start: publicProcedure
      .input(
        z
          .object({ doc: docInput.optional(), stagedId: z.string().uuid().optional(), runId: runIdSchema.optional() })
          .refine((value) => (value.doc === undefined) !== (value.stagedId === undefined), {
            message: 'Send either a graph (doc) or the id of a staged one (stagedId).',
          }),
      )
      .subscription(async function* ({ ctx, input, signal }) {
        const runs = manager();
        const doc = input.doc ?? runs.takeStaged(input.stagedId!);
        yield* runs.start({
          doc,
          client: ctx.client ?? IN_PROCESS_CLIENT,
          runId: input.runId ?? randomUUID(),
          signal: signal ?? new AbortController().signal,
          batch: true,
        });
      }),

    cancel: publicProcedure
      .input(z.object({ runId: runIdSchema, cancelToken: z.string().min(1).max(100) }))
      .mutation(async ({ ctx, input }) => ({ cancelled: await manager().cancel(ctx.client ?? IN_PROCESS_CLIENT, input.runId, input.cancelToken) })),

    page: publicProcedure
      .input(
        z.object({
          key: z.string().min(1).max(200),
          port: z.string().min(1).max(64),
          offset: z.number().int().min(0).default(0),
          limit: z.number().int().min(1).max(MAX_PAGE_CHARS).default(500),
        }),
      )
      .query(({ input: { key, ...page } }) => manager().lookup({ key, question: { kind: 'page', ...page } })),

    /** An inspector's question about a result held on the server (a vocabulary page, an export). */
    query: publicProcedure
      .input(
        z.object({
          nodeType: z.string().min(1).max(64),
          key: z.string().min(1).max(200),
          request: z.unknown().refine((r) => JSON.stringify(r ?? null).length <= 10_000, 'The question is too long (10 KB at most).'),
        }),
      )
      .query(({ input }) => manager().lookup({ key: input.key, question: { kind: 'query', nodeType: input.nodeType, request: input.request } })),

    info: publicProcedure.query(async () => {
      const runs = manager();
      const { engine, queue, processes, maxProcesses, memoryMb } = await runs.info();
      const { maxInputBytes, maxRunMs, maxRunsPerClient } = runs.limits;
      return {
        engine,
        /** Runs go to `npm run worker` processes through the PostgreSQL job queue. */
        queue,
        processes,
        maxProcesses,
        maxMemory: `${memoryMb} MB`,
        maxInput: formatMegabytes(maxInputBytes),
        maxRunTime: formatSeconds(maxRunMs),
        maxRunsPerClient,
      };
    }),
  });
}

export const runRouter = createRunRouter();

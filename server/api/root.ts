/**
 * The app's tRPC router: one sub-router per area. `AppRouter` is the type the client imports;
 * `createCaller` calls procedures in-process (server components, tests) without HTTP.
 * Not handled here: the HTTP transport (app/api/trpc/[trpc]/route.ts).
 */
import { graphRouter } from '@/server/api/routers/graph-router';
import { liveRouter } from '@/server/api/routers/live-router';
import { runRouter } from '@/server/api/routers/run-router';
import { createCallerFactory, createTRPCRouter } from '@/server/api/trpc';

export const appRouter = createTRPCRouter({
  graph: graphRouter,
  run: runRouter,
  live: liveRouter,
});

export type AppRouter = typeof appRouter;

/**
 * @example
 * const caller = createCaller({ db, headers: new Headers() });
 * const { id, editSecret } = await caller.graph.create({ doc });
 */
export const createCaller = createCallerFactory(appRouter);

/**
 * tRPC setup: the request context, the procedure builders and the error formatter.
 *
 * Context is `{ db, headers, client }`; the route handler builds it per request from the app's
 * database and the client cookie, tests build it with a throwaway database. Input validation errors (zod) come back as
 * BAD_REQUEST with a readable `message` (see readableInputErrors) and, over HTTP, the issues
 * as `data.zodIssues`. No transformer:
 * procedures return plain JSON (times as ISO strings), so no superjson is needed.
 * Not handled here: authentication (graphs are guarded by per-graph edit secrets instead), rate
 * limits (save-rate-limit.ts, server/run/run-manager.ts).
 */
import { initTRPC, TRPCError } from '@trpc/server';
import { z } from 'zod';
import { identifyClient } from '@/server/api/client-identity';
import { getDb, type Database } from '@/server/db/client';

export type TRPCContext = {
  db: Database;
  headers: Headers;
  /**
   * Who is asking (server/api/client-identity.ts): the signed cookie's id, or an anonymous
   * budget. Absent for in-process callers (server components, tests), which no per-client
   * limit applies to.
   */
  client?: string;
};

/**
 * Per HTTP request: the database, and the client from its cookie; a request without a valid
 * cookie gets a new one through `resHeaders` (the fetch adapter's response headers).
 */
export async function createTRPCContext(opts: { headers: Headers; resHeaders?: Headers; secure?: boolean }): Promise<TRPCContext> {
  const { client, setCookie } = identifyClient(opts.headers, { secure: opts.secure });
  if (setCookie) opts.resHeaders?.append('set-cookie', setCookie);
  return { db: await getDb(), headers: opts.headers, client };
}

export type ZodIssueSummary = { path: string; message: string };

/**
 * One sentence for the user. Our own checks (zod `custom` issues) are written as whole
 * sentences and shown as they are; zod's built-in messages need the field path to make sense.
 *
 * @example
 * readableZodMessage(issues) // "id: Too small: expected string to have >=22 characters"
 */
export function readableZodMessage(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.code === 'custom' || issue.path.length === 0 ? issue.message : `${issue.path.join('.')}: ${issue.message}`))
    .join('; ');
}

const t = initTRPC.context<TRPCContext>().create({
  errorFormatter({ shape, error }) {
    const zodError = error.cause instanceof z.ZodError ? error.cause : null;
    return {
      ...shape,
      data: {
        ...shape.data,
        zodIssues: zodError
          ? zodError.issues.map((issue): ZodIssueSummary => ({ path: issue.path.join('.'), message: issue.message }))
          : null,
      },
    };
  },
});

/**
 * zod's own ZodError message is a JSON dump of its issues. Procedures' `.input()` parsing runs
 * inside this middleware, so rewriting the error here gives the readable message to every
 * caller: HTTP clients and in-process createCaller alike. The ZodError stays as `cause`.
 */
const readableInputErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok || !(result.error.cause instanceof z.ZodError)) return result;
  const zodError = result.error.cause;
  return { ...result, error: new TRPCError({ code: result.error.code, message: readableZodMessage(zodError), cause: zodError }) };
});

export const createCallerFactory = t.createCallerFactory;
export const createTRPCRouter = t.router;
/** Every procedure is public: reading a graph needs only its id, changing it needs its secret. */
export const publicProcedure = t.procedure.use(readableInputErrors);

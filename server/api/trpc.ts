/**
 * tRPC setup: the request context, the procedure builders and the error formatter.
 *
 * Context is `{ db, headers, client }`; the route handler builds it per request from the app's
 * database and the client cookie, tests build it with a throwaway database. Input validation errors (zod) come back as
 * BAD_REQUEST with a readable `message` (see readableInputErrors) and, over HTTP, the issues
 * as `data.zodIssues`. An unexpected failure (a database error, a bug) reaches the client as
 * one fixed sentence, never its message or stack: a driver's message quotes the SQL and every
 * parameter, which for a save is the whole document. `describeErrorForLog` is the one line the
 * server logs for it instead. No transformer:
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

/** What the client is told about a failure it cannot act on. */
export const UNEXPECTED_FAILURE_MESSAGE = 'The server could not complete this request because of an internal error. Try again in a moment.';

/**
 * True for an error tRPC wrapped from something a procedure threw that was not a TRPCError: its
 * message is the thrown error's own (SQL, file paths, a document). A TRPCError we throw
 * ourselves, even INTERNAL_SERVER_ERROR, carries a sentence written for the user and is kept.
 */
export function isUnexpectedFailure(error: TRPCError): boolean {
  return error.code === 'INTERNAL_SERVER_ERROR' && error.cause instanceof Error && !(error.cause instanceof TRPCError) && error.message === error.cause.message;
}

/**
 * One log line for a failed call: procedure, code, and the error's kind (class names down the
 * cause chain, a Postgres SQLSTATE when there is one), never a message, which may hold SQL or a
 * document.
 *
 * @example
 * describeErrorForLog(error, 'graph.create') // "[trpc] graph.create failed: INTERNAL_SERVER_ERROR (DrizzleQueryError < error, SQLSTATE 23514)"
 */
export function describeErrorForLog(error: TRPCError, path: string | undefined): string {
  const kinds: string[] = [];
  let sqlState: string | undefined;
  let cause: unknown = error.cause;
  for (let depth = 0; cause instanceof Error && depth < 5; depth++) {
    kinds.push(cause.constructor?.name || cause.name || 'Error');
    const code = (cause as { code?: unknown }).code;
    if (sqlState === undefined && typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) sqlState = code;
    cause = cause.cause;
  }
  const reason = [kinds.join(' < '), sqlState ? `SQLSTATE ${sqlState}` : ''].filter(Boolean).join(', ');
  return `[trpc] ${path ?? '(no path)'} failed: ${error.code}${reason ? ` (${reason})` : ''}`;
}

const t = initTRPC.context<TRPCContext>().create({
  errorFormatter({ shape, error }) {
    const zodError = error.cause instanceof z.ZodError ? error.cause : null;
    if (isUnexpectedFailure(error)) {
      const { stack: _stack, ...data } = shape.data;
      return { ...shape, message: UNEXPECTED_FAILURE_MESSAGE, data: { ...data, zodIssues: null } };
    }
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

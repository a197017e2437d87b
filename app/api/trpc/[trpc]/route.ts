/**
 * The one tRPC HTTP endpoint, /api/trpc/<procedure>, served by tRPC's fetch adapter.
 *
 * Request bodies are streamed through a byte counter and refused above MAX_REQUEST_BYTES
 * (a 2 MB graph plus room for the envelope) with a tRPC PAYLOAD_TOO_LARGE error, HTTP 413,
 * before anything is parsed; a smaller but still oversized graph gets the router's own message.
 * `run.stage` alone (a graph to run on the server, up to the run input limit, 20 MB of text by
 * default) gets a larger body limit: twice that limit, for JSON escaping, plus the envelope.
 * Responses stream as they are produced: `run.start` is a server-sent-events subscription, and
 * the request's signal (aborted by Next when the client disconnects) cancels the run.
 * The context sets the client cookie on responses to requests without a valid one.
 * Not handled here: CORS (same-origin app), rate limiting (per procedure), auth (edit secrets are per graph).
 */
import { TRPCError } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { appRouter } from '@/server/api/root';
import { MAX_GRAPH_BYTES } from '@/server/api/routers/graph-router';
import { createTRPCContext, describeErrorForLog } from '@/server/api/trpc';
import { formatMegabytes, formatMegabytesAbove } from '@/server/run/limits';
import { getRunManager } from '@/server/run/run-manager';

export const runtime = 'nodejs';

const MAX_REQUEST_BYTES = MAX_GRAPH_BYTES + 1_000_000;

interface BodyLimit {
  maxBytes: number;
  /** What the limit is for, in parentheses after it. */
  why: string;
}

const DEFAULT_BODY_LIMIT: BodyLimit = { maxBytes: MAX_REQUEST_BYTES, why: `a graph may be at most ${MAX_GRAPH_BYTES / 1_000_000} MB` };

function bodyLimitFor(req: Request): BodyLimit {
  if (new URL(req.url).pathname !== '/api/trpc/run.stage') return DEFAULT_BODY_LIMIT;
  const maxInputBytes = getRunManager().limits.maxInputBytes;
  return {
    maxBytes: 2 * maxInputBytes + 1_000_000,
    why: `a graph run on the server may hold at most ${formatMegabytes(maxInputBytes)} of text`,
  };
}

function requestTooLarge(bytes: number | null, limit: BodyLimit): TRPCError {
  const size = bytes === null ? `over ${limit.maxBytes / 1_000_000} MB` : `${formatMegabytesAbove(bytes, limit.maxBytes)} MB`;
  return new TRPCError({
    code: 'PAYLOAD_TOO_LARGE',
    message: `This request is ${size}; the limit is ${limit.maxBytes / 1_000_000} MB (${limit.why}).`,
  });
}

/**
 * The same request with a body that errors once it passes `maxBytes` (at once when
 * Content-Length already says so). tRPC reads the body inside its own error handling, so the
 * error becomes a normal tRPC error response rather than a dropped connection.
 */
function withBodyLimit(req: Request, limit: BodyLimit): Request {
  if (!req.body) return req;
  const { maxBytes } = limit;
  const declared = Number(req.headers.get('content-length') ?? Number.NaN);
  let received = 0;
  const limitedBody = req.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      start(controller) {
        if (declared > maxBytes) controller.error(requestTooLarge(declared, limit));
      },
      transform(chunk, controller) {
        received += chunk.byteLength;
        if (received > maxBytes) controller.error(requestTooLarge(Number.isFinite(declared) ? declared : null, limit));
        else controller.enqueue(chunk);
      },
    }),
  );
  // `duplex` is required by Node's fetch for streamed bodies but missing from the DOM typings.
  return new Request(req, { body: limitedBody, duplex: 'half' } as RequestInit);
}

function handleTrpcRequest(req: Request): Promise<Response> {
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req: withBodyLimit(req, bodyLimitFor(req)),
    router: appRouter,
    maxBatchSize: 20,
    createContext: ({ req: limitedReq, resHeaders }) =>
      createTRPCContext({ headers: limitedReq.headers, resHeaders, secure: new URL(limitedReq.url).protocol === 'https:' }),
    onError({ error, path }) {
      // One line, no message: a database error's message holds the SQL and the whole document.
      if (error.code === 'INTERNAL_SERVER_ERROR') console.error(describeErrorForLog(error, path));
    },
  });
}

export { handleTrpcRequest as GET, handleTrpcRequest as POST };

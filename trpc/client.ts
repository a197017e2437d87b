/**
 * The app's one tRPC client: subscriptions (a run's event stream) over SSE with
 * httpSubscriptionLink, everything else over httpLink. Type-only import of the router: no
 * server code reaches the bundle. Errors are turned into one sentence for a toast.
 *
 * `api` is the browser's client for this app's own server (storage, runs, questions about a
 * result held there). `createApiClient` makes one elsewhere: in Node (tests, scripts, the
 * bench) pass `url` (absolute), `EventSource` (the `eventsource` package) and optionally
 * `headers` (e.g. `cookie` with a client cookie), which go on every request.
 *
 * Not handled here: what a run's stream means (components/canvas/server-runner.ts), calls from
 * server components (trpc/server.ts).
 */
import { createTRPCClient, httpLink, httpSubscriptionLink, splitLink, TRPCClientError, type TRPCClient } from '@trpc/client';
import type { AppRouter } from '@/server/api/root';

export interface ApiClientOptions {
  /** The tRPC endpoint; '/api/trpc' in the browser. */
  url?: string;
  /** EventSource implementation; globalThis.EventSource by default. */
  EventSource?: typeof EventSource;
  /** Headers for every request, e.g. a `cookie` (Node only for the event stream: browsers' EventSource cannot send headers). */
  headers?: Record<string, string>;
}

export type ApiClient = TRPCClient<AppRouter>;

type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

function withHeaders(headers: Record<string, string> | undefined): FetchLike | undefined {
  if (!headers) return undefined;
  return (input, init) => fetch(input, { ...init, headers: { ...Object.fromEntries(new Headers(init?.headers)), ...headers } });
}

export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const url = options.url ?? '/api/trpc';
  const fetchWithHeaders = withHeaders(options.headers);
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url,
          EventSource: options.EventSource,
          // The `eventsource` package takes a fetch; a browser's EventSource ignores the option.
          eventSourceOptions: fetchWithHeaders ? ({ fetch: fetchWithHeaders } as EventSourceInit) : undefined,
        }),
        false: httpLink({ url, headers: options.headers }),
      }),
    ],
  });
}

/** The browser's client for this app's server. */
export const api: ApiClient = createApiClient();

/** "The server could not be reached" rather than "Failed to fetch". */
export function describeApiError(error: unknown): string {
  if (error instanceof TRPCClientError) {
    const status = (error.data as { httpStatus?: number } | undefined)?.httpStatus;
    if (!status || error.message === 'Failed to fetch' || /fetch failed|NetworkError/i.test(error.message)) {
      return 'The server could not be reached.';
    }
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

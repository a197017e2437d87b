/**
 * The browser's tRPC client for graph storage. Type-only import of the router: no server code
 * reaches the bundle. Errors are turned into one sentence for a toast.
 */
import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import type { AppRouter } from '@/server/api/root';

export const api = createTRPCClient<AppRouter>({
  links: [httpLink({ url: '/api/trpc' })],
});

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

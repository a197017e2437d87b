/**
 * The tRPC client a live class talks through: subscriptions (live.follow) over SSE with
 * httpSubscriptionLink, which reconnects by itself after a dropped connection and sends the
 * last event id it saw, so the server resumes from there; everything else over httpLink.
 * In Node (tests, the bench) pass an absolute `url` and `EventSource` (the `eventsource` package).
 * Not handled here: what to do with the states (the live pages).
 */
import { createTRPCClient, httpLink, httpSubscriptionLink, splitLink, type TRPCClient } from '@trpc/client';
import type { AppRouter } from '@/server/api/root';

export type LiveClient = TRPCClient<AppRouter>;

export function createLiveClient(options: { url?: string; EventSource?: typeof EventSource } = {}): LiveClient {
  const url = options.url ?? '/api/trpc';
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({ url, EventSource: options.EventSource }),
        false: httpLink({ url }),
      }),
    ],
  });
}

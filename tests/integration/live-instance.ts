/**
 * An app instance for live-class tests and the bench: the app's tRPC router (with live limits
 * of the test's choosing) served over real HTTP by tRPC's standalone adapter, on one database
 * client of its own. Two instances on one PostgreSQL are two pools and two LISTEN connections,
 * as two servers behind a load balancer would be. The client identity is the app's signed cookie.
 */
import type { AddressInfo } from 'node:net';
import { createHTTPServer } from '@trpc/server/adapters/standalone';
import { identifyClient } from '@/server/api/client-identity';
import { graphRouter } from '@/server/api/routers/graph-router';
import { createLiveRouter } from '@/server/api/routers/live-router';
import { createTRPCRouter, type TRPCContext } from '@/server/api/trpc';
import type { Database } from '@/server/db/client';
import type { LiveConfig } from '@/server/live/live-service';

export interface LiveInstance {
  url: string;
  /** Drop every open connection (event streams included), as a network failure would. */
  dropConnections(): void;
  close(): Promise<void>;
}

export async function startLiveInstance(db: Database, config: LiveConfig): Promise<LiveInstance> {
  const router = createTRPCRouter({ graph: graphRouter, live: createLiveRouter(() => config) });
  const server = createHTTPServer({
    router,
    basePath: '/api/trpc/',
    createContext: ({ req }): TRPCContext => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
      return { db, headers, client: identifyClient(headers).client };
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/trpc`,
    dropConnections: () => server.closeAllConnections(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

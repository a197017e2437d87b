/**
 * The HTTP behaviour the integration suite relies on, checked on its hand-written Node server
 * (run-http-server.ts). tests/e2e/http-conformance.spec.ts runs the same checks against
 * `next start`, so the two servers are held to one contract (tests/shared/http-conformance.ts).
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { HTTP_CONFORMANCE } from '../shared/http-conformance';
import { serveRoute, type RouteServer } from './run-http-server';

let server: RouteServer;
beforeAll(async () => {
  server = await serveRoute();
});
afterAll(async () => {
  await server.close();
});

describe('the hand-written test server, held to the production contract', () => {
  for (const [behaviour, check] of Object.entries(HTTP_CONFORMANCE)) {
    it(behaviour, () => check({ url: server.url }), 180_000);
  }
});

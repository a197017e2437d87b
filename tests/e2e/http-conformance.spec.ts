/**
 * The production server (`next start`, as the README starts it) held to the same HTTP contract
 * as the integration suite's hand-written server (tests/shared/http-conformance.ts): streaming,
 * abort and body limits. No browser: plain HTTP from the test process.
 */
import { test } from '@playwright/test';
import { HTTP_CONFORMANCE } from '../shared/http-conformance';

test.describe('next start keeps the HTTP contract', () => {
  for (const [behaviour, check] of Object.entries(HTTP_CONFORMANCE)) {
    test(behaviour, async ({ baseURL }) => {
      test.setTimeout(180_000);
      await check({ url: `${baseURL}/api/trpc` });
    });
  }
});

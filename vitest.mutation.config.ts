/**
 * Vitest for Stryker (stryker.config.mjs): the usual suite minus tests whose code under test
 * runs where Stryker cannot switch mutants on, so they can never kill one and only cost time:
 * - run-cli.test.ts spawns `tsx` (another process; it also fails inside Stryker's sandbox);
 * - with STRYKER_SKIP_HTTP=1, also run-http and run-limits, whose graphs run in engine child
 *   processes. Keep them (the default) when server/run/run-manager.ts is mutated: it runs in the
 *   test's own thread and only they exercise it. Skip them for runs scoped to nodes/.
 */
import { configDefaults, defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config';

const otherProcess = ['tests/integration/run-cli.test.ts'];
const workerThreads = ['tests/integration/run-http.test.ts', 'tests/integration/run-limits.test.ts'];

export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: [...configDefaults.exclude, ...otherProcess, ...(process.env.STRYKER_SKIP_HTTP === '1' ? workerThreads : [])],
    },
  }),
);

/**
 * Vitest for Stryker (stryker.config.mjs): the usual suite minus tests whose code under test
 * runs where Stryker cannot switch mutants on, so they can never kill one and only cost time:
 * - run-cli.test.ts spawns `tsx` (another process; it also fails inside Stryker's sandbox);
 * - with STRYKER_SKIP_HTTP=1, also run-http and run-limits, whose graphs run in engine child
 *   processes. Keep them (the default) when server/run/run-manager.ts is mutated: it runs in the
 *   test's own thread and only they exercise it. Skip them for runs scoped to nodes/.
 * STRYKER_TESTS (comma-separated globs, e.g. `tests/unit/nodes/clean/**`) narrows the tests to
 * the folder's own: the related tests of a kind include every template test that reaches it
 * through the registry, which on two busy cores makes one folder's run take hours. The score
 * it gives is a lower bound (a mutant only a template test would kill counts as survived).
 */
import { configDefaults, defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config';

const otherProcess = ['tests/integration/run-cli.test.ts'];
const workerThreads = ['tests/integration/run-http.test.ts', 'tests/integration/run-limits.test.ts'];
const narrowed = process.env.STRYKER_TESTS?.split(',').map((glob) => glob.trim()).filter(Boolean);

const config = mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: [...configDefaults.exclude, ...otherProcess, ...(process.env.STRYKER_SKIP_HTTP === '1' ? workerThreads : [])],
    },
  }),
);
// mergeConfig concatenates arrays, so the narrowed list replaces the base's include here.
if (narrowed?.length && config.test) config.test.include = narrowed;

export default config;

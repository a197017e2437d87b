// Mutation testing (npm run test:mutation; not part of npm test). Scope: the engine and the
// algorithms whose tests should fail when behaviour breaks. Narrow a run with
//   npm run test:mutation -- --mutate nodes/ids/ids.ts
// Equivalent mutants that survive on purpose are listed in tests/mutation/EQUIVALENT.md.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner', '@stryker-mutator/typescript-checker'],
  // Vitest strips types, so a mutant that no longer type-checks would "survive" as noise.
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  // related (the default): each mutant runs only the test files that import its source file,
  // and with perTest coverage only the tests that reached the mutant.
  vitest: { configFile: 'vitest.mutation.config.ts', related: true },
  coverageAnalysis: 'perTest',
  mutate: [
    'nodes/engine/**/*.ts',
    'nodes/bpe/**/*.ts',
    'nodes/ids/**/*.ts',
    'nodes/clean/**/*.ts',
    'nodes/pretokenize/**/*.ts',
    'nodes/transformer/sampling.ts',
    'nodes/ngram/**/*.ts',
    'server/api/routers/**/*.ts',
    'server/run/run-manager.ts',
    // Browser-only plumbing, exercised by the e2e suite rather than Vitest.
    '!nodes/worker.ts',
  ],
  // Shared machines: one or two workers, and a generous timeout for model-loading tests.
  concurrency: 1,
  timeoutMS: 30_000,
  timeoutFactor: 2,
  // The first run of the related tests, instrumented, on a busy machine.
  dryRunTimeoutMinutes: 20,
  // Re-test only mutants whose code or tests changed since the last run. The file is local
  // (reports/ is gitignored): see tests/mutation/README.md.
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  ignorePatterns: ['.next', '.data', 'reports', 'test-results', 'playwright-report', 'bench/corpora', 'tmp', 'public/ort', 'public/tfjs'],
  thresholds: { high: 85, low: 70, break: null },
};

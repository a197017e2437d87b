import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('./', import.meta.url)) } },
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    environment: 'node',
    // Tests never touch the working tree's .data/: a module that reads the server env before a
    // test sets its own database gets an in-memory PGlite (and an in-memory cookie secret).
    env: { PGLITE_DATA_DIR: 'memory://' },
    // Limits catch hangs, not slowness: a machine with every core busy runs tests 5–10× slower.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});

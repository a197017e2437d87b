import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './tests/chromium';

const PORT = Number(process.env.E2E_PORT ?? 3123);
const OLLAMA_PORT = Number(process.env.E2E_OLLAMA_PORT ?? 11435);

/**
 * End-to-end tests drive Debian's Chromium (/usr/bin/chromium); Playwright never downloads a
 * browser. The app is served from a production build (`npm run build` first).
 */
export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // Generous bounds on waits for a state (a passing test never waits them out): CI runs on
  // 2 cores, sometimes beside other work (npm run test:e2e:stress runs a CPU hog per core). At a
  // load of 30 on 2 cores, the Compare template's first run (three tokenizers) took over 30 s.
  timeout: 120_000,
  expect: { timeout: 60_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    viewport: { width: 1600, height: 900 },
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      // A software WebGPU adapter (SwiftShader) for the Transformer node's WebGPU path (tests/e2e/model.spec.ts).
      args: [...CHROMIUM_ARGS, '--enable-unsafe-webgpu'],
    },
    trace: 'retain-on-failure',
  },
  webServer: {
    command: `npx next start -p ${PORT} -H 127.0.0.1`,
    url: `http://127.0.0.1:${PORT}`,
    reuseExistingServer: false,
    // A fresh in-memory database for every e2e run.
    // The loopback Ollama of tests/e2e/ollama.spec.ts is the one this server (and its CSP) allows.
    env: { PGLITE_DATA_DIR: 'memory://', TOKENLOOM_OLLAMA_URL: `http://127.0.0.1:${OLLAMA_PORT}` },
    timeout: 120_000,
  },
});

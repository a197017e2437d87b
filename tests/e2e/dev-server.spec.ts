import { spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { chromium, expect, test, type Browser } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../chromium';

/**
 * README's start command, `npm run dev`, serves every address a class uses: 127.0.0.1, the
 * machine's LAN address (the "Network:" line it prints) and a host named in
 * TOKENLOOM_DEV_ORIGINS. Next.js withholds its dev scripts from origins it does not allow, which
 * leaves an empty canvas; so at each address the starter graph must run and a node from the
 * palette must land (plain http on a LAN address is not a secure context: no randomUUID there).
 *
 * One `next dev` for the three addresses (its first compile is the slow part). Not handled here:
 * HMR (a class does not edit the code).
 */
const NAMED_HOST = 'lab.school.test';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

const lanAddress = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && !i.internal && i.family === 'IPv4')?.address;

test('npm run dev shows a working canvas at 127.0.0.1, at the LAN address and at a named host', async () => {
  // next dev compiles the lab on the first request: a minute or more on 2 busy cores.
  test.setTimeout(480_000);
  expect(lanAddress, 'this machine has no non-loopback IPv4 address to open the lab by').toBeDefined();
  const port = Number(process.env.E2E_DEV_PORT ?? (await freePort()));
  const server = spawn('npx', ['next', 'dev', '-p', String(port)], {
    env: { ...process.env, NODE_ENV: 'development', PGLITE_DATA_DIR: 'memory://', TOKENLOOM_DEV_ORIGINS: NAMED_HOST, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let log = '';
  const ready = new Promise<void>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      log += chunk.toString();
      if (/Ready in/.test(log)) resolve();
    };
    server.stdout.on('data', read);
    server.stderr.on('data', read);
    server.once('exit', (code) => reject(new Error(`next dev exited (${code}):\n${log}`)));
  });
  let browser: Browser | undefined;
  try {
    await ready;
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS, `--host-resolver-rules=MAP ${NAMED_HOST} 127.0.0.1`],
    });
    for (const host of ['127.0.0.1', lanAddress!, NAMED_HOST]) {
      await test.step(host, async () => {
        const page = await browser!.newPage({ viewport: { width: 1600, height: 1000 } });
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(`http://${host}:${port}/`);
        await expect(page.getByTestId('node-pretokenize').getByTestId('node-status')).toHaveAttribute('data-status', /done|cached/, {
          timeout: 300_000,
        });
        await page.getByTestId('palette-clean').click();
        await expect(page.locator('.react-flow__node-clean')).toHaveCount(2);
        await expect(page.locator('.react-flow__node-clean').last().getByTestId('node-status')).toHaveText('needs input');
        expect(errors, `${host}: errors on the page`).toEqual([]);
        await page.close();
      });
    }
  } finally {
    await browser?.close();
    if (server.pid && server.exitCode === null) process.kill(-server.pid, 'SIGTERM');
  }
});

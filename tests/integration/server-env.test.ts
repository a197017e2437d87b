/**
 * server/env.ts: which database the environment selects, and what a bad value looks like; a web
 * server (`next start`, really started) refuses DATABASE_URL without a shared TOKENLOOM_SECRET.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { serverSecret } from '@/server/api/client-identity';
import { databaseTargetFromEnv } from '@/server/db/client';
import { EnvError, parseServerEnv, requireWebServerEnv, webServerEnvProblem } from '@/server/env';
import { readRunLimits } from '@/server/run/limits';

describe('parseServerEnv', () => {
  it('defaults to PGlite in .data/pglite when nothing is configured', () => {
    const parsed = parseServerEnv({});
    expect(parsed.DATABASE_URL).toBeUndefined();
    expect(databaseTargetFromEnv(parsed)).toEqual({ driver: 'pglite', dataDir: '.data/pglite' });
  });

  it('treats an empty DATABASE_URL as unset', () => {
    expect(databaseTargetFromEnv(parseServerEnv({ DATABASE_URL: '' }))).toEqual({ driver: 'pglite', dataDir: '.data/pglite' });
  });

  it('selects node-postgres for a postgres:// or postgresql:// URL', () => {
    for (const url of ['postgres://app:secret@db.internal:5432/tokenloom', 'postgresql://localhost/tokenloom']) {
      expect(databaseTargetFromEnv(parseServerEnv({ DATABASE_URL: url }))).toEqual({ driver: 'postgres', url });
    }
  });

  it('refuses another scheme with one line that names the variable and hides the password', () => {
    let caught: unknown;
    try {
      parseServerEnv({ DATABASE_URL: 'mysql://app:hunter2@db/tokenloom' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EnvError);
    const { message, stack } = caught as EnvError;
    expect(message).toMatch(/^Invalid server environment: DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL/);
    expect(message).not.toContain('hunter2');
    expect(message).not.toContain('\n');
    expect(stack).toBe(`EnvError: ${message}`);
  });

  it('names every bad variable at once', () => {
    expect(() => parseServerEnv({ DATABASE_URL: 'not a url', NODE_ENV: 'staging' })).toThrow(
      /NODE_ENV must be development, test or production; DATABASE_URL must be/,
    );
  });

  it('reads the identity settings: a secret of 32+ characters, how many proxies to trust, saves per minute', () => {
    expect(parseServerEnv({})).toMatchObject({ TOKENLOOM_TRUST_PROXY: 0, TOKENLOOM_SAVES_PER_MINUTE: 30 });
    expect(parseServerEnv({ TOKENLOOM_TRUST_PROXY: 'true', TOKENLOOM_SAVES_PER_MINUTE: '5' })).toMatchObject({ TOKENLOOM_TRUST_PROXY: 1, TOKENLOOM_SAVES_PER_MINUTE: 5 });
    expect(parseServerEnv({ TOKENLOOM_TRUST_PROXY: '2' }).TOKENLOOM_TRUST_PROXY).toBe(2);
    expect(() => parseServerEnv({ TOKENLOOM_SECRET: 'too short' })).toThrow(/^Invalid server environment: TOKENLOOM_SECRET must be at least 32 characters\.$/);
    expect(() => parseServerEnv({ TOKENLOOM_SAVES_PER_MINUTE: '0' })).toThrow(/TOKENLOOM_SAVES_PER_MINUTE must be a whole number ≥ 1/);
  });

  it('reads the engine-process limits, and names the worker-thread settings that no longer exist', () => {
    expect(readRunLimits({ TOKENLOOM_RUN_PROCESSES: '2', TOKENLOOM_RUN_MAX_PROCESSES: '1', TOKENLOOM_RUN_MEMORY_MB: '256' })).toMatchObject({
      processes: 2,
      maxProcesses: 2, // never fewer than the warm ones
      memoryMb: 256,
    });
    expect(readRunLimits({})).toMatchObject({ maxProcesses: 8, memoryMb: 1024 });
    expect(() => readRunLimits({ TOKENLOOM_RUN_MEMORY_MB: '10' })).toThrow(/TOKENLOOM_RUN_MEMORY_MB must be a whole number ≥ 64/);
    expect(() => readRunLimits({ TOKENLOOM_RUN_THREADS: '2' })).toThrow(
      'Invalid server run limits: TOKENLOOM_RUN_THREADS no longer exists; server runs use engine processes: set TOKENLOOM_RUN_PROCESSES (0 = in-process) and TOKENLOOM_RUN_MAX_PROCESSES.',
    );
  });
});

const SECRET = 'a-secret-shared-by-every-instance-0123456789';
const PG_URL = 'postgres://app:hunter2@127.0.0.1:1/tokenloom';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** `next start` with `env` on top of this process's; its exit code and output (killed after 90 s). */
async function nextStart(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-p', String(port), '-H', '127.0.0.1'], {
    env: { ...process.env, PGLITE_DATA_DIR: 'memory://', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  clearTimeout(timer);
  return { code, output };
}

describe('a web server on PostgreSQL needs TOKENLOOM_SECRET', () => {
  it('says how to set it when DATABASE_URL is set without one, and never needs it without DATABASE_URL', () => {
    expect(webServerEnvProblem(parseServerEnv({}))).toBeUndefined();
    expect(webServerEnvProblem(parseServerEnv({ DATABASE_URL: PG_URL, TOKENLOOM_SECRET: SECRET }))).toBeUndefined();
    for (const source of [{ DATABASE_URL: PG_URL }, { DATABASE_URL: PG_URL, TOKENLOOM_SECRET: '' }]) {
      expect(() => requireWebServerEnv(source)).toThrow(EnvError);
      expect(() => requireWebServerEnv(source)).toThrow(/^DATABASE_URL is set, .*set TOKENLOOM_SECRET to the same 32 or more random characters on every web instance/);
    }
    expect(requireWebServerEnv({})).toMatchObject({ PGLITE_DATA_DIR: '.data/pglite' });
  });

  it('signs no cookie with a secret of its own when DATABASE_URL is set without one', () => {
    expect(() => serverSecret(parseServerEnv({ DATABASE_URL: PG_URL, PGLITE_DATA_DIR: 'memory://' }))).toThrow(/set TOKENLOOM_SECRET/);
    expect(serverSecret(parseServerEnv({ DATABASE_URL: PG_URL, TOKENLOOM_SECRET: SECRET })).length).toBeGreaterThanOrEqual(32);
  });

  it('refuses to start (`next start`, exit 1) with DATABASE_URL and no TOKENLOOM_SECRET, in one sentence without the password', async () => {
    const { code, output } = await nextStart({ DATABASE_URL: PG_URL, TOKENLOOM_SECRET: '' });
    expect(code).toBe(1);
    expect(output).toContain('DATABASE_URL is set, so several web instances may serve this site');
    expect(output).toContain('TOKENLOOM_SECRET=$(openssl rand -base64 32)');
    expect(output).not.toContain('hunter2');
    expect(output).not.toMatch(/\n\s+at /); // no stack trace
  }, 120_000);

  it('refuses to start on a bad value too, naming it, before the first request', async () => {
    const { code, output } = await nextStart({ DATABASE_URL: PG_URL, TOKENLOOM_SECRET: 'short' });
    expect(code).toBe(1);
    expect(output).toContain('Invalid server environment: TOKENLOOM_SECRET must be at least 32 characters.');
    expect(output).not.toMatch(/\n\s+at /);
  }, 120_000);
});

/**
 * server/env.ts: which database the environment selects, and what a bad value looks like.
 */
import { describe, expect, it } from 'vitest';
import { databaseTargetFromEnv } from '@/server/db/client';
import { EnvError, parseServerEnv } from '@/server/env';
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

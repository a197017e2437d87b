/**
 * server/env.ts: which database the environment selects, and what a bad value looks like.
 */
import { describe, expect, it } from 'vitest';
import { databaseTargetFromEnv } from '@/server/db/client';
import { EnvError, parseServerEnv } from '@/server/env';

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
});

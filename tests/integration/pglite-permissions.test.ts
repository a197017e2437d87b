/**
 * PGlite's data folder is private to the user running the server: PGlite itself creates its
 * files 0666, so the folder's 0700 is what keeps other users out.
 */
import { chmod, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '@/server/db/client';

describe('the PGlite data folder', () => {
  let tempDir: string;
  beforeAll(async () => {
    tempDir = await mkdtemp(path.join(os.tmpdir(), 'tokenloom-perms-'));
  });
  afterAll(async () => {
    await rm(tempDir, { recursive: true, force: true });
  });

  const modeOf = async (p: string) => (await stat(p)).mode & 0o777;

  it('is created owner-only (0700), parents included, however loose the umask', async () => {
    const dataDir = path.join(tempDir, 'fresh', 'data', 'pglite');
    const umask = process.umask(0);
    try {
      const db = await openDatabase({ driver: 'pglite', dataDir });
      await db.close();
    } finally {
      process.umask(umask);
    }
    expect(await modeOf(dataDir)).toBe(0o700);
    expect(await modeOf(path.join(tempDir, 'fresh'))).toBe(0o700);
    expect(await modeOf(path.join(dataDir, 'PG_VERSION'))).not.toBe(0); // PGlite wrote its files inside
  });

  it('tightens a world-writable folder left by an earlier version', async () => {
    const dataDir = path.join(tempDir, 'old');
    await mkdir(dataDir);
    await chmod(dataDir, 0o777);
    const db = await openDatabase({ driver: 'pglite', dataDir });
    await db.close();
    expect(await modeOf(dataDir)).toBe(0o700);
  });
});

/**
 * Settings of uploaded corpus files, read from the environment with defaults:
 *
 * | variable                        | default | meaning                                                 |
 * |---------------------------------|---------|---------------------------------------------------------|
 * | TOKENLOOM_CORPUS_MAX_MB         | 1000    | one corpus file at most (megabytes of 10^6 bytes)       |
 * | TOKENLOOM_CORPUS_QUOTA_MB       | 2000    | all the corpus files one client keeps                   |
 * | TOKENLOOM_CORPUS_DIR            | `corpora` beside the PGlite folder (`.data/corpora`) | where the files live |
 *
 * With PGlite in memory (tests) and no TOKENLOOM_CORPUS_DIR, files go to a folder under the
 * system's temporary directory named after the project folder: the web server and its engine
 * processes (other processes, the same folder) must find the same files. A bad value throws an EnvError naming it.
 * A server run that trains on a corpus file runs under the usual run limits (server/run/limits.ts:
 * TOKENLOOM_RUN_MAX_SECONDS, TOKENLOOM_RUN_MEMORY_MB); training needs memory for the distinct
 * words only, so it is time that a big corpus needs raised.
 * Not handled here: storing (store.ts), refusing (corpora.ts).
 */
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { env, EnvError, type ServerEnv } from '@/server/env';

export interface CorpusSettings {
  maxFileBytes: number;
  quotaBytes: number;
  dir: string;
}

const emptyAsUnset = (value: unknown) => (value === '' ? undefined : value);
const positive = (fallback: number, what: string) =>
  z.preprocess(emptyAsUnset, z.coerce.number({ message: `must be ${what}` }).positive({ message: `must be ${what}` }).default(fallback));

const schema = z.object({
  TOKENLOOM_CORPUS_MAX_MB: positive(1000, 'a positive number of megabytes'),
  TOKENLOOM_CORPUS_QUOTA_MB: positive(2000, 'a positive number of megabytes'),
  TOKENLOOM_CORPUS_DIR: z.preprocess(emptyAsUnset, z.string().optional()),
});

export function readCorpusSettings(
  source: Record<string, string | undefined> = process.env,
  serverEnv: Pick<ServerEnv, 'PGLITE_DATA_DIR'> = env,
): CorpusSettings {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
    throw new EnvError(`Invalid corpus settings: ${problems.join('; ')}.`);
  }
  const e = parsed.data;
  const dir =
    e.TOKENLOOM_CORPUS_DIR ??
    (serverEnv.PGLITE_DATA_DIR.startsWith('memory://')
      ? path.join(os.tmpdir(), `tokenloom-corpora-${createHash('sha256').update(process.cwd()).digest('hex').slice(0, 12)}`)
      : path.join(path.dirname(path.resolve(serverEnv.PGLITE_DATA_DIR)), 'corpora'));
  return {
    maxFileBytes: Math.round(e.TOKENLOOM_CORPUS_MAX_MB * 1_000_000),
    quotaBytes: Math.round(e.TOKENLOOM_CORPUS_QUOTA_MB * 1_000_000),
    dir: path.resolve(dir),
  };
}

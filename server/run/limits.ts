/**
 * Limits of server runs, read from the environment once per run manager, with defaults:
 *
 * | variable                          | default | meaning                                              |
 * |-----------------------------------|---------|------------------------------------------------------|
 * | TOKENLOOM_RUN_MAX_INPUT_MB        | 20      | UTF-8 megabytes of string params in one graph        |
 * | TOKENLOOM_RUN_MAX_SECONDS         | 120     | wall time of one run, from when its engine process takes it |
 * | TOKENLOOM_RUN_MAX_PER_CLIENT      | 3       | runs one client may have going at once               |
 * | TOKENLOOM_RUN_MAX_TOTAL           | 64      | runs the whole server has going at once              |
 * | TOKENLOOM_RUN_CACHE_MB            | 512     | recipe cache, the warm engine processes together     |
 * | TOKENLOOM_RUN_PROCESSES           | cores-1 (1..4) | engine processes kept warm; 0 runs in-process |
 * | TOKENLOOM_RUN_MAX_PROCESSES       | 8       | engine processes at most (busy ones + spares)        |
 * | TOKENLOOM_RUN_MEMORY_MB           | 1024    | V8 heap of one engine process (one run at a time)    |
 * | TOKENLOOM_RUN_STOP_GRACE_SECONDS  | 2       | a stopped run's time to end itself before its process is killed |
 *
 * Graph size (nodes, edges) is GRAPH_LIMITS, checked by loadGraphDoc. A bad value throws an
 * EnvError naming the variable, like server/env.ts.
 * Not handled here: enforcing the limits (run-manager.ts, run-router.ts).
 */
import os from 'node:os';
import { z } from 'zod';
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import { EnvError } from '@/server/env';

export interface RunLimits {
  maxInputBytes: number;
  maxRunMs: number;
  maxRunsPerClient: number;
  maxRunsTotal: number;
  cacheBytes: number;
  /** Engine processes kept running (0: run in the web server's process, no isolation). */
  processes: number;
  /** Engine processes at most; a run arriving when all are busy waits for one. */
  maxProcesses: number;
  /** `--max-old-space-size` of an engine process, in MB. */
  memoryMb: number;
  /** Between asking a run to stop and killing its process. */
  stopGraceMs: number;
  /** How long a run over the per-client limit waits for a slot before it is refused. */
  admissionGraceMs: number;
}

const emptyAsUnset = (value: unknown) => (value === '' ? undefined : value);
const positive = (fallback: number, what: string) =>
  z.preprocess(emptyAsUnset, z.coerce.number({ message: `must be ${what}` }).positive({ message: `must be ${what}` }).default(fallback));
const count = (fallback: number, min: number) =>
  z.preprocess(
    emptyAsUnset,
    z.coerce.number().int({ message: `must be a whole number ≥ ${min}` }).min(min, { message: `must be a whole number ≥ ${min}` }).default(fallback),
  );

const defaultProcesses = Math.max(1, Math.min(4, os.availableParallelism() - 1));

const runEnvSchema = z.object({
  TOKENLOOM_RUN_MAX_INPUT_MB: positive(20, 'a positive number of megabytes'),
  TOKENLOOM_RUN_MAX_SECONDS: positive(120, 'a positive number of seconds'),
  TOKENLOOM_RUN_MAX_PER_CLIENT: count(3, 1),
  TOKENLOOM_RUN_MAX_TOTAL: count(64, 1),
  TOKENLOOM_RUN_CACHE_MB: positive(512, 'a positive number of megabytes'),
  TOKENLOOM_RUN_PROCESSES: count(defaultProcesses, 0),
  TOKENLOOM_RUN_MAX_PROCESSES: count(8, 1),
  TOKENLOOM_RUN_MEMORY_MB: count(1024, 64),
  TOKENLOOM_RUN_STOP_GRACE_SECONDS: positive(2, 'a positive number of seconds'),
});

/** Read the run limits from an environment (process.env by default); throws EnvError on a bad value. */
export function readRunLimits(source: Record<string, string | undefined> = process.env): RunLimits {
  // Runs moved from worker threads to engine processes; a leftover setting is a mistake to show.
  const obsolete = ['TOKENLOOM_RUN_THREADS', 'TOKENLOOM_RUN_TASKS_PER_THREAD'].filter((name) => source[name] !== undefined && source[name] !== '');
  if (obsolete.length > 0) {
    throw new EnvError(
      `Invalid server run limits: ${obsolete.join(' and ')} no longer exist${obsolete.length === 1 ? 's' : ''}; server runs use engine processes: set TOKENLOOM_RUN_PROCESSES (0 = in-process) and TOKENLOOM_RUN_MAX_PROCESSES.`,
    );
  }
  const parsed = runEnvSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
    throw new EnvError(`Invalid server run limits: ${problems.join('; ')}.`);
  }
  const e = parsed.data;
  return {
    maxInputBytes: Math.round(e.TOKENLOOM_RUN_MAX_INPUT_MB * 1_000_000),
    maxRunMs: e.TOKENLOOM_RUN_MAX_SECONDS * 1000,
    maxRunsPerClient: e.TOKENLOOM_RUN_MAX_PER_CLIENT,
    maxRunsTotal: e.TOKENLOOM_RUN_MAX_TOTAL,
    cacheBytes: Math.round(e.TOKENLOOM_RUN_CACHE_MB * 1024 * 1024),
    processes: e.TOKENLOOM_RUN_PROCESSES,
    maxProcesses: Math.max(e.TOKENLOOM_RUN_MAX_PROCESSES, e.TOKENLOOM_RUN_PROCESSES),
    memoryMb: e.TOKENLOOM_RUN_MEMORY_MB,
    stopGraceMs: e.TOKENLOOM_RUN_STOP_GRACE_SECONDS * 1000,
    admissionGraceMs: 750,
  };
}

/**
 * UTF-8 bytes of every string inside the nodes' params (texts, corpora, patterns, notes),
 * the measure of how much input a run has to chew through.
 *
 * @example
 * stringParamBytes({ nodes: [{ params: { text: 'ଓ', origin: 'typed' } }] }) // 3 + 5 = 8
 */
export function stringParamBytes(doc: Pick<GraphDoc, 'nodes'>): number {
  let total = 0;
  const walk = (value: unknown, depth: number): void => {
    if (typeof value === 'string') total += Buffer.byteLength(value, 'utf8');
    else if (depth < 8 && Array.isArray(value)) for (const item of value) walk(item, depth + 1);
    else if (depth < 8 && value && typeof value === 'object') for (const item of Object.values(value)) walk(item, depth + 1);
  };
  for (const node of doc.nodes) walk(node.params, 0);
  return total;
}

/** "20 MB", "0.5 MB": a limit as written in the environment. */
export function formatMegabytes(bytes: number): string {
  return `${Number((bytes / 1_000_000).toPrecision(3))} MB`;
}

/**
 * `bytes` (known to exceed `limitBytes`) in megabytes, with one decimal unless that would
 * round down to the limit itself: formatMegabytesAbove(10_000_300, 2e6) is "10.0", but
 * formatMegabytesAbove(2_000_300, 2e6) is "2.0003", never "2.0" (which reads as allowed).
 */
export function formatMegabytesAbove(bytes: number, limitBytes: number): string {
  let decimals = 1;
  while (decimals < 6 && Number((bytes / 1e6).toFixed(decimals)) <= limitBytes / 1e6) decimals += 1;
  return (bytes / 1e6).toFixed(decimals);
}

/** "120 s", "0.05 s". */
export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toPrecision(3))} s`;
}

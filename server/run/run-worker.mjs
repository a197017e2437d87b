/**
 * Entry file of the engine's piscina worker threads. Plain JavaScript on purpose: a worker
 * thread is a fresh Node isolate that knows nothing of Next's or Vitest's bundling, so it
 * registers tsx (TypeScript + the tsconfig `@/` paths) and then imports the real body,
 * run-worker.ts, from the source tree. Works the same under `next dev`, `next start`, Vitest
 * and the CLI, as long as the source tree and tsx are present at runtime.
 *
 * Not handled here: anything but loading (see run-worker.ts).
 */
import { register } from 'tsx/esm/api';

register();
const body = await import('./run-worker.ts');

export const runGraphTask = body.runGraphTask;
export const ping = body.ping;
export default body.runGraphTask;

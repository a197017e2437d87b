/**
 * Entry file of an engine process (process-engine.ts forks it). Plain JavaScript on purpose:
 * the child is a fresh Node process that knows nothing of Next's or Vitest's bundling, so it
 * registers tsx (TypeScript + the tsconfig `@/` paths) and then imports the real body,
 * engine-process.ts, from the source tree. Works the same under `next dev`, `next start`,
 * Vitest and the CLI, as long as the source tree and tsx are present at runtime.
 *
 * Not handled here: anything but loading (see engine-process.ts).
 */
import { register } from 'tsx/esm/api';

register();
await import('./engine-process.ts');

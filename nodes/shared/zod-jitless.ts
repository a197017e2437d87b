/**
 * Zod 4 compiles object parsers with `new Function` where it may, and probes for that with
 * `new Function("")`. Under the page's Content-Security-Policy (no 'unsafe-eval') the probe is a
 * reported violation. Parse without compiling: the graphs and params we parse are small.
 *
 * Imported for its effect, first, by the page (components/canvas/lab.tsx) and the engine's
 * worker (nodes/worker.ts). Not handled here: anything but zod's config.
 */
import { z } from 'zod';

z.config({ jitless: true });

/**
 * How fast a loaded model runs here, measured in a fraction of a second right after loading:
 * the median of a few single-token steps with the key/value cache (what each generated token
 * costs), and one full pass over a short input divided by its length (what a position of the
 * Transformer node's pass costs). The backend choice compares WebGPU with WASM on it, and the
 * nodes estimate a run's time from it before running.
 *
 *   estimateMs({ msPerToken: 20, msPerPosition: 2 }, { positions: 10, newTokens: 30 })
 *   // 20 + 29 × 20 = 600: the first token reads the 10-position prompt, each later one a position
 *
 * The ids fed are 0..PROBE_POSITIONS-1, in every model's vocabulary; what they mean does not
 * matter to the time. One warm-up call goes first: ONNX Runtime's first run allocates and
 * compiles (WebGPU shaders), which a steady run does not pay.
 *
 * Not handled here: attention cost growing with the context (small against the output layer
 * for a model this size: the estimate is "about"), measuring the server (a constant below).
 */
import { IncrementalDecoder, forward } from './forward';
import type { LoadedModel } from './run-model';

export interface ModelSpeed {
  /** ms per generated token (one position, key/value cache). */
  msPerToken: number;
  /** ms per position of a full forward pass. */
  msPerPosition: number;
}

const PROBE_POSITIONS = 16;
const PROBE_STEPS = 5;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

export async function probeSpeed(loaded: LoadedModel): Promise<ModelSpeed> {
  const ids = Array.from({ length: PROBE_POSITIONS }, (_, i) => i);
  const decoder = new IncrementalDecoder(loaded);
  const steps: number[] = [];
  try {
    await decoder.feed([0]); // warm-up
    for (let i = 0; i < PROBE_STEPS; i++) {
      const t0 = performance.now();
      await decoder.feed([i + 1]);
      steps.push(performance.now() - t0);
    }
  } finally {
    decoder.dispose();
  }
  const t0 = performance.now();
  await forward(loaded, ids);
  const passMs = performance.now() - t0;
  return { msPerToken: median(steps), msPerPosition: passMs / PROBE_POSITIONS };
}

/** About how long a run takes at `speed`: the prompt's pass (or the whole pass), then one step per further token. */
export function estimateMs(speed: ModelSpeed, run: { positions: number; newTokens: number }): number {
  if (run.newTokens <= 0) return speed.msPerPosition * run.positions;
  const first = Math.max(speed.msPerToken, speed.msPerPosition * run.positions);
  return first + (run.newTokens - 1) * speed.msPerToken;
}

/**
 * The server's speed for the shipped model, for "on the server about …": the Generate node on
 * onnxruntime-node as `npm run bench` measured it (server path row: 28 ms per token, 122 ms for
 * a 6-token prompt, on a shared 2-core machine under load; an idle one is several times
 * faster, so this errs long). Another model's server speed is not known here.
 */
export const SHIPPED_SERVER_SPEED: ModelSpeed = { msPerToken: 25, msPerPosition: 8 };

/** A browser run not started because it would take longer than the node's limit (Generate, Transformer). */
export interface HeldRun {
  /** About how long it would take in this browser, ms. */
  browserMs: number;
  /** About how long on the server, ms; null when not known (models other than the shipped one). */
  serverMs: number | null;
  /** The node's limit, s. */
  limitS: number;
  /** The measured speed the estimate comes from: per generated token, per position of a full pass. */
  msPerToken: number;
  msPerPosition: number;
  /** What the run would do: read `positions` (one forward pass), then generate `newTokens` (0: none). */
  positions: number;
  newTokens: number;
}

/**
 * Whether to hold a browser run and ask first: when the estimate is above `limitS` seconds
 * (0 = never ask). Server runs and unprobed loads are never held.
 */
export function holdIfSlow(
  loaded: { speed: ModelSpeed | null; ref: { weightsId: string } },
  run: { positions: number; newTokens: number },
  limitS: number,
  shippedWeightsId: string,
): HeldRun | null {
  if (!loaded.speed || limitS <= 0) return null;
  const browserMs = estimateMs(loaded.speed, run);
  if (!(browserMs > limitS * 1000)) return null;
  const serverMs = loaded.ref.weightsId === shippedWeightsId ? estimateMs(SHIPPED_SERVER_SPEED, run) : null;
  return { browserMs, serverMs, limitS, msPerToken: loaded.speed.msPerToken, msPerPosition: loaded.speed.msPerPosition, positions: run.positions, newTokens: run.newTokens };
}

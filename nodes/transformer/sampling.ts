/**
 * From one row of logits to probabilities and a chosen next token: softmax (in float64), top-k
 * lists, and the decoding rules of the Generate node (greedy, temperature, top-k, top-p) driven
 * by a seeded random number generator, so the same seed gives the same text on any machine.
 *
 *   const probs = softmax(logits);                 // sums to 1
 *   topCandidates(probs, 5)                        // [{ id: 286, prob: 0.0993 }, …]
 *   const rng = seededRandom(42);
 *   chooseNext(logits, { strategy: 'sample', temperature: 0.8, topK: 50, topP: 0.95 }, rng)
 *
 * Not handled here: running the model (run-model.ts), repetition penalties, beam search.
 */

/**
 * mulberry32: a tiny 32-bit PRNG with a full period over its state; good enough to pick tokens
 * and, unlike Math.random, repeatable from a seed.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Softmax in float64 (logits / temperature), stable by subtracting the maximum. */
export function softmax(logits: ArrayLike<number>, temperature = 1): Float64Array {
  const n = logits.length;
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (logits[i]! > max) max = logits[i]!;
  const out = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.exp((logits[i]! - max) / temperature);
    out[i] = e;
    sum += e;
  }
  for (let i = 0; i < n; i++) out[i]! /= sum;
  return out;
}

export interface Candidate {
  id: number;
  prob: number;
}

/** The k most probable ids, most probable first (ties: lower id first). O(n·k), k is small. */
export function topCandidates(probs: ArrayLike<number>, k: number): Candidate[] {
  const best: Candidate[] = [];
  for (let id = 0; id < probs.length; id++) {
    const prob = probs[id]!;
    if (best.length === k && prob <= best[k - 1]!.prob) continue;
    let at = best.length;
    while (at > 0 && best[at - 1]!.prob < prob) at--;
    best.splice(at, 0, { id, prob });
    if (best.length > k) best.pop();
  }
  return best;
}

export interface DecodingRule {
  strategy: 'greedy' | 'sample';
  /** Divides the logits before softmax: < 1 sharpens, > 1 flattens. */
  temperature: number;
  /** Keep only the k most probable tokens (0 = no limit). */
  topK: number;
  /** Keep the smallest set of tokens whose probabilities sum to at least p (1 = no limit). */
  topP: number;
}

export interface Choice {
  id: number;
  /** The token's probability under the model (temperature 1, before any cut). */
  prob: number;
  /** How many tokens were left to choose from after top-k and top-p. */
  pool: number;
}

/** Argmax of a logits row (first maximum wins, as in PyTorch). */
export function argmax(logits: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i]! > logits[best]!) best = i;
  return best;
}

/** Largest logit (-Infinity for an empty row). */
function maxOf(logits: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i]! > max) max = logits[i]!;
  return max;
}

/** Σ exp((logit - max) / temperature), in index order: softmax's denominator, bit for bit. */
function expSum(logits: ArrayLike<number>, max: number, temperature: number): number {
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += Math.exp((logits[i]! - max) / temperature);
  return sum;
}

/**
 * Reused across calls (one model row each, 50k for GPT-2): chooseNext runs once per generated
 * token, and allocating two float64 rows per token cost more than the model's step itself.
 */
let scratch = new Float64Array(0);

/**
 * Pick the next token from one row of logits by the rule; `random` gives numbers in [0, 1).
 * The same numbers as softmax() + topCandidates() (the same exponentials summed in the same
 * order, the same divisions), computed without a probability row per call: greedy needs one
 * pass of exponentials (the winner's probability is 1 / Σ), sampling two at most.
 */
export function chooseNext(logits: ArrayLike<number>, rule: DecodingRule, random: () => number): Choice {
  const n = logits.length;
  const max = maxOf(logits);
  const plainSum = expSum(logits, max, 1);
  const plainProb = (id: number) => Math.exp(logits[id]! - max) / plainSum;
  if (rule.strategy === 'greedy') {
    const id = argmax(logits);
    return { id, prob: plainProb(id), pool: 1 };
  }
  const limit = rule.topK > 0 ? Math.min(rule.topK, n) : n;
  let ranked: Candidate[];
  if (limit < 1000) {
    // Temperature-scaled probabilities, ranked as topCandidates ranks them (ties: lower id).
    if (scratch.length < n) scratch = new Float64Array(n);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const e = rule.temperature === 1 ? Math.exp(logits[i]! - max) : Math.exp((logits[i]! - max) / rule.temperature);
      scratch[i] = e;
      sum += e;
    }
    ranked = [];
    for (let id = 0; id < n; id++) {
      const prob = scratch[id]! / sum;
      if (ranked.length === limit && prob <= ranked[limit - 1]!.prob) continue;
      let at = ranked.length;
      while (at > 0 && ranked[at - 1]!.prob < prob) at--;
      ranked.splice(at, 0, { id, prob });
      if (ranked.length > limit) ranked.pop();
    }
  } else {
    // Top-k large or off: a full sort of every id (~10 ms for 50k), by probability then id.
    ranked = Array.from(softmax(logits, rule.temperature), (prob, id) => ({ id, prob })).sort((a, b) => b.prob - a.prob || a.id - b.id);
  }
  // The full sort ranks every id; top-k still keeps only `limit` of them.
  let pool = limit;
  if (rule.topP < 1) {
    let cumulative = 0;
    for (let i = 0; i < limit; i++) {
      cumulative += ranked[i]!.prob;
      if (cumulative >= rule.topP) {
        pool = i + 1;
        break;
      }
    }
  }
  let total = 0;
  for (let i = 0; i < pool; i++) total += ranked[i]!.prob;
  let r = random() * total;
  for (let i = 0; i < pool; i++) {
    r -= ranked[i]!.prob;
    if (r < 0) return { id: ranked[i]!.id, prob: plainProb(ranked[i]!.id), pool };
  }
  const last = ranked[pool - 1]!;
  return { id: last.id, prob: plainProb(last.id), pool };
}

/**
 * N-gram counting and a count-based n-gram language model with add-k smoothing.
 *
 * Units are words (text cut on whitespace and punctuation, the Pretokenize node's BERT split)
 * or token pieces (from a tokenizer). The model estimates
 *
 *   P(w | context) = (count(context, w) + k) / (count(context) + k·|V|)
 *
 * where the context is the n−1 units before w, V is the set of units seen in the input, and
 * count(context) is how often the context is followed by some unit (the sum of count(context, w)
 * over w), so the probabilities over V sum to exactly 1. For n = 1 the context is empty and
 * count(context) is the number of units.
 *
 *   const model = countNgrams(['the', 'cat', 'sat', 'on', 'the', 'mat'], 2);
 *   topNgrams(model, 1)                           // [{ units: ['cat', 'sat'], count: 1 }]: all five
 *                                                 // bigrams occur once, so the tie-break picks 'cat sat'
 *   nextUnitProbability(model, ['the'], 'cat', 1) // (1 + 1) / (2 + 1·5) = 2/7
 *
 * Tie-breaks are deterministic: count descending, then the units compared as strings
 * (UTF-16 code units, one unit after the other), ascending.
 *
 * This file is the model (counts, P, perplexity); predict.ts lists the next units after a
 * context, analyze.ts cuts the input into units and gathers what the inspector shows.
 *
 * Not handled here: backoff or interpolation to shorter contexts (an unseen context gets the
 * uniform distribution under add-k, and nothing at all when k = 0), sentence boundary markers
 * (<s>, </s>), unknown units in a typed context (they simply make the context unseen), and
 * tokenizing a typed context at token level (it is split on whitespace, pieces as written).
 */

export const MAX_N = 5;

/** An n-gram with how often it occurs. */
export interface NgramCount {
  units: string[];
  count: number;
}

/** What follows one context, and how often. */
export interface Continuations {
  /** count(context): how often the context is followed by some unit. */
  total: number;
  next: Map<string, number>;
}

export interface NgramModel {
  n: number;
  /** Every n-gram, keyed by `keyOf(units)`. */
  ngrams: Map<string, NgramCount>;
  /** Every context of n−1 units that is followed by something, keyed by `keyOf(context)`. */
  contexts: Map<string, Continuations>;
  /** V: the units seen in the input, with their counts. */
  vocab: Map<string, number>;
  /** The number of n-gram positions: max(0, units − n + 1). */
  total: number;
}

/** Unambiguous map key for a sequence of units (no separator can collide). */
export const keyOf = (units: readonly string[]) => JSON.stringify(units);

/** Code-unit order, independent of the locale (unlike localeCompare). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareUnits(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareStrings(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/**
 * Count every n-gram of `units`, every context, and the vocabulary.
 *
 *   countNgrams(['a', 'b', 'a', 'b'], 2).ngrams  // "a b" → 2, "b a" → 1
 */
export function countNgrams(units: readonly string[], n: number): NgramModel {
  if (!Number.isInteger(n) || n < 1) throw new Error(`n must be a whole number of at least 1, not ${n}.`);
  const ngrams = new Map<string, NgramCount>();
  const contexts = new Map<string, Continuations>();
  const vocab = new Map<string, number>();
  for (const u of units) vocab.set(u, (vocab.get(u) ?? 0) + 1);
  let total = 0;
  for (let i = 0; i + n <= units.length; i++) {
    const gram = units.slice(i, i + n);
    const key = keyOf(gram);
    const entry = ngrams.get(key);
    if (entry) entry.count++;
    else ngrams.set(key, { units: gram, count: 1 });
    const contextKey = keyOf(gram.slice(0, -1));
    let cont = contexts.get(contextKey);
    if (!cont) contexts.set(contextKey, (cont = { total: 0, next: new Map() }));
    cont.total++;
    const w = gram[n - 1]!;
    cont.next.set(w, (cont.next.get(w) ?? 0) + 1);
    total++;
  }
  return { n, ngrams, contexts, vocab, total };
}

/** The `limit` most frequent n-grams, count descending, then units ascending. */
export function topNgrams(model: NgramModel, limit: number): NgramCount[] {
  return [...model.ngrams.values()]
    .sort((a, b) => b.count - a.count || compareUnits(a.units, b.units))
    .slice(0, limit)
    .map((g) => ({ units: [...g.units], count: g.count }));
}

/** count(context) and count(context, ·) for a context; zeros when the context was never followed by anything. */
export function continuationsOf(model: NgramModel, context: readonly string[]): Continuations {
  return model.contexts.get(keyOf(context)) ?? { total: 0, next: new Map() };
}

/**
 * P(unit | context) with add-k smoothing, or null when it is undefined (k = 0 and the context
 * never seen, or an empty vocabulary). `context` must hold exactly n−1 units.
 *
 *   // units "the cat sat on the mat", n = 2, k = 1: count(the) = 2, count(the, cat) = 1, |V| = 5
 *   nextUnitProbability(model, ['the'], 'cat', 1) // (1 + 1) / (2 + 5) = 2/7
 */
export function nextUnitProbability(model: NgramModel, context: readonly string[], unit: string, k: number): number | null {
  const cont = continuationsOf(model, context);
  const denominator = cont.total + k * model.vocab.size;
  if (denominator === 0) return null;
  // A unit outside V has no smoothing mass: the distribution is over V only.
  if (!model.vocab.has(unit)) return 0;
  return ((cont.next.get(unit) ?? 0) + k) / denominator;
}

/**
 * Perplexity of the model on a sequence: exp of the mean negative log-probability of each unit
 * given its n−1 predecessors, over the n-gram positions. Null when there is no position or a
 * probability is zero or undefined (possible only with k = 0 on text the model was not counted on).
 *
 *   perplexity(countNgrams(['a','b','a','b'], 2), ['a','b','a','b'], 0) // P(b|a)=2/2, P(a|b)=1/1 → 1
 */
export function perplexity(model: NgramModel, units: readonly string[], k: number): number | null {
  const n = model.n;
  let logSum = 0;
  let positions = 0;
  for (let i = n - 1; i < units.length; i++) {
    const p = nextUnitProbability(model, units.slice(i - n + 1, i), units[i]!, k);
    if (p === null || p <= 0) return null;
    logSum += Math.log(p);
    positions++;
  }
  return positions === 0 ? null : Math.exp(-logSum / positions);
}


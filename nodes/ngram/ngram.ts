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
 * Not handled here: backoff or interpolation to shorter contexts (an unseen context gets the
 * uniform distribution under add-k, and nothing at all when k = 0), sentence boundary markers
 * (<s>, </s>), unknown units in a typed context (they simply make the context unseen), and
 * tokenizing a typed context at token level (it is split on whitespace, pieces as written).
 */
import type { Tokens } from '../engine/ports';
import { pretokenize } from '../pretokenize/pretokenize';

export const MAX_N = 5;
/** How many next units a prediction lists. */
export const PREDICTIONS_SHOWN = 10;
/** How many units of the input the view previews. */
export const UNITS_PREVIEWED = 40;

/** An n-gram with how often it occurs. */
export interface NgramCount {
  units: string[];
  count: number;
}

/** What follows one context, and how often. */
interface Continuations {
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
const keyOf = (units: readonly string[]) => JSON.stringify(units);

/** Code-unit order, independent of the locale (unlike localeCompare). */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareUnits(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareStrings(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/**
 * Word-level units: the text cut on whitespace and punctuation, each punctuation mark a unit
 * of its own. Letters keep their combining marks, so an Odia word stays whole.
 *
 *   wordUnits('The cat, the hat.', true) // ['the', 'cat', ',', 'the', 'hat', '.']
 */
export function wordUnits(text: string, lowercase: boolean): string[] {
  const units = pretokenize(text, 'bert').map((p) => p.text);
  return lowercase ? units.map((u) => u.toLowerCase()) : units;
}

/** Token-level units: the pieces as the tokenizer's vocabulary writes them ('Ġlove', '▁I', '[CLS]'). */
export function tokenUnits(tokens: Tokens): string[] {
  return tokens.pieces.map((p) => p.piece);
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
function continuationsOf(model: NgramModel, context: readonly string[]): Continuations {
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

export type PredictionStatus =
  /** The context was seen: counts and smoothing both contribute. */
  | 'seen'
  /** The context was never followed by anything: add-k gives the uniform distribution over V. */
  | 'unseen'
  /** The context was never seen and k = 0: plain counts give nothing (0/0). */
  | 'undefined'
  /** Fewer than n−1 units to predict from. */
  | 'short';

export interface NextUnit {
  unit: string;
  /** count(context, unit). */
  count: number;
  probability: number;
}

export interface Prediction {
  status: PredictionStatus;
  /** The n−1 units predicted from (fewer when status is 'short'). */
  context: string[];
  /** Where the context came from: typed in the params, or the end of the input. */
  from: 'typed' | 'input';
  /** count(context). */
  contextCount: number;
  k: number;
  vocabSize: number;
  /** The most probable next units, probability descending, then unit ascending. */
  next: NextUnit[];
  /** How many units of V are not listed, and the probability each of the unseen ones gets. */
  othersCount: number;
  /** P of a unit never seen after the context: k / (count(context) + k·|V|); null if undefined. */
  unseenProbability: number | null;
}

/**
 * The distribution over V for the next unit after `context` (its last n−1 units are used).
 *
 *   predictNext(model, ['the'], 1).next[0] // { unit: 'cat', count: 1, probability: 2/7 } (tie with 'mat', 'cat' < 'mat')
 */
export function predictNext(model: NgramModel, context: readonly string[], k: number, from: Prediction['from'] = 'typed', limit = PREDICTIONS_SHOWN): Prediction {
  const width = model.n - 1;
  const used = width === 0 ? [] : context.slice(-width);
  const base = { context: [...used], from, k, vocabSize: model.vocab.size };
  if (used.length < width) {
    return { ...base, status: 'short', contextCount: 0, next: [], othersCount: model.vocab.size, unseenProbability: null };
  }
  const cont = continuationsOf(model, used);
  const denominator = cont.total + k * model.vocab.size;
  if (denominator === 0) {
    return { ...base, status: 'undefined', contextCount: 0, next: [], othersCount: model.vocab.size, unseenProbability: null };
  }
  // Seen continuations first (higher count means higher probability), then unseen units of V
  // in ascending order: they all share k / denominator, the lowest probability there is.
  const seen = [...cont.next.entries()].sort((a, b) => b[1] - a[1] || compareStrings(a[0], b[0]));
  const next: NextUnit[] = seen.slice(0, limit).map(([unit, count]) => ({ unit, count, probability: (count + k) / denominator }));
  if (next.length < limit && k > 0) {
    const unseen = [...model.vocab.keys()].filter((u) => !cont.next.has(u)).sort(compareStrings);
    for (const unit of unseen.slice(0, limit - next.length)) next.push({ unit, count: 0, probability: k / denominator });
  }
  return {
    ...base,
    status: cont.total > 0 ? 'seen' : 'unseen',
    contextCount: cont.total,
    next,
    othersCount: model.vocab.size - next.length,
    unseenProbability: k / denominator,
  };
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

/**
 * The most frequent adjacent pair of characters (code points) inside units: the pair BPE would
 * merge first on these words. Null when no unit has two characters.
 *
 *   firstMergePair(['low', 'lower', 'newest']) // { left: 'l', right: 'o', count: 2 } (tie with 'o'+'w', 'l' < 'o')
 */
export function firstMergePair(units: readonly string[]): { left: string; right: string; count: number } | null {
  const pairs = new Map<string, { left: string; right: string; count: number }>();
  for (const unit of units) {
    const chars = [...unit];
    for (let i = 0; i + 1 < chars.length; i++) {
      const left = chars[i]!;
      const right = chars[i + 1]!;
      const key = keyOf([left, right]);
      const entry = pairs.get(key);
      if (entry) entry.count++;
      else pairs.set(key, { left, right, count: 1 });
    }
  }
  let best: { left: string; right: string; count: number } | null = null;
  for (const p of pairs.values()) {
    if (!best || p.count > best.count || (p.count === best.count && compareUnits([p.left, p.right], [best.left, best.right]) < 0)) best = p;
  }
  return best && { ...best };
}

export interface NgramOptions {
  n: number;
  top: number;
  k: number;
  /** Units to predict after; null means the last n−1 units of the input. */
  context: string[] | null;
}

/** Everything the inspector shows: small and structured-cloneable. */
export interface NgramAnalysis {
  level: 'word' | 'token';
  /** 'words' or the tokenizer's name. */
  source: string;
  n: number;
  unitCount: number;
  unitsPreview: string[];
  vocabSize: number;
  /** Number of n-gram positions. */
  ngramTotal: number;
  distinctNgrams: number;
  top: NgramCount[];
  prediction: Prediction;
  perplexity: number | null;
  /** For word units: the pair BPE would merge first, the bridge between the two ideas. */
  firstMerge: { left: string; right: string; count: number } | null;
}

/**
 * Count, list the top n-grams, predict the next unit and score the input.
 *
 *   analyzeNgrams(wordUnits('the cat sat on the mat the cat ran', true), 'word', 'words',
 *     { n: 2, top: 1, k: 1, context: ['the'] })
 *   // top: [{ units: ['the', 'cat'], count: 2 }], prediction.next[0]: cat, (2 + 1) / (3 + 6) = 1/3
 */
export function analyzeNgrams(units: readonly string[], level: NgramAnalysis['level'], source: string, options: NgramOptions): NgramAnalysis {
  const model = countNgrams(units, options.n);
  const prediction =
    options.context === null ? predictNext(model, units, options.k, 'input') : predictNext(model, options.context, options.k, 'typed');
  return {
    level,
    source,
    n: options.n,
    unitCount: units.length,
    unitsPreview: units.slice(0, UNITS_PREVIEWED),
    vocabSize: model.vocab.size,
    ngramTotal: model.total,
    distinctNgrams: model.ngrams.size,
    top: topNgrams(model, options.top),
    prediction,
    perplexity: perplexity(model, units, options.k),
    firstMerge: level === 'word' ? firstMergePair(units) : null,
  };
}

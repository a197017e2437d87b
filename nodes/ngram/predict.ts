/**
 * The next units after a context, most probable first, with how the model got there: the
 * context seen, unseen (add-k's uniform share), undefined (k = 0 and unseen) or too short.
 *
 *   predictNext(countNgrams(['the', 'cat', 'sat', 'on', 'the', 'mat'], 2), ['the'], 1).next[0]
 *     // { unit: 'cat', count: 1, probability: 2/7 }
 *
 * Not handled here: the probabilities themselves (ngram.ts).
 */
import { compareStrings, continuationsOf, type NgramModel } from './ngram';

/** How many next units a prediction lists. */
export const PREDICTIONS_SHOWN = 10;

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

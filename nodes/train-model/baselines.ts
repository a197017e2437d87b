/**
 * The count-based baselines a trained model must beat, on the same token ids and in the same
 * unit as its loss (mean cross-entropy per held-out token, in nats):
 *
 * - unigram: P(b) = (count(b) + 1) / (N + V), add-one over the whole vocabulary;
 * - bigram: P(b | a) = λ·count(a, b)/count(a) + (1 − λ)·P_unigram(b), with the λ in 0.05…0.95
 *   that scores best on the held-out ids themselves, so the line is as low as such a bigram gets
 *   (a fair target: the model never sees the held-out ids).
 *
 *   baselines([0, 1, 0, 1, 0, 1], [0, 1, 0, 1], 2)   // bigram ≈ 0.1 nats: after 0 always comes 1
 *
 * The N-gram node (nodes/ngram) teaches counting over string units with add-k; this works on ids,
 * with the interpolation a language-model baseline needs (an unseen pair must not score infinity).
 *
 * Not handled here: trigrams and beyond, backoff (Katz, Kneser–Ney).
 */

export interface Baselines {
  unigram: number;
  bigram: number;
  /** The interpolation weight the bigram line uses. */
  lambda: number;
}

export function baselines(trainIds: ArrayLike<number>, heldOutIds: ArrayLike<number>, vocabSize: number): Baselines {
  const unigramCounts = new Float64Array(vocabSize);
  for (let i = 0; i < trainIds.length; i++) unigramCounts[trainIds[i]!]! += 1;
  const unigramP = (b: number) => (unigramCounts[b]! + 1) / (trainIds.length + vocabSize);

  const pairs = new Map<number, number>();
  const contexts = new Float64Array(vocabSize);
  for (let i = 0; i + 1 < trainIds.length; i++) {
    const key = trainIds[i]! * vocabSize + trainIds[i + 1]!;
    pairs.set(key, (pairs.get(key) ?? 0) + 1);
    contexts[trainIds[i]!]! += 1;
  }

  let unigram = 0;
  for (let i = 0; i < heldOutIds.length; i++) unigram -= Math.log(unigramP(heldOutIds[i]!));
  unigram /= Math.max(1, heldOutIds.length);

  // The held-out pairs' two probabilities once; then each λ is a cheap pass.
  const n = Math.max(0, heldOutIds.length - 1);
  const pairP = new Float64Array(n);
  const uniP = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = heldOutIds[i]!;
    const b = heldOutIds[i + 1]!;
    pairP[i] = contexts[a]! > 0 ? (pairs.get(a * vocabSize + b) ?? 0) / contexts[a]! : 0;
    uniP[i] = unigramP(b);
  }
  let best = { bigram: Infinity, lambda: 0 };
  for (let step = 1; step <= 19; step++) {
    const lambda = step * 0.05;
    let loss = 0;
    for (let i = 0; i < n; i++) loss -= Math.log(lambda * pairP[i]! + (1 - lambda) * uniP[i]!);
    loss /= Math.max(1, n);
    if (loss < best.bigram) best = { bigram: loss, lambda };
  }
  return { unigram, bigram: best.bigram, lambda: best.lambda };
}

/**
 * The Generate node's decoding rules on a real vocabulary size: 50,257 logits (GPT-2's), drawn
 * from a seeded distribution, so the full-sort path of chooseNext is the one exercised. The
 * reference nucleus is computed here independently: sort by probability, most probable first,
 * and take the shortest prefix whose mass reaches p.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { chooseNext, seededRandom, softmax, topCandidates, type DecodingRule } from '@/nodes/transformer/sampling';

const VOCAB = 50_257;

/** Gaussian logits (Box–Muller over a seeded uniform), `spread` wide: a peaked, tie-free distribution. */
function gaussianLogits(seed: number, spread: number): Float32Array {
  const uniform = seededRandom(seed);
  const logits = new Float32Array(VOCAB);
  for (let i = 0; i < VOCAB; i++) {
    const u = 1 - uniform();
    logits[i] = spread * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  }
  return logits;
}

/** The smallest set of ids whose probabilities reach p: most probable first, ties by lower id. */
function nucleus(probs: Float64Array, p: number): Set<number> {
  const ids = Array.from(probs.keys()).sort((a, b) => probs[b]! - probs[a]! || a - b);
  const kept = new Set<number>();
  let mass = 0;
  for (const id of ids) {
    kept.add(id);
    mass += probs[id]!;
    if (mass >= p) break;
  }
  return kept;
}

const sample = (topP: number, temperature = 1, topK = 0): DecodingRule => ({ strategy: 'sample', temperature, topK, topP });

describe('nucleus (top-p) sampling over 50,257 tokens', () => {
  const logits = gaussianLogits(2026, 2.5);

  for (const [topP, temperature] of [
    [0.5, 1],
    [0.9, 1],
    [0.9, 0.7],
  ] as const) {
    it(`samples only ids in the smallest set whose mass reaches p = ${topP} (temperature ${temperature})`, () => {
      const allowed = nucleus(softmax(logits, temperature), topP);
      // Peaked enough that the nucleus is a small part of the vocabulary, and not a single token.
      expect(allowed.size).toBeGreaterThan(10);
      expect(allowed.size).toBeLessThan(VOCAB / 2);
      const random = seededRandom(7);
      const seen = new Set<number>();
      for (let draw = 0; draw < 10; draw++) {
        const choice = chooseNext(logits, sample(topP, temperature), random);
        expect(allowed.has(choice.id), `id ${choice.id}`).toBe(true);
        expect(choice.pool).toBe(allowed.size);
        seen.add(choice.id);
      }
      expect(seen.size).toBeGreaterThan(1);
    });
  }

  it('reports each sampled token’s probability under the model at temperature 1, before any cut', () => {
    const plain = softmax(logits);
    const choice = chooseNext(logits, sample(0.9, 0.7), seededRandom(3));
    expect(choice.prob).toBe(plain[choice.id]);
  });

  it('keeps the whole vocabulary when p is 1 and k is 0', () => {
    expect(chooseNext(logits, sample(1), seededRandom(1)).pool).toBe(VOCAB);
  });
});

describe('top-k ties', () => {
  it('lists equally likely tokens lower id first', () => {
    expect(topCandidates([0.2, 0.2, 0.2, 0.2, 0.2], 3)).toEqual([
      { id: 0, prob: 0.2 },
      { id: 1, prob: 0.2 },
      { id: 2, prob: 0.2 },
    ]);
    expect(topCandidates([0.1, 0.3, 0.3, 0.3], 2).map((c) => c.id)).toEqual([1, 2]);
    expect(topCandidates([0.25, 0.5, 0.25], 3).map((c) => c.id)).toEqual([1, 0, 2]);
  });

  it('keeps the k lowest ids among tokens tied at the cut, on the short path (k < 1000)', () => {
    const logits = [Math.log(0.1), Math.log(0.3), Math.log(0.3), Math.log(0.3)];
    const random = seededRandom(11);
    const seen = new Set<number>();
    for (let draw = 0; draw < 50; draw++) {
      const choice = chooseNext(logits, sample(1, 1, 2), random);
      expect(choice.pool).toBe(2);
      seen.add(choice.id);
    }
    expect([...seen].sort()).toEqual([1, 2]);
  });

  it('keeps only 1,000 tokens at top-k 1000 (the Generate node’s maximum, the full-sort path), the lowest ids among equals', () => {
    const flat = new Float32Array(VOCAB);
    const random = seededRandom(5);
    for (let draw = 0; draw < 20; draw++) {
      const choice = chooseNext(flat, sample(1, 1, 1000), random);
      expect(choice.pool).toBe(1000);
      expect(choice.id).toBeLessThan(1000);
    }
  });

  it('cuts a flat nucleus at the lowest ids: p = 0.01 of 50,257 equal tokens keeps ids 0 to 502', () => {
    const flat = new Float32Array(VOCAB);
    const random = seededRandom(9);
    const expected = nucleus(softmax(flat), 0.01);
    expect(Math.max(...expected)).toBe(expected.size - 1);
    for (let draw = 0; draw < 20; draw++) {
      const choice = chooseNext(flat, sample(0.01), random);
      expect(choice.pool).toBe(expected.size);
      expect(choice.id).toBeLessThan(expected.size);
    }
  });
});

describe('the seeded generator and the distribution it samples', () => {
  it('draws the published mulberry32 sequence, so a saved seed gives the same text on every machine and release', () => {
    const random = seededRandom(42);
    expect([random(), random(), random(), random()]).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099, 0.6697340414393693]);
    const zero = seededRandom(0);
    expect([zero(), zero()]).toEqual([0.26642920868471265, 0.0003297457005828619]);
  });

  it('divides the logits by the temperature before softmax: below 1 sharpens, above 1 flattens', () => {
    const logits = [0, Math.log(2)];
    expect(Array.from(softmax(logits))).toEqual([expect.closeTo(1 / 3, 12), expect.closeTo(2 / 3, 12)]);
    expect(Array.from(softmax(logits, 0.5))).toEqual([expect.closeTo(1 / 5, 12), expect.closeTo(4 / 5, 12)]);
    expect(Array.from(softmax(logits, 2))).toEqual([expect.closeTo(1 / (1 + Math.SQRT2), 12), expect.closeTo(Math.SQRT2 / (1 + Math.SQRT2), 12)]);
    // Stable for large logits (no Infinity / NaN).
    expect(Array.from(softmax([1000, 1000 + Math.log(3)]))).toEqual([expect.closeTo(0.25, 12), expect.closeTo(0.75, 12)]);
  });

  it('samples tokens in proportion to their probability, renormalised over what top-k keeps', () => {
    const logits = [Math.log(0.5), Math.log(0.3), Math.log(0.2)];
    const count = (rule: DecodingRule, draws = 4000) => {
      const random = seededRandom(123);
      const counts = [0, 0, 0];
      for (let i = 0; i < draws; i++) counts[chooseNext(logits, rule, random).id]!++;
      return counts.map((c) => c / draws);
    };
    const all = count(sample(1));
    expect(all[0]).toBeCloseTo(0.5, 1);
    expect(all[1]).toBeCloseTo(0.3, 1);
    expect(all[2]).toBeCloseTo(0.2, 1);
    // Top-2 keeps ids 0 and 1 and shares out their 0.8: 0.625 and 0.375.
    const top2 = count(sample(1, 1, 2));
    expect(top2[0]).toBeCloseTo(0.625, 1);
    expect(top2[1]).toBeCloseTo(0.375, 1);
    expect(top2[2]).toBe(0);
  });

  it('picks the most probable token when the random number is 0 and the last one kept when it is just below 1', () => {
    const logits = [Math.log(0.2), Math.log(0.5), Math.log(0.3)];
    expect(chooseNext(logits, sample(1), () => 0).id).toBe(1);
    expect(chooseNext(logits, sample(1), () => 0.999_999).id).toBe(0);
    expect(chooseNext(logits, sample(0.75), () => 0.999_999)).toMatchObject({ id: 2, pool: 2 });
  });

  it('counts a nucleus whose mass equals p exactly as reached', () => {
    // Probabilities 0.5, 0.25, 0.25 exactly (powers of two): the first two reach p = 0.75.
    const logits = [0, -Math.LN2, -Math.LN2];
    expect(Array.from(softmax(logits))).toEqual([0.5, 0.25, 0.25]);
    expect(chooseNext(logits, sample(0.75), seededRandom(1)).pool).toBe(2);
    expect(chooseNext(logits, sample(0.5), seededRandom(1)).pool).toBe(1);
  });

  it('still picks a kept token, the last one, if rounding leaves the random draw unspent', () => {
    const logits = [Math.log(0.2), Math.log(0.5), Math.log(0.3)];
    expect(chooseNext(logits, sample(1), () => 1)).toMatchObject({ id: 0, pool: 3 });
    expect(chooseNext(logits, sample(0.75), () => 1)).toMatchObject({ id: 2, pool: 2 });
  });

  it('picks the last kept token when the draw is spent exactly at the end of the pool (not one past it)', () => {
    // 0.5, 0.25, 0.25 exactly: a draw of the whole mass ends at 0, never below it.
    const logits = [0, -Math.LN2, -Math.LN2];
    expect(chooseNext(logits, sample(1), () => 1)).toMatchObject({ id: 2, pool: 3 });
    expect(chooseNext(logits, sample(0.75), () => 1)).toMatchObject({ id: 1, pool: 2 });
  });

  it('stays exact for logits far from zero (softmax subtracts the largest first)', () => {
    const logits = [1000, 999, 0];
    for (const topK of [0, 2]) {
      const choice = chooseNext(logits, sample(1, 1, topK), () => 0);
      expect(choice.id).toBe(0);
      expect(choice.prob).toBeCloseTo(1 / (1 + Math.exp(-1)), 12);
      expect(chooseNext(logits, sample(1, 1, topK), () => 0.9).id).toBe(1);
    }
  });

  it('lists every token, and no more, when asked for more candidates than the vocabulary has', () => {
    expect(topCandidates([0.5, 0.3, 0.2], 5)).toEqual([
      { id: 0, prob: 0.5 },
      { id: 1, prob: 0.3 },
      { id: 2, prob: 0.2 },
    ]);
  });

  it('samples almost only the top token at a very low temperature, and widely at a high one', () => {
    const logits = gaussianLogits(99, 1).subarray(0, 500);
    const top = topCandidates(softmax(logits), 1)[0]!.id;
    const cold = seededRandom(1);
    for (let i = 0; i < 20; i++) expect(chooseNext(logits, sample(1, 0.01), cold).id).toBe(top);
    const hot = seededRandom(1);
    const seen = new Set(Array.from({ length: 40 }, () => chooseNext(logits, sample(1, 5), hot).id));
    expect(seen.size).toBeGreaterThan(30);
  });

  it('takes the first of equal maxima when greedy, with the probability the model gives it', () => {
    const logits = [1, 3, 3, 2];
    const choice = chooseNext(logits, { strategy: 'greedy', temperature: 0.5, topK: 1, topP: 0.1 }, () => 0.9);
    expect(choice).toEqual({ id: 1, prob: softmax(logits)[1], pool: 1 });
  });
});

/** chooseNext as the two documented building blocks spell it: softmax, then topCandidates. */
function chooseByTheBook(logits: Float32Array, rule: DecodingRule, random: () => number) {
  const plain = softmax(logits);
  const probs = softmax(logits, rule.temperature);
  if (rule.strategy === 'greedy') {
    let id = 0;
    for (let i = 1; i < logits.length; i++) if (logits[i]! > logits[id]!) id = i;
    return { id, prob: plain[id]!, pool: 1 };
  }
  const limit = rule.topK > 0 ? Math.min(rule.topK, probs.length) : probs.length;
  const ranked = topCandidates(probs, limit);
  let pool = limit;
  let mass = 0;
  for (let i = 0; i < limit && rule.topP < 1; i++) {
    mass += ranked[i]!.prob;
    if (mass >= rule.topP) {
      pool = i + 1;
      break;
    }
  }
  let r = random() * ranked.slice(0, pool).reduce((sum, c) => sum + c.prob, 0);
  for (let i = 0; i < pool; i++) {
    r -= ranked[i]!.prob;
    if (r < 0) return { id: ranked[i]!.id, prob: plain[ranked[i]!.id]!, pool };
  }
  return { id: ranked[pool - 1]!.id, prob: plain[ranked[pool - 1]!.id]!, pool };
}

describe('the per-token fast path', () => {
  it('gives exactly the numbers softmax and topCandidates give, for any logits and rule (so a saved seed keeps its text)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 }),
        fc.integer({ min: 1, max: 3000 }),
        fc.double({ min: 0.05, max: 40, noNaN: true }),
        fc.constantFrom<'greedy' | 'sample'>('greedy', 'sample'),
        fc.double({ min: 0.05, max: 3, noNaN: true }),
        fc.constantFrom(1, 0.95, 0.5, 0.1),
        fc.integer({ min: 1, max: 999 }),
        fc.boolean(),
        (seed, size, spread, strategy, temperature, topP, topK, withTies) => {
          const uniform = seededRandom(seed);
          const logits = Float32Array.from({ length: size }, () => (withTies ? Math.round(uniform() * 4) : (uniform() - 0.5) * spread));
          const rule: DecodingRule = { strategy, temperature: withTies ? 1 : temperature, topK, topP };
          expect(chooseNext(logits, rule, seededRandom(seed + 1))).toEqual(chooseByTheBook(logits, rule, seededRandom(seed + 1)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives the same tokens over 20 steps of a 50,257-token row, at the Generate node’s defaults and at temperature 1', () => {
    for (const rule of [
      { strategy: 'sample', temperature: 0.8, topK: 50, topP: 0.95 },
      { strategy: 'sample', temperature: 1, topK: 40, topP: 1 },
    ] satisfies DecodingRule[]) {
      const fast = seededRandom(7);
      const slow = seededRandom(7);
      for (let step = 0; step < 20; step++) {
        const logits = gaussianLogits(100 + step, 3);
        expect(chooseNext(logits, rule, fast)).toEqual(chooseByTheBook(logits, rule, slow));
      }
    }
  });
});

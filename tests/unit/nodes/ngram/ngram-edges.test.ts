/**
 * What the N-gram inspector shows at the edges its main tests do not reach: more continuations
 * than it lists, plain counts (k = 0), tie orders, special tokens, typed token contexts with odd
 * spacing, and the settings it refuses.
 */
import { describe, expect, it } from 'vitest';
import type { Tokens } from '@/nodes/engine/ports';
import { ngramNode } from '@/nodes/ngram';
import { countNgrams, perplexity, topNgrams } from '@/nodes/ngram/ngram';
import { predictNext } from '@/nodes/ngram/predict';
import { analyzeNgrams, firstMergePair, specialUnits, wordUnits, type NgramAnalysis } from '@/nodes/ngram/analyze';
import { PLAIN } from '@/nodes/shared/token-text';
import { nodeResources } from '../../engine/fixtures';

const run = (inputs: { text?: string; tokens?: Tokens }, params: Record<string, unknown> = {}) => {
  const ctx = { signal: new AbortController().signal, progress: () => {}, checkpoint: async () => {}, where: 'server' as const, resources: nodeResources };
  return ngramNode.run({ text: inputs.text, tokens: inputs.tokens, predictions: undefined }, ngramNode.params.parse(params), ctx) as { details: NgramAnalysis };
};

const tokensOf = (pieces: [string, 'text' | 'special' | 'unknown'][]): Tokens => ({
  text: '',
  tokenizer: 'GPT-2',
  pieces: pieces.map(([piece, kind], id) => ({ piece, id, kind, start: null, end: null })),
});

// After "a": z ×1 (first seen), y ×3, x ×2, w ×2; then the units never seen after "a".
const FOLLOWERS = ['a', 'z', 'a', 'y', 'a', 'y', 'a', 'y', 'a', 'x', 'a', 'x', 'a', 'w', 'a', 'w', 'b', 'c', 'd', 'e'];

describe('the next units the N-gram lists', () => {
  it('lists the most frequent continuations first, ties in string order, cut at the limit', () => {
    const model = countNgrams(FOLLOWERS, 2);
    const p = predictNext(model, ['a'], 1, 'typed', 3);
    expect(p.next.map((u) => [u.unit, u.count])).toEqual([
      ['y', 3],
      ['w', 2],
      ['x', 2],
    ]);
    expect(p.othersCount).toBe(model.vocab.size - 3);
  });

  it('fills the list with unseen units up to the limit, no more', () => {
    const model = countNgrams(FOLLOWERS, 2);
    const p = predictNext(model, ['a'], 1, 'typed', 6);
    // 4 seen, then the 2 smallest unseen units of V (a, b, c, d, e are never after "a").
    expect(p.next.map((u) => u.unit)).toEqual(['y', 'w', 'x', 'z', 'a', 'b']);
    expect(p.next.slice(4).every((u) => u.count === 0 && u.probability === 1 / (8 + 9))).toBe(true);
  });

  it('lists only what was seen with plain counts (k = 0): unseen units have probability 0', () => {
    const p = predictNext(countNgrams(FOLLOWERS, 2), ['a'], 0, 'typed', 10);
    expect(p.next.map((u) => u.unit)).toEqual(['y', 'w', 'x', 'z']);
    expect(p.unseenProbability).toBe(0);
  });
});

describe('n-gram counts', () => {
  it('breaks a tie between n-grams that start alike on their next unit', () => {
    // "a c" comes before "a b" in the text; both occur once.
    expect(topNgrams(countNgrams(['a', 'c', 'x', 'a', 'b'], 2), 4).map((g) => g.units.join(' '))).toEqual(['a b', 'a c', 'c x', 'x a']);
  });

  it('counts each unit of the vocabulary', () => {
    expect(Object.fromEntries(countNgrams(['the', 'cat', 'the'], 2).vocab)).toEqual({ the: 2, cat: 1 });
  });

  it('refuses an n that is not a whole number of at least 1, with a sentence', () => {
    expect(() => countNgrams(['a'], 0)).toThrow('n must be a whole number of at least 1, not 0.');
    expect(() => countNgrams(['a'], 1.5)).toThrow('n must be a whole number of at least 1, not 1.5.');
  });

  it('gives no perplexity with plain counts when a seen context is followed by a unit it never was', () => {
    // "b" was followed only by "a"; "c" is in V: P(c | b) = 0 with k = 0.
    const model = countNgrams(['a', 'b', 'a', 'c'], 2);
    expect(perplexity(model, ['b', 'c'], 0)).toBeNull();
    expect(perplexity(model, ['b', 'c'], 1)).toBeCloseTo(1 / (1 / (1 + 3)), 12);
  });
});

describe('what the inspector is given', () => {
  it('names the pair BPE would merge first by count before string order', () => {
    expect(firstMergePair(['ab', 'zz', 'zz'])).toEqual({ left: 'z', right: 'z', count: 2 });
  });

  it('keeps special and unknown tokens apart as stored pieces', () => {
    const tokens = tokensOf([['[CLS]', 'special'], ['hi', 'text'], ['[UNK]', 'unknown'], ['[SEP]', 'special'], ['[UNK]', 'unknown']]);
    expect(specialUnits(tokens)).toEqual(['[CLS]', '[UNK]', '[SEP]']);
  });

  it('reads word units as plain text with no specials, and finds the first merge only for words', () => {
    const words = wordUnits('▁the ▁cat ▁sat', true);
    const options = { n: 2, top: 5, k: 1, context: null };
    const asWords = analyzeNgrams(words, 'word', 'words', options);
    expect(asWords).toMatchObject({ spelling: PLAIN, specials: [] });
    expect(asWords.firstMerge).not.toBeNull();
    expect(analyzeNgrams(words, 'token', 'GPT-2', options).firstMerge).toBeNull();
  });

  it('carries at most 50 distinct special tokens', () => {
    const specials = Array.from({ length: 60 }, (_, i) => `<s${i}>`);
    expect(analyzeNgrams(['a'], 'token', 'T', { n: 1, top: 1, k: 1, context: null }, [...specials, ...specials]).specials).toEqual(specials.slice(0, 50));
  });
});

describe('the N-gram node', () => {
  it('says its words come from the text', () => {
    expect(run({ text: 'the cat' }).details.source).toBe('words');
  });

  it('predicts from the end of the input when the typed context is only spaces', () => {
    expect(run({ text: 'the cat sat' }, { context: '   ' }).details.prediction).toMatchObject({ from: 'input', context: ['sat'] });
  });

  it('reads a typed token context around any spacing', () => {
    const tokens = tokensOf([['Ġa', 'text'], ['Ġb', 'text'], ['Ġc', 'text'], ['Ġa', 'text'], ['Ġb', 'text'], ['Ġd', 'text']]);
    expect(run({ tokens }, { n: 3, context: '  Ġa   Ġb  ' }).details.prediction).toMatchObject({
      from: 'typed',
      context: ['Ġa', 'Ġb'],
      status: 'seen',
      contextCount: 2,
    });
  });

  it('takes k from 0 to 1000 and refuses the rest', () => {
    for (const k of [0, 5, 1000]) expect(ngramNode.params.safeParse({ k }).success).toBe(true);
    for (const k of [-1, 1001]) expect(ngramNode.params.safeParse({ k }).success).toBe(false);
  });
});

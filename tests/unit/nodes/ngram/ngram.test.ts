import { describe, expect, it } from 'vitest';
import { createRecipeCache } from '@/nodes/engine/cache';
import { execute } from '@/nodes/engine/executor';
import type { Tokens } from '@/nodes/engine/ports';
import { registry } from '@/nodes';
import { ngramNode } from '@/nodes/ngram';
import { countNgrams, nextUnitProbability, perplexity, topNgrams } from '@/nodes/ngram/ngram';
import { predictNext } from '@/nodes/ngram/predict';
import { analyzeNgrams, firstMergePair, tokenUnits, wordUnits, type NgramAnalysis } from '@/nodes/ngram/analyze';
import { BYTE_LEVEL, PLAIN, tokenLabel, viewTokens, WORDPIECE } from '@/nodes/shared/token-text';
import { graph, nodeResources } from '../../engine/fixtures';

const CATS = 'The cat sat on the mat. The cat ran';

/** Sum of P(w | context) over the whole vocabulary. */
function totalProbability(units: string[], n: number, context: string[], k: number): number {
  const model = countNgrams(units, n);
  let sum = 0;
  for (const w of model.vocab.keys()) sum += nextUnitProbability(model, context, w, k) ?? Number.NaN;
  return sum;
}

const runNode = (inputs: { text?: string; tokens?: Tokens }, params: Partial<Parameters<typeof ngramNode.run>[1]> = {}) => {
  const full = ngramNode.params.parse(params);
  const ctx = {
    signal: new AbortController().signal,
    progress: () => {},
    checkpoint: async () => {},
    where: 'server' as const,
    resources: nodeResources,
  };
  return ngramNode.run({ text: inputs.text, tokens: inputs.tokens, predictions: undefined }, full, ctx) as { details?: NgramAnalysis };
};

describe('n-gram units', () => {
  it('cuts text into lowercase words with each punctuation mark a unit of its own', () => {
    expect(wordUnits(CATS, true)).toEqual(['the', 'cat', 'sat', 'on', 'the', 'mat', '.', 'the', 'cat', 'ran']);
    expect(wordUnits('Hi, Bob!', false)).toEqual(['Hi', ',', 'Bob', '!']);
  });

  it('keeps Odia words whole (combining marks stay) and the danda apart; emoji are units', () => {
    expect(wordUnits('ଜଣେ ପିଲା ବିଦ୍ୟାଳୟକୁ ଯାଏ।', true)).toEqual(['ଜଣେ', 'ପିଲା', 'ବିଦ୍ୟାଳୟକୁ', 'ଯାଏ', '।']);
    expect(wordUnits('I ❤️ 👨‍👩‍👧 🇮🇳', true)).toEqual(['i', '❤️', '👨‍👩‍👧', '🇮🇳']);
  });

  it('gives nothing for empty or blank text', () => {
    expect(wordUnits('', true)).toEqual([]);
    expect(wordUnits('  \n\t ', true)).toEqual([]);
  });
});

describe('n-gram counts and add-k probabilities', () => {
  // Units: the cat sat on the mat . the cat ran   (10 units)
  // Bigrams (9): the cat ×2, cat sat, sat on, on the, the mat, mat ., . the, cat ran ×1 each.
  // V = {the, cat, sat, on, mat, ., ran}: |V| = 7.
  // Context "the" is followed 3 times: by cat, mat, cat → count(the) = 3, count(the, cat) = 2, count(the, mat) = 1.
  // With k = 1: P(cat | the) = (2 + 1) / (3 + 1·7) = 3/10; P(mat | the) = (1 + 1) / 10 = 2/10;
  // each of the 5 other units: (0 + 1) / 10 = 1/10. Sum: 3/10 + 2/10 + 5/10 = 1.
  const units = wordUnits(CATS, true);
  const model = countNgrams(units, 2);

  it('counts every bigram, with the most frequent first and ties in string order', () => {
    expect(model.total).toBe(9);
    expect(model.vocab.size).toBe(7);
    expect(topNgrams(model, 4)).toEqual([
      { units: ['the', 'cat'], count: 2 },
      { units: ['.', 'the'], count: 1 },
      { units: ['cat', 'ran'], count: 1 },
      { units: ['cat', 'sat'], count: 1 },
    ]);
  });

  it('smooths with add-k exactly as worked out by hand', () => {
    expect(nextUnitProbability(model, ['the'], 'cat', 1)).toBeCloseTo(3 / 10, 12);
    expect(nextUnitProbability(model, ['the'], 'mat', 1)).toBeCloseTo(2 / 10, 12);
    expect(nextUnitProbability(model, ['the'], 'ran', 1)).toBeCloseTo(1 / 10, 12);
    // k = 0.5: (2 + 0.5) / (3 + 0.5·7) = 2.5 / 6.5
    expect(nextUnitProbability(model, ['the'], 'cat', 0.5)).toBeCloseTo(2.5 / 6.5, 12);
    // k = 0 is the plain relative frequency: 2/3
    expect(nextUnitProbability(model, ['the'], 'cat', 0)).toBeCloseTo(2 / 3, 12);
  });

  it('lists the top next units, seen ones first, then unseen ones in string order', () => {
    const p = predictNext(model, ['the'], 1);
    expect(p.status).toBe('seen');
    expect(p.contextCount).toBe(3);
    expect(p.next.map((x) => [x.unit, x.count])).toEqual([
      ['cat', 2],
      ['mat', 1],
      ['.', 0],
      ['on', 0],
      ['ran', 0],
      ['sat', 0],
      ['the', 0],
    ]);
    expect(p.next.reduce((s, x) => s + x.probability, 0)).toBeCloseTo(1, 12);
    expect(p.unseenProbability).toBeCloseTo(1 / 10, 12);
    expect(p.othersCount).toBe(0);
  });

  it('gives probabilities that sum to 1 over the vocabulary, for every n, k and context', () => {
    const text = 'a rose is a rose is a rose, said she; and a rose it was. ଜଣେ ପିଲା ଯାଏ 🙂 🙂';
    const u = wordUnits(text, true);
    for (let n = 1; n <= 5; n++) {
      const m = countNgrams(u, n);
      for (const k of [0.01, 0.5, 1, 3]) {
        for (const key of m.contexts.keys()) expect(totalProbability(u, n, JSON.parse(key) as string[], k)).toBeCloseTo(1, 10);
        expect(totalProbability(u, n, Array(n - 1).fill('never-seen'), k)).toBeCloseTo(1, 10);
      }
      for (const key of m.contexts.keys()) expect(totalProbability(u, n, JSON.parse(key) as string[], 0)).toBeCloseTo(1, 10);
    }
  });

  it('uses the number of units as count(context) for unigrams', () => {
    const m = countNgrams(units, 1);
    // count(the) = 3 of 10 units, |V| = 7, k = 1: (3 + 1) / (10 + 7) = 4/17
    expect(nextUnitProbability(m, [], 'the', 1)).toBeCloseTo(4 / 17, 12);
    expect(predictNext(m, ['whatever'], 1).context).toEqual([]);
  });

  it('gives the uniform distribution for an unseen context under add-k, and nothing with plain counts', () => {
    // "ran" ends the text, so it is never followed: count(ran) = 0 → P = (0 + 1) / (0 + 7) = 1/7 for every unit.
    const p = predictNext(model, ['ran'], 1);
    expect(p.status).toBe('unseen');
    expect(p.next).toHaveLength(7);
    for (const x of p.next) expect(x.probability).toBeCloseTo(1 / 7, 12);
    expect(p.next.map((x) => x.unit)).toEqual(['.', 'cat', 'mat', 'on', 'ran', 'sat', 'the']);
    const plain = predictNext(model, ['ran'], 0);
    expect(plain.status).toBe('undefined');
    expect(plain.next).toEqual([]);
    expect(nextUnitProbability(model, ['ran'], 'cat', 0)).toBeNull();
  });

  it('gives zero to a unit outside the vocabulary', () => {
    expect(nextUnitProbability(model, ['the'], 'dog', 1)).toBe(0);
  });

  it('scores its own input: a fully predictable sequence has perplexity 1 without smoothing', () => {
    // a b a b: P(b|a) = 2/2, P(a|b) = 1/1 → every step has probability 1.
    expect(perplexity(countNgrams(['a', 'b', 'a', 'b'], 2), ['a', 'b', 'a', 'b'], 0)).toBeCloseTo(1, 12);
    // With k = 1, |V| = 2: P(b|a) = 3/4, P(a|b) = 2/3, P(b|a) = 3/4 → exp(−(2·ln 3/4 + ln 2/3)/3)
    const expected = Math.exp(-(2 * Math.log(3 / 4) + Math.log(2 / 3)) / 3);
    expect(perplexity(countNgrams(['a', 'b', 'a', 'b'], 2), ['a', 'b', 'a', 'b'], 1)).toBeCloseTo(expected, 12);
    expect(perplexity(countNgrams([], 2), [], 1)).toBeNull();
  });

  it('finds the character pair BPE would merge first', () => {
    // low lower newest widest: "we" ×2 (lower, newest), "es" ×2, "st" ×2, "lo" ×2, "ow" ×2 … ties in string order: "es"
    expect(firstMergePair(['low', 'lower', 'newest', 'widest'])).toEqual({ left: 'e', right: 's', count: 2 });
    expect(firstMergePair(['a', 'b'])).toBeNull();
  });
});

describe('n-gram edge cases', () => {
  it('handles n larger than the number of units: no n-grams, a short context', () => {
    const a = analyzeNgrams(['hello', 'world'], 'word', 'words', { n: 5, top: 20, k: 1, context: null });
    expect(a.ngramTotal).toBe(0);
    expect(a.top).toEqual([]);
    expect(a.vocabSize).toBe(2);
    expect(a.prediction.status).toBe('short');
    expect(a.perplexity).toBeNull();
  });

  it('handles empty input without failing', () => {
    const a = analyzeNgrams([], 'word', 'words', { n: 2, top: 20, k: 1, context: null });
    expect(a).toMatchObject({ unitCount: 0, vocabSize: 0, ngramTotal: 0, top: [], perplexity: null, firstMerge: null });
    expect(a.prediction.status).toBe('short');
    const unigram = analyzeNgrams([], 'word', 'words', { n: 1, top: 20, k: 1, context: null });
    expect(unigram.prediction.status).toBe('undefined');
  });

  it('predicts after the last n−1 units of the input when no context is typed', () => {
    // "the cat" ×2 … the context for n = 3 is the last two units: "cat ran", never followed.
    const a = analyzeNgrams(wordUnits(CATS, true), 'word', 'words', { n: 3, top: 3, k: 1, context: null });
    expect(a.prediction).toMatchObject({ from: 'input', context: ['cat', 'ran'], status: 'unseen' });
    expect(a.top[0]).toEqual({ units: ['.', 'the', 'cat'], count: 1 });
  });

  it('counts Odia and emoji units', () => {
    const units = wordUnits('ଜଣେ ପିଲା ଯାଏ। ଜଣେ ପିଲା 🙂 🙂 🙂', true);
    const a = analyzeNgrams(units, 'word', 'words', { n: 2, top: 2, k: 1, context: ['ଜଣେ'] });
    expect(a.top).toEqual([
      { units: ['ଜଣେ', 'ପିଲା'], count: 2 },
      { units: ['🙂', '🙂'], count: 2 },
    ]);
    // count(ଜଣେ) = 2, count(ଜଣେ, ପିଲା) = 2, |V| = 5 (ଜଣେ ପିଲା ଯାଏ । 🙂): (2 + 1) / (2 + 5) = 3/7
    expect(a.prediction.next[0]).toEqual({ unit: 'ପିଲା', count: 2, probability: 3 / 7 });
  });
});

describe('the N-gram node', () => {
  const tokens: Tokens = {
    text: 'I love NLP. I love it',
    tokenizer: 'GPT-2',
    pieces: ['I', 'Ġlove', 'ĠN', 'LP', '.', 'ĠI', 'Ġlove', 'Ġit'].map((piece, id) => ({ piece, id, kind: 'text' as const, start: null, end: null })),
  };

  it('counts token pieces when tokens are connected, as written and not lowercased', () => {
    expect(tokenUnits(tokens)).toHaveLength(8);
    const { details } = runNode({ tokens }, { context: 'Ġlove' });
    expect(details).toMatchObject({ level: 'token', source: 'GPT-2', unitCount: 8, vocabSize: 7, firstMerge: null });
    expect(details?.top[0]).toEqual({ units: ['.', 'ĠI'], count: 1 });
    // count(Ġlove) = 2 (ĠN, Ġit), |V| = 7: P(ĠN | Ġlove) = (1 + 1) / (2 + 7) = 2/9
    expect(details?.prediction.next[0]).toEqual({ unit: 'ĠN', count: 1, probability: 2 / 9 });
  });

  it('cuts a typed context into words like the input, lowercased', () => {
    const { details } = runNode({ text: CATS }, { context: 'Sat on THE' });
    expect(details?.prediction).toMatchObject({ from: 'typed', context: ['the'], status: 'seen', contextCount: 3 });
    expect(details?.prediction.next[0]?.probability).toBeCloseTo(3 / 10, 12);
  });

  it('refuses to run with neither input or with both, saying what to connect', () => {
    expect(() => runNode({})).toThrow(/connect text .* or tokens/);
    expect(() => runNode({ text: 'a b', tokens })).toThrow(/not both/);
  });

  it('runs in the engine from a Text node and shows the top bigram', async () => {
    const doc = graph(
      [
        ['t', 'text', { text: CATS }],
        ['g', 'ngram', { n: 2 }],
      ],
      [['t', 'g']],
    );
    const report = await execute(doc, { registry, cache: createRecipeCache(), where: 'server', resources: nodeResources });
    const outcome = report.outcomes.get('g') as { status: string; view: NgramAnalysis };
    expect(outcome.status).toBe('done');
    expect(outcome.view.top[0]).toEqual({ units: ['the', 'cat'], count: 2 });
    expect(structuredClone(outcome.view)).toEqual(outcome.view);
  });

  /** The N-gram node's view over a shipped tokenizer's tokens of `text`. */
  async function tokenView(model: string, text: string): Promise<NgramAnalysis> {
    const doc = graph(
      [
        ['t', 'text', { text }],
        ['tok', 'pretrained', { model }],
        ['g', 'ngram', { n: 2, top: 50 }],
      ],
      [['t', 'tok'], ['tok', 'g', 'tokens', 'tokens']],
    );
    const report = await execute(doc, { registry, cache: createRecipeCache(), where: 'server', resources: nodeResources });
    const outcome = report.outcomes.get('g') as { status: string; view: NgramAnalysis };
    expect(outcome.status).toBe('done');
    return outcome.view;
  }

  it('says how GPT-2’s units spell their text, so its Odia bigrams read as Odia and its stored form stays a toggle away', async () => {
    const view = await tokenView('gpt2', 'ଜଣେ ପିଲା ଜଣେ ପିଲା');
    expect(view.spelling).toEqual(BYTE_LEVEL);
    expect(view.unitsPreview.join('')).toMatch(/à¬/); // stored as GPT-2's byte stand-ins
    const run = viewTokens(view.unitsPreview, view.spelling, new Set(view.specials));
    // Read together, the previewed units (the first 40) spell the text again, and no stand-in shows.
    const readable = run.flatMap((v) => v.segments.map((s) => (s.kind === 'text' ? s.text : s.kind === 'partial' && s.index === 0 ? s.char : ''))).join('');
    expect(view.unitsPreview).toHaveLength(40);
    expect(readable.length).toBeGreaterThan(10);
    expect('ଜଣେ ପିଲା ଜଣେ ପିଲା'.startsWith(readable)).toBe(true);
    for (const v of run) {
      expect(tokenLabel(v, false)).not.toMatch(/[à¬Ġ]/);
      expect(tokenLabel(v, true)).toBe(v.raw);
    }
    for (const gram of view.top) {
      const views = viewTokens(gram.units, view.spelling);
      for (const v of views) for (const seg of v.segments) if (seg.kind === 'partial') expect(seg.char).toMatch(/\p{Script=Oriya}/u);
    }
  });

  it('says BERT’s units are WordPiece and keeps [CLS] and [SEP] as they are', async () => {
    const view = await tokenView('bert-base-uncased', 'I love NLP');
    expect(view.spelling).toEqual(WORDPIECE);
    expect(view.specials).toEqual(['[CLS]', '[SEP]']);
    const run = viewTokens(view.unitsPreview, view.spelling, new Set(view.specials));
    expect(view.unitsPreview).toContain('##p');
    expect(run.map((v) => tokenLabel(v, false))).toEqual(['[CLS]', 'i', 'love', 'nl', 'p', '[SEP]']);
  });

  it('reads word units as plain text', () => {
    expect(runNode({ text: CATS }).details).toMatchObject({ spelling: PLAIN, specials: [] });
  });

  it('reports an unconnected node as an error on the node', async () => {
    const doc = graph([['g', 'ngram']], []);
    const report = await execute(doc, { registry, cache: createRecipeCache(), where: 'server', resources: nodeResources });
    const outcome = report.outcomes.get('g') as { status: string; message: string };
    expect(outcome.status).toBe('error');
    expect(outcome.message).toMatch(/connect text/);
  });
});

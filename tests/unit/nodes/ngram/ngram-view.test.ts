/**
 * The N-gram inspector beside a Transformer: with the Transformer's predictions wired in, it sets
 * the two next-token predictions side by side, and says they are comparable only when both
 * predict after the same last token (token units, context taken from the end of the input).
 */
import { describe, expect, it } from 'vitest';
import type { Predictions, Tokens } from '@/nodes/engine/ports';
import { ngramNode } from '@/nodes/ngram';
import type { NgramAnalysis } from '@/nodes/ngram/analyze';
import { nodeResources } from '../../engine/fixtures';

const TOKENS: Tokens = {
  text: 'I love NLP. I love it',
  tokenizer: 'GPT-2',
  pieces: ['I', 'Ġlove', 'ĠN', 'LP', '.', 'ĠI', 'Ġlove', 'Ġit'].map((piece, id) => ({ piece, id, kind: 'text' as const, start: null, end: null })),
};

const candidates = [
  { id: 13, token: '.', prob: 0.4 },
  { id: 0, token: '!', prob: 0.1 },
];

function predictionsAfter(tokens: string[], topK = [{ position: tokens.length - 1, candidates }]): Predictions {
  return { model: 'GPT-2', positions: tokens.length, ids: tokens.map((_, i) => i), tokens, topK, backend: 'cpu' } as Predictions;
}

function inspect(inputs: { text?: string; tokens?: Tokens }, params: Record<string, unknown>, predictions?: Predictions) {
  const full = ngramNode.params.parse(params);
  const ctx = { signal: new AbortController().signal, progress: () => {}, checkpoint: async () => {}, where: 'server' as const, resources: nodeResources };
  const all = { text: inputs.text, tokens: inputs.tokens, predictions };
  const { details } = ngramNode.run(all, full, ctx) as { details: NgramAnalysis };
  return ngramNode.view({ details, inputs: all, outputs: {}, params: full });
}

describe('the N-gram inspector beside a Transformer', () => {
  it('shows the Transformer’s candidates after the last three tokens it read, as comparable when both end on the same token', () => {
    const view = inspect({ tokens: TOKENS }, {}, predictionsAfter(['I', 'Ġlove', 'ĠN', 'LP', '.', 'ĠI', 'Ġlove', 'Ġit']));
    expect(view?.prediction).toMatchObject({ from: 'input', context: ['Ġit'] });
    expect(view?.transformer).toEqual({ model: 'GPT-2', context: ['ĠI', 'Ġlove', 'Ġit'], candidates, sameContext: true });
  });

  it('shows a Transformer that read fewer than three tokens with all of them', () => {
    const view = inspect({ tokens: TOKENS }, {}, predictionsAfter(['Ġit']));
    expect(view?.transformer).toMatchObject({ context: ['Ġit'], sameContext: true });
  });

  it('does not call them comparable when the Transformer ends on another token', () => {
    expect(inspect({ tokens: TOKENS }, {}, predictionsAfter(['I', 'Ġlove']))?.transformer?.sameContext).toBe(false);
  });

  it('does not call them comparable for word units, a typed context, or unigrams (no context at all)', () => {
    const after = predictionsAfter(['I', 'Ġlove', 'Ġit']);
    expect(inspect({ text: 'I love it' }, {}, predictionsAfter(['it']))?.transformer?.sameContext).toBe(false);
    expect(inspect({ tokens: TOKENS }, { context: 'Ġit' }, after)?.transformer?.sameContext).toBe(false);
    expect(inspect({ tokens: TOKENS }, { n: 1 }, after)?.transformer?.sameContext).toBe(false);
  });

  it('shows no Transformer column without predictions, or when they hold no candidates', () => {
    expect(inspect({ tokens: TOKENS }, {})?.transformer).toBeNull();
    expect(inspect({ tokens: TOKENS }, {}, predictionsAfter(['Ġit'], []))?.transformer).toBeNull();
  });

  it('shows nothing before the node has run', () => {
    const params = ngramNode.params.parse({});
    expect(ngramNode.view({ details: undefined, inputs: { text: undefined, tokens: TOKENS, predictions: undefined }, outputs: {}, params })).toBeNull();
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compactCount, modelCardLine } from '@/nodes/shared/model-card';
import { SHIPPED_MODEL } from '@/nodes/shared/model-ref';
import { type ViewOf } from '@/nodes';
import { done, pipeline, run } from '../transformer/model-graphs';

const readme = readFileSync('public/models/tokenloom-tiny/README.md', 'utf8');
/** The first number (commas allowed) after `pattern` in the shipped model's README. */
function readmeNumber(pattern: RegExp): number {
  const match = pattern.exec(readme);
  if (!match?.[1]) throw new Error(`The shipped model's README no longer matches ${pattern}: update SHIPPED_MODEL.card and this test together.`);
  return Number(match[1].replace(/,/g, ''));
}

describe('the one line that says what a model is', () => {
  it('writes counts compactly', () => {
    expect(compactCount(6_862_464)).toBe('6.86 M');
    expect(compactCount(98_701)).toBe('98.7 k');
    expect(compactCount(512)).toBe('512');
    expect(compactCount(0)).toBe('0');
    expect(compactCount(2_500_000_000)).toBe('2.50 B');
  });

  it('states the shipped model’s figures as its README reports them (a retrained model must update both)', () => {
    const card = SHIPPED_MODEL.card!;
    expect(card.parameters).toBe(readmeNumber(/\| parameters \| ([\d,]+)/));
    expect(card.heldOut!.perplexity).toBe(readmeNumber(/\| \*\*tokenloom-tiny\*\* \| \*\*[\d.]+\*\* \| \*\*([\d.]+)\*\* \|/));
    expect(card.heldOut!.bigramPerplexity).toBe(readmeNumber(/\| bigram, add-k[^|]*\| [\d.]+ \| ([\d.]+) \|/));
    expect(card.heldOut!.tokens).toBe(readmeNumber(/([\d,]+) tokens; the other/));
    const trainTokens = readmeNumber(/\(([\d,]+) tokens\) are training data/);
    expect(card.trainedOn).toContain(`${compactCount(trainTokens)} tokens of State of the Union addresses`);
  });

  it('compares with the bigram as a ratio, and says so when a figure is missing', () => {
    const line = modelCardLine({ label: 'm', layers: 2, heads: 4, width: 128, card: { parameters: 1000, trainedOn: 'x', heldOut: { perplexity: 120, bigramPerplexity: 240, tokens: 5000 } } });
    expect(line).toBe('m: 2 layers × 4 heads, width 128, 1.00 k parameters · trained on x · held-out perplexity 120.0, a bigram 240.0 on the same 5.00 k tokens (0.50×: lower is better)');
    expect(modelCardLine({ label: 'm', layers: 2, heads: 4, width: 128, card: { parameters: 1000, trainedOn: 'x', heldOut: null } })).toContain('no held-out perplexity measured');
    expect(modelCardLine({ label: 'hub/model', layers: 6, heads: 12, width: 768 })).toBe(
      'hub/model: 6 layers × 12 heads, width 768 · what it was trained on is not stated here, and there is no held-out comparison with a bigram',
    );
    // A NaN from a diverged run is not printed as a figure.
    expect(modelCardLine({ label: 'm', layers: 1, heads: 1, width: 8, card: { parameters: 10, trainedOn: 'x', heldOut: { perplexity: Number.NaN, bigramPerplexity: 3, tokens: 9 } } })).toContain(
      'no held-out perplexity measured',
    );
  });

  it('is shown for the shipped model by the Transformer and Generate nodes', async () => {
    const report = await run(pipeline('I love', ['model', 'transformer', { topK: 5 }]));
    const { view } = done<ViewOf<'transformer'>>(report.outcomes.get('model'));
    expect(view.modelCard).toBe(
      `${SHIPPED_MODEL.label}: 4 layers × 4 heads, width 192, 11.5 M parameters · trained on 1.98 M tokens of State of the Union addresses (1790–2021) · held-out perplexity 117.0, a bigram 239.0 on the same 98.7 k tokens (0.49×: lower is better)`,
    );
    const generated = await run(pipeline('I love', ['gen', 'generate', { maxNewTokens: 2 }]));
    expect(done<ViewOf<'generate'>>(generated.outcomes.get('gen')).view.modelCard).toBe(view.modelCard);
  });
});

import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { officialGpt2Ids } from '@/nodes/bpe/official-ids';
import { loadPretrained } from '@/nodes/shared/tokenizer-ref';
import type { PretrainedTokenizer } from '@/nodes/pretrained/pretrained';
import { nodeResources } from '../../engine/fixtures';

let gpt2: PretrainedTokenizer;
beforeAll(async () => {
  gpt2 = await loadPretrained('gpt2', nodeResources);
});
const whole = (text: string) => gpt2.tokenizer._tokenizer.encode(text, { add_special_tokens: true }).ids;

const unit = fc.oneof(
  fc.constantFrom('\n', '\n\n', '\r\n', ' ', '  ', '\t', 'a', 'Tok', ' love', "'s", '7', '!', 'ଓଡ଼ିଆ', '🙂', '<|endoftext|>', '<|endof', 'text|>', '\u0085', '\ufeff'),
  fc.string({ unit: 'binary', maxLength: 2 }),
);

describe('officialGpt2Ids', () => {
  it('equals one encode of the whole text, for texts full of newlines, spaces and special-token look-alikes', () => {
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 40 }), (text) => {
        expect(officialGpt2Ids(gpt2, text)).toEqual(whole(text));
      }),
      { numRuns: 1500 },
    );
  });

  it('gives GPT-2’s known IDs, and the same again from memory', () => {
    expect(officialGpt2Ids(gpt2, 'I love NLP')).toEqual([40, 1842, 399, 19930]);
    const text = 'I love NLP\nTokenizers turn text into numbers.\n  indented\n';
    expect(officialGpt2Ids(gpt2, text)).toEqual(whole(text));
    expect(officialGpt2Ids(gpt2, text)).toEqual(whole(text));
  });

  it('gives no IDs for the empty text', () => {
    expect(officialGpt2Ids(gpt2, '')).toEqual(whole(''));
  });
});

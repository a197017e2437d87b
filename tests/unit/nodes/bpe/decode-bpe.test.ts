import fc from 'fast-check';
import { decode as gptTokenizerDecode } from 'gpt-tokenizer/encoding/r50k_base';
import { beforeAll, describe, expect, it } from 'vitest';
import { BpeDecoder } from '@/nodes/bpe/decode-bpe';
import { checkRoundTrip } from '@/nodes/decode/decode';
import { BpeEncoder } from '@/nodes/bpe/encode-bpe';
import { trainBpe } from '@/nodes/bpe/train-bpe';
import type { BpeModel } from '@/nodes/bpe/types';
import { findSample } from '@/nodes/text/samples';
import { emojiCorpus, mixedCorpus, odiaCorpus } from '@/scripts/make-corpora';
import { gpt2Model } from './references';

const sample = (id: string) => findSample(id)!.text;

let trained: BpeModel;
beforeAll(async () => {
  trained = await trainBpe(emojiCorpus(40_000) + odiaCorpus(20_000), { vocabSize: 800, specialTokens: ['<|endoftext|>'] });
});

const pairsOf = () =>
  [
    ['GPT-2', gpt2Model()],
    ['a trained vocabulary', trained],
  ] as const;

describe('BpeDecoder', () => {
  it('round-trips "", one character, Odia, emoji and code exactly', () => {
    for (const [, model] of pairsOf()) {
      const encoder = new BpeEncoder(model);
      const decoder = new BpeDecoder(model);
      for (const text of ['', 'a', ' ', 'ଓ', '👋🏽', sample('odia'), sample('emoji'), sample('code'), sample('english')]) {
        const decoded = decoder.decode(encoder.encode(text));
        expect(decoded).toBe(text);
        expect(checkRoundTrip(text, decoded)).toEqual({ equal: true });
      }
    }
  });

  it('round-trips any well-formed string (property)', () => {
    for (const [, model] of pairsOf()) {
      const encoder = new BpeEncoder(model);
      const decoder = new BpeDecoder(model);
      fc.assert(
        fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
          expect(decoder.decode(encoder.encode(text))).toBe(text);
        }),
        { numRuns: 500 },
      );
    }
  });

  it('turns lone surrogates into U+FFFD, exactly as toWellFormed() does (property)', () => {
    const unit = fc.oneof(
      fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff', 'a', ' ', '😀'),
      fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
    );
    const encoder = new BpeEncoder(gpt2Model());
    const decoder = new BpeDecoder(gpt2Model());
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 40 }), (text) => {
        expect(decoder.decode(encoder.encode(text))).toBe(text.toWellFormed());
      }),
      { numRuns: 2000 },
    );
  });

  it('explains a lone surrogate in the round-trip check', () => {
    const encoder = new BpeEncoder(gpt2Model());
    const decoder = new BpeDecoder(gpt2Model());
    const text = 'a\ud800b';
    expect(checkRoundTrip(text, decoder.decode(encoder.encode(text)))).toEqual({
      equal: false,
      index: 1,
      expected: '\ud800',
      actual: '\ufffd',
      reason: 'lone surrogate U+D800 has no UTF-8 encoding; it was encoded as U+FFFD',
    });
  });

  it('explains ids that cut a character in half, missing text, and a different character', () => {
    const encoder = new BpeEncoder(gpt2Model());
    const decoder = new BpeDecoder(gpt2Model());
    const ids = encoder.encode('hi 👋');
    const cut = checkRoundTrip('hi 👋', decoder.decode(ids.slice(0, -1)));
    expect(cut).toMatchObject({ equal: false, index: 3, expected: '👋', actual: '\ufffd' });
    expect(cut.equal === false && cut.reason).toMatch(/not valid UTF-8/);
    expect(checkRoundTrip('hello', 'hel')).toMatchObject({ equal: false, index: 3, expected: 'l', actual: '' });
    expect(checkRoundTrip('hel', 'hello')).toMatchObject({ equal: false, index: 3, expected: '', actual: 'l' });
    const changed = checkRoundTrip('café', 'cafe\u0301');
    expect(changed).toMatchObject({ equal: false, index: 3, expected: 'é', actual: 'e' });
    expect(changed.equal === false && changed.reason).toMatch(/U\+00E9 became U\+0065/);
    // A whole emoji (surrogate pair) is reported as one character.
    expect(checkRoundTrip('a😀', 'a😁')).toMatchObject({ index: 1, expected: '😀', actual: '😁' });
  });

  it('decodes special tokens to their content and refuses unknown ids', () => {
    const decoder = new BpeDecoder(gpt2Model());
    expect(decoder.decode([40, 50256, 1842])).toBe('I<|endoftext|> love');
    expect(() => decoder.decode([50257])).toThrow(RangeError);
    expect(() => decoder.decode([-1])).toThrow(RangeError);
    const ownDecoder = new BpeDecoder(trained);
    expect(ownDecoder.decode([0])).toBe('<|endoftext|>');
  });

  it('decodes 1 MB of mixed text like gpt-tokenizer, and bytes like TextEncoder', () => {
    const text = mixedCorpus(1_000_000);
    const ids = new BpeEncoder(gpt2Model()).encode(text);
    const decoder = new BpeDecoder(gpt2Model());
    const decoded = decoder.decode(ids);
    expect(decoded === gptTokenizerDecode(ids)).toBe(true);
    expect(decoded === text).toBe(true);
    expect(Buffer.compare(decoder.decodeToBytes(ids), new TextEncoder().encode(text))).toBe(0);
  });
});

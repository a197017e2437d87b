import fc from 'fast-check';
import { encode as gptTokenizerEncode } from 'gpt-tokenizer/encoding/r50k_base';
import { get_encoding } from 'tiktoken';
import { afterAll, describe, expect, it } from 'vitest';
import { BpeDecoder } from '@/nodes/bpe/decode-bpe';
import { BpeEncoder } from '@/nodes/bpe/encode-bpe';
import { traceBpePiece } from '@/nodes/bpe/trace-bpe';
import { trainBpe } from '@/nodes/bpe/train-bpe';
import { TEXT_SAMPLES } from '@/nodes/text/samples';
import { emojiCorpus, mixedCorpus, odiaCorpus } from '@/scripts/make-corpora';
import { gpt2Model } from './references';

const gpt2 = new BpeEncoder(gpt2Model());
const tiktoken = get_encoding('r50k_base');
afterAll(() => tiktoken.free());

const tiktokenOrdinary = (text: string) => Array.from(tiktoken.encode_ordinary(text));

describe('BpeEncoder with GPT-2\'s vocabulary', () => {
  it('gives GPT-2\'s known ids', () => {
    expect(gpt2.encode('I love NLP')).toEqual([40, 1842, 399, 19930]);
    expect(gpt2.encode('')).toEqual([]);
    expect(gpt2.encode(' the')).toEqual([262]);
  });

  it('gives the same ids as gpt-tokenizer and tiktoken (r50k_base) on 1.1 MB of mixed text', () => {
    const text = mixedCorpus(1_100_000);
    expect(new TextEncoder().encode(text).length).toBeGreaterThan(1_000_000);
    expect(text.isWellFormed()).toBe(true);
    const ours = gpt2.encode(text);
    expect(ours).toEqual(gptTokenizerEncode(text));
    expect(ours).toEqual(tiktokenOrdinary(text));
  });

  it('gives the same ids as gpt-tokenizer on arbitrary strings, lone surrogates included', () => {
    const unit = fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom('a', 'b', ' ', '\n', "'", 's', 'ଓ', 'ା', '👋', '\ud83d', '\ude00', '1', '!') },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) },
      { weight: 1, arbitrary: fc.integer({ min: 0x10000, max: 0x10ffff }).map((c) => String.fromCodePoint(c)) },
    );
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 60 }), (text) => {
        expect(gpt2.encode(text)).toEqual(gptTokenizerEncode(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('encodes long pieces (heap path) like short ones (scan path)', () => {
    const letters = fc.string({ unit: fc.constantFrom('a', 'b', 'e', 'r', 'ë', 'ଓ', 'ା'), minLength: 65, maxLength: 400 });
    fc.assert(
      fc.property(letters, (word) => {
        expect(gpt2.encode(word)).toEqual(gptTokenizerEncode(word));
      }),
      { numRuns: 300 },
    );
    const run = 'a'.repeat(20_001);
    expect(gpt2.encode(run)).toEqual(gptTokenizerEncode(run));
  });

  it('gives the same ids whatever the cache size (including none and a cache that keeps emptying)', () => {
    const text = emojiCorpus(60_000) + odiaCorpus(20_000);
    const expected = gpt2.encode(text);
    expect(new BpeEncoder(gpt2Model(), { cacheSize: 0 }).encode(text)).toEqual(expected);
    expect(new BpeEncoder(gpt2Model(), { cacheSize: 3 }).encode(text)).toEqual(expected);
  });

  it('treats special tokens as text unless allowSpecial is set', () => {
    const text = 'a<|endoftext|>b';
    expect(gpt2.encode(text)).toEqual(tiktokenOrdinary(text));
    expect(gpt2.encode(text)).not.toContain(50256);
    expect(gpt2.encode(text, { allowSpecial: true })).toEqual(Array.from(tiktoken.encode(text, 'all')));
    expect(gpt2.encode(text, { allowSpecial: true })).toContain(50256);
  });

  it('lists pieces with offsets whose ids concatenate to encode()', () => {
    const text = TEXT_SAMPLES.map((s) => s.text).join('\n') + '<|endoftext|>';
    const pieces = gpt2.encodePieces(text, { allowSpecial: true });
    expect(pieces.flatMap((p) => p.ids)).toEqual(gpt2.encode(text, { allowSpecial: true }));
    expect(pieces.map((p) => text.slice(p.start, p.end)).join('')).toBe(text);
    expect(pieces.at(-1)).toMatchObject({ special: true, ids: [50256] });
  });

  it('lists tokens with the UTF-16 span of their characters for the tokens port', () => {
    expect(gpt2.encodeTokens(' I')).toEqual([{ piece: 'ĠI', id: 314, kind: 'text', start: 0, end: 2 }]);
    const text = TEXT_SAMPLES.map((s) => s.text).join('\n') + '<|endoftext|>a\ud800';
    const tokens = gpt2.encodeTokens(text, { allowSpecial: true });
    expect(tokens.map((t) => t.id)).toEqual(gpt2.encode(text, { allowSpecial: true }));
    const decoder = new BpeDecoder(gpt2Model());
    for (const token of tokens) {
      if (token.kind === 'text') expect(decoder.decode([token.id])).toBe(text.slice(token.start!, token.end!).toWellFormed());
    }
    // '👋' is two tokens of GPT-2, each part of the same character.
    const wave = gpt2.encodeTokens('👋');
    expect(wave.map((t) => [t.kind, t.start, t.end])).toEqual([
      ['byte', 0, 2],
      ['byte', 0, 2],
    ]);
    expect(tokens.filter((t) => t.kind === 'special')).toEqual([
      { piece: '<|endoftext|>', id: 50256, kind: 'special', start: text.length - 15, end: text.length - 2 },
    ]);
  });

  it('differs from tiktoken on U+0085 and U+FEFF only because the regex engines disagree on \\s', () => {
    // tiktoken's Rust regex counts NEL (U+0085) as whitespace, JavaScript does not; for BOM (U+FEFF)
    // it is the other way round. gpt-tokenizer uses JavaScript's regex, like us.
    for (const text of ['a \u0085b', 'a \ufeffb']) {
      expect(gpt2.encode(text)).toEqual(gptTokenizerEncode(text));
      expect(gpt2.encode(text)).not.toEqual(tiktokenOrdinary(text));
    }
  });
});

describe('traceBpePiece', () => {
  it('shows each merge of " lower" and ends with encode()\'s ids', () => {
    const trace = traceBpePiece(gpt2, ' lower');
    expect(trace.initial).toEqual(['Ġ', 'l', 'o', 'w', 'e', 'r']);
    expect(trace.ids).toEqual(gpt2.encode(' lower'));
    expect(trace.steps.at(-1)!.tokens).toEqual([' lower'.replace(' ', 'Ġ')]);
    // Lowest rank first: each step's rank is the smallest among its candidates.
    for (const step of trace.steps) expect(step.rank).toBe(Math.min(...step.candidates.map((c) => c.rank)));
  });

  it('agrees with encode() on every piece of the samples, for GPT-2 and a trained vocabulary', async () => {
    const trained = new BpeEncoder(await trainBpe(emojiCorpus(50_000), { vocabSize: 1000 }));
    const text = TEXT_SAMPLES.map((s) => s.text).join(' ');
    for (const encoder of [gpt2, trained]) {
      for (const piece of encoder.encodePieces(text)) {
        expect(traceBpePiece(encoder, text.slice(piece.start, piece.end)).ids).toEqual(piece.ids);
      }
    }
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BERT_TEXT_DEFAULTS } from '@/nodes/wordpiece/bert-text';
import { WordPieceEncoder, decodeWordPiece, type WordPieceStep } from '@/nodes/wordpiece/encode-wordpiece';
import { wordAt } from '@/nodes/bpe/count-words';
import { countBertWords, trainWordPiece } from '@/nodes/wordpiece/train-wordpiece';
import type { WordPieceModel } from '@/nodes/wordpiece/types';
import { odiaCorpus } from '@/scripts/make-corpora';

// Hugging Face course's WordPiece corpus: hug ×10, pug ×5, pun ×12, bun ×4, hugs ×5.
const COURSE = ['hug '.repeat(10), 'pug '.repeat(5), 'pun '.repeat(12), 'bun '.repeat(4), 'hugs '.repeat(5)].join('');

const vocabModel = (tokens: string[], extra: Partial<WordPieceModel> = {}): WordPieceModel => ({
  tokens, prefix: '##', unkToken: '[UNK]', maxInputCharsPerWord: 100, specialTokens: [], text: null, ...extra,
});

describe('trainWordPiece', () => {
  it('merges by pair count with ## on continuing characters, as worked by hand', async () => {
    // Pairs: ##u+##g 20 (hug, pug, hugs), ##u+##n 16 (pun, bun), h+##u 15, p+##u 17 …
    // 1. ##u ##g -> ##ug (20)  2. ##u ##n -> ##un (16)  3. h ##ug -> hug (15)  4. p ##un -> pun (12)
    // 5. ties at 5: p ##ug (ids 5, 12) before hug ##s (14, 11): the smaller left id goes first.
    const wp = await trainWordPiece(COURSE, { vocabSize: 18, text: null, specialTokens: ['[UNK]'] });
    expect(wp.tokens.slice(0, 12)).toEqual(['[UNK]', 'b', 'g', 'h', 'n', 'p', 's', 'u', '##u', '##g', '##n', '##s']);
    expect(wp.merges.map((m) => `${m.left}+${m.right}=${m.merged}:${m.count}`)).toEqual([
      '##u+##g=##ug:20', '##u+##n=##un:16', 'h+##ug=hug:15', 'p+##un=pun:12', 'p+##ug=pug:5', 'hug+##s=hugs:5',
    ]);
    expect(wp.stoppedBecause).toBe('vocab-size');
  });

  it('stops when no pair is left or the best pair is rarer than minFrequency', async () => {
    expect((await trainWordPiece(COURSE, { vocabSize: 1000, text: null })).stoppedBecause).toBe('no-pairs-left');
    const rare = await trainWordPiece(COURSE, { vocabSize: 1000, text: null, minFrequency: 13 });
    expect(rare.stoppedBecause).toBe('min-frequency');
    expect(rare.merges.map((m) => m.merged)).toEqual(['##ug', '##un', 'hug']);
  });

  it('uses the prefix it is given', async () => {
    const wp = await trainWordPiece('abab ab', { vocabSize: 100, text: null, prefix: '@@' });
    expect(wp.tokens).toContain('@@b');
    expect(wp.tokens).toContain('abab');
    expect(wp.tokens.some((t) => t.includes('##'))).toBe(false);
  });

  it('trains on nothing, and refuses a start order that does not fit the corpus', async () => {
    const empty = await trainWordPiece('', { vocabSize: 10, specialTokens: ['[UNK]'] });
    expect(empty.tokens).toEqual(['[UNK]']);
    await expect(trainWordPiece('ab', { vocabSize: 10, startOrder: ['a', 'b'] })).rejects.toThrow(/startOrder/);
    await expect(trainWordPiece('ab', { vocabSize: 0 })).rejects.toThrow(RangeError);
  });
});

describe('WordPieceEncoder', () => {
  const model = vocabModel(['[UNK]', 'un', '##aff', '##able', '##a', '##ff', 'a', '##b']);
  it('takes the longest vocabulary entry from the left, step by step', () => {
    const encoder = new WordPieceEncoder(model);
    const steps: WordPieceStep[] = [];
    expect(encoder.encodeWord('unaffable', steps)?.map((p) => p.piece)).toEqual(['un', '##aff', '##able']);
    expect(steps.map((s) => s.found)).toEqual(['un', '##aff', '##able']);
    expect(steps[0]!.tried.at(-1)).toBe('un');
    expect(steps[1]!.tried[0]).toBe('##affabl'); // capped at the longest entry (7 code points)
  });

  it('makes the whole word [UNK] when one part cannot be spelled, or when it is too long', () => {
    const encoder = new WordPieceEncoder({ ...model, maxInputCharsPerWord: 5 });
    expect(encoder.encode('unbreak')).toEqual([0]);
    expect(encoder.encode('ab unaffable a')).toEqual([6, 7, 0, 6]);
    expect(encoder.encodeTokens('x')[0]).toMatchObject({ piece: '[UNK]', kind: 'unknown', start: 0, end: 1 });
  });

  it('says which token is missing when the vocabulary has no [UNK]', () => {
    const encoder = new WordPieceEncoder(vocabModel(['a']));
    expect(() => encoder.encode('b')).toThrow(/'b' cannot be spelled.*no \[UNK\] token/);
  });

  it('keeps special tokens written in the text, with offsets', () => {
    const encoder = new WordPieceEncoder({ ...model, specialTokens: [{ content: '[UNK]', id: 0 }] });
    expect(encoder.encodeTokens('a[UNK]a').map((t) => [t.piece, t.kind, t.start, t.end])).toEqual([
      ['a', 'text', 0, 1], ['[UNK]', 'special', 1, 6], ['a', 'text', 6, 7],
    ]);
  });
});

describe('WordPiece round trips', () => {
  it('gives back the normalised text for "", Odia, emoji and lone surrogates', async () => {
    const odia = odiaCorpus(50_000);
    const emoji = '👍🏽 ok 🇮🇳 fine 👨‍👩‍👧';
    const wp = await trainWordPiece(`${odia}\n${emoji}\nplain text`, {
      vocabSize: 3000, specialTokens: ['[UNK]'], text: { ...BERT_TEXT_DEFAULTS, lowercase: false, stripAccents: false },
    });
    const encoder = new WordPieceEncoder(wp);
    const roundTrip = (s: string) => decodeWordPiece(wp, encoder.encode(s));
    expect(encoder.encode('')).toEqual([]);
    expect(roundTrip('')).toBe('');
    expect(roundTrip('ଓଡ଼ିଆ ଭାଷା')).toBe('ଓଡ଼ିଆ ଭାଷା');
    expect(roundTrip(emoji)).toBe(emoji.replace('\u200D', '').replace('\u200D', '')); // ZWJ is a format char: cleaned
    expect(roundTrip('plain\uD800 text\uDFFF')).toBe('plain text');
    expect(() => decodeWordPiece(wp, [wp.tokens.length])).toThrow(/not in this tokenizer's vocabulary/);
  });

  it('re-encodes its own decoding to the same ids (fast-check)', async () => {
    const wp = await trainWordPiece('the cat sat on the mat with a hat and the rat', { vocabSize: 60, specialTokens: ['[UNK]'] });
    const encoder = new WordPieceEncoder(wp);
    fc.assert(
      fc.property(fc.array(fc.constantFrom('the', 'cat', 'mat', 'xyz', 'Tha', 'éa', ' ', '  ', 'a'), { maxLength: 20 }), (parts) => {
        const ids = encoder.encode(parts.join(''));
        expect(encoder.encode(decodeWordPiece(wp, ids))).toEqual(ids);
      }),
    );
  });
});

describe('the start vocabulary, read from the word table by code unit', () => {
  /** The start vocabulary worked out from each word as a string: alphabet by code point, then '##' + each later character as first seen. */
  async function startFromStrings(corpus: string): Promise<string[]> {
    const table = await countBertWords(corpus, null);
    const words = Array.from({ length: table.size }, (_, w) => wordAt(table, w));
    const alphabet = [...new Set(words.flatMap((word) => [...word]))].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
    const prefixed = [...new Set(words.flatMap((word) => [...word].slice(1).map((c) => `##${c}`)))];
    return [...alphabet, ...prefixed];
  }

  it('is the alphabet then the prefixed characters, for text with astral characters, Odia and lone surrogates (fast-check)', async () => {
    const unit = fc.constantFrom('a', 'b', 'é', 'ଓ', 'ଡ଼', '😀', '\uD83D', '\uDE00', '\uD800', ' ', '\n', '.');
    await fc.assert(
      fc.asyncProperty(fc.array(unit, { minLength: 1, maxLength: 60 }), async (parts) => {
        const corpus = parts.join('');
        const expected = await startFromStrings(corpus);
        const wp = await trainWordPiece(corpus, { vocabSize: Math.max(1, expected.length), text: null });
        expect(wp.tokens).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gpt2Boundaries, gpt2PieceEnd } from '@/nodes/bpe/gpt2-split';
import { GPT2_MARKS_PATTERN, GPT2_PATTERN } from '@/nodes/pretokenize/pretokenize';

function regexBoundaries(text: string, pattern = GPT2_PATTERN): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(new RegExp(pattern.source, pattern.flags))) out.push(m.index, m.index + m[0].length);
  return out;
}

/** Characters where the pattern's alternatives meet: contractions, spaces, marks, surrogates. */
const tricky = fc.constantFrom(
  "'", 's', 't', 'r', 'e', 'v', 'l', 'm', 'd', 'S', ' ', ' ', '\n', '\t', '\r', '\u00a0', '\u3000', '\ufeff', '\u0085',
  'a', 'Z', '7', '½', '²', '!', '.', '-', '_', 'é', 'ା', '୍', 'ଓ', '୭', '👋', '🏽', '\u200d', '𝐀', '\ud800', '\udc00',
);
const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const texts = fc.string({ unit: fc.oneof({ weight: 4, arbitrary: tricky }, { weight: 1, arbitrary: anyUnit }), maxLength: 40 });

describe('gpt2PieceEnd', () => {
  it('cuts the README example where the docstring says', () => {
    const text = "I'm  here";
    expect(gpt2Boundaries(text)).toEqual([0, 1, 1, 3, 3, 4, 4, 9]);
  });

  it('cuts exactly where GPT-2\'s regex cuts, on arbitrary UTF-16 (lone surrogates included)', () => {
    fc.assert(
      fc.property(texts, (text) => {
        expect(gpt2Boundaries(text)).toEqual(regexBoundaries(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('cuts exactly where GPT2_MARKS_PATTERN cuts in marks mode, keeping Odia words whole', () => {
    fc.assert(
      fc.property(texts, (text) => {
        expect(gpt2Boundaries(text, 'gpt2-marks')).toEqual(regexBoundaries(text, GPT2_MARKS_PATTERN));
      }),
      { numRuns: 3000 },
    );
    const odia = 'ଓଡ଼ିଆ ଭାଷା';
    expect(gpt2Boundaries(odia, 'gpt2-marks')).toEqual([0, 5, 5, 10]);
    expect(gpt2Boundaries(odia).length).toBeGreaterThan(4);
  });

  it('cuts exactly where the regex cuts on every code point class (all BMP and some astral code points)', () => {
    let text = '';
    for (let c = 0; c < 0x10000; c += 7) text += String.fromCharCode(c) + (c % 3 === 0 ? ' ' : '') + "a's 1\n";
    for (let c = 0x10000; c < 0x30000; c += 997) text += String.fromCodePoint(c) + ' ';
    expect(gpt2Boundaries(text)).toEqual(regexBoundaries(text));
    expect(gpt2Boundaries(text, 'gpt2-marks')).toEqual(regexBoundaries(text, GPT2_MARKS_PATTERN));
  });

  it('treats `limit` as the end of the text', () => {
    const text = 'foo  \nbar';
    // Up to the newline, the space run ends the text, so it is one piece with the newline.
    expect(gpt2PieceEnd(text, 3, 6)).toBe(6);
    // Without the limit, the run gives its last character away before 'bar'.
    expect(gpt2PieceEnd(text, 3)).toBe(5);
  });
});

/** Graphemes, code points and bytes of one text, aligned: Odia, Devanagari, emoji ZWJ, flags, combining marks. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { graphemeColumns } from '@/nodes/text/graphemes';

describe('graphemeColumns', () => {
  it('shows one Odia letter as one grapheme, two code points and six bytes', () => {
    expect(graphemeColumns('କି')).toEqual([
      {
        grapheme: 'କି',
        start: 0,
        end: 2,
        codePoints: [
          { char: 'କ', codePoint: 'U+0B15', bytes: ['E0', 'AC', '95'] },
          { char: 'ି', codePoint: 'U+0B3F', bytes: ['E0', 'AC', 'BF'] },
        ],
      },
    ]);
  });

  it('keeps a ZWJ family, a flag, a skin tone and a decomposed é each in one column', () => {
    const columns = graphemeColumns('👨‍👩‍👧🇮🇳👍🏽e\u0301');
    expect(columns.map((c) => c.grapheme)).toEqual(['👨‍👩‍👧', '🇮🇳', '👍🏽', 'e\u0301']);
    expect(columns[0]!.codePoints.map((c) => c.codePoint)).toEqual(['U+1F468', 'U+200D', 'U+1F469', 'U+200D', 'U+1F467']);
    expect(columns[0]!.codePoints.flatMap((c) => c.bytes)).toHaveLength(18);
    expect(columns[3]!.codePoints.map((c) => c.bytes.join(' '))).toEqual(['65', 'CC 81']);
  });

  it('lists a lone surrogate with no bytes rather than failing', () => {
    const columns = graphemeColumns('a\ud800b');
    expect(columns.map((c) => c.codePoints.map((p) => p.bytes.length))).toEqual([[1], [0], [1]]);
  });

  it('for any text, the columns put the text, its code points and its UTF-8 bytes back together', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (text) => {
        const columns = graphemeColumns(text, Infinity);
        expect(columns.map((c) => c.grapheme).join('')).toBe(text);
        expect(columns.map((c) => text.slice(c.start, c.end))).toEqual(columns.map((c) => c.grapheme));
        expect(columns.flatMap((c) => c.codePoints.map((p) => p.char))).toEqual(Array.from(text));
        const bytes = columns.flatMap((c) => c.codePoints.flatMap((p) => p.bytes.map((b) => parseInt(b, 16))));
        expect(bytes).toEqual([...new TextEncoder().encode(text)]);
      }),
    );
  });

  it('stops at the limit', () => {
    expect(graphemeColumns('ଜଣେ ପିଲା', 3).map((c) => c.grapheme)).toEqual(['ଜ', 'ଣେ', ' ']);
  });
});

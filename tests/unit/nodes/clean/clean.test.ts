import { describe, expect, it } from 'vitest';
import { describeChanges } from '@/nodes/clean/changes';
import { cleanText } from '@/nodes/clean/clean';
import { OFF } from './clean-fixtures';

describe('cleanText', () => {
  it('composes e + U+0301 into é under NFC and decomposes it under NFD', () => {
    expect(cleanText('cafe\u0301', { ...OFF, form: 'NFC' }).text).toBe('caf\u00e9');
    expect(cleanText('caf\u00e9', { ...OFF, form: 'NFD' }).text).toBe('cafe\u0301');
  });

  it('folds compatibility characters under NFKC only', () => {
    expect(cleanText('ﬁ ² Ａ', { ...OFF, form: 'NFC' }).text).toBe('ﬁ ² Ａ');
    expect(cleanText('ﬁ ² Ａ', { ...OFF, form: 'NFKC' }).text).toBe('fi 2 A');
  });

  it('strips accents but keeps Odia vowel signs recomposed', () => {
    expect(cleanText('Café Noël', { ...OFF, form: 'NFC', stripAccents: true }).text).toBe('Cafe Noel');
    // Odia vowel signs are spacing marks (Mc) or nonspacing (Mn): stripping "accents" would damage them,
    // which is why BERT-style accent stripping hurts Indic text. Show it rather than hide it.
    const odia = cleanText('ଓଡ଼ିଆ', { ...OFF, form: 'NFC', stripAccents: true }).text;
    expect(odia).not.toBe('ଓଡ଼ିଆ');
  });

  it('lowercases, collapses whitespace and strips control characters but keeps newlines and ZWJ', () => {
    const r = cleanText('Hello\u0007   WORLD\n\n\n\nbye 👨\u200d👩', {
      ...OFF,
      lowercase: true,
      stripControl: true,
      collapseWhitespace: true,
    });
    expect(r.text).toBe('hello world\n\nbye 👨\u200d👩');
    expect(r.steps.map((s) => [s.name, s.changed])).toEqual([
      ['Strip control characters', true],
      ['Lowercase', true],
      ['Collapse whitespace', true],
    ]);
  });

  it('reports lone surrogates and replaces them with U+FFFD when asked', () => {
    const kept = cleanText('a\uD800b', OFF);
    expect(kept.loneSurrogates).toEqual([1]);
    expect(kept.text).toBe('a\uD800b');
    expect(cleanText('a\uD800b', { ...OFF, replaceInvalid: true }).text).toBe('a\uFFFDb');
  });

  it('applies a user regex and explains an invalid one', () => {
    expect(cleanText('a1b22c', { ...OFF, replacePattern: '\\d+', replaceWith: '#' }).text).toBe('a#b#c');
    expect(() => cleanText('x', { ...OFF, replacePattern: '(' })).toThrow(/not a valid regular expression/);
  });

  it('handles empty text', () => {
    expect(cleanText('', { ...OFF, form: 'NFKC', lowercase: true, collapseWhitespace: true }).text).toBe('');
  });
});

describe('describeChanges', () => {
  it('pairs each changed run with the code points on both sides', () => {
    const view = describeChanges('caf\u00e9!', 'cafe\u0301!');
    expect(view.changes).toEqual([
      { before: '\u00e9', after: 'e\u0301', beforeCodePoints: ['U+00E9'], afterCodePoints: ['U+0065', 'U+0301'] },
    ]);
    expect(view.segments.filter((s) => s.kind === 'same').map((s) => s.text).join('')).toContain('caf');
  });

  it('reports no change for equal texts and marks long texts as truncated', () => {
    expect(describeChanges('same', 'same').changes).toEqual([]);
    expect(describeChanges('x'.repeat(5000), 'y'.repeat(5000)).truncated).toBe(true);
  });
});

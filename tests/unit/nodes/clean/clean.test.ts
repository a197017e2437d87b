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
    // (A small edit inside the window: two wholly different 4,000-character texts take the diff half a minute.)
    expect(describeChanges('x'.repeat(5000), `${'x'.repeat(3999)}${'y'.repeat(1001)}`).truncated).toBe(true);
  });

  it('shows an unchanged text as one unchanged segment, and an empty one as nothing', () => {
    expect(describeChanges('same', 'same')).toEqual({ segments: [{ kind: 'same', text: 'same' }], changes: [], truncated: false });
    expect(describeChanges('', '')).toEqual({ segments: [], changes: [], truncated: false });
  });

  it('shows an insertion with nothing before it and a deletion with nothing after it', () => {
    expect(describeChanges('abc', 'aXbc')).toEqual({
      segments: [
        { kind: 'same', text: 'a' },
        { kind: 'added', text: 'X' },
        { kind: 'same', text: 'bc' },
      ],
      changes: [{ before: '', after: 'X', beforeCodePoints: [], afterCodePoints: ['U+0058'] }],
      truncated: false,
    });
    expect(describeChanges('abc', 'ac')).toEqual({
      segments: [
        { kind: 'same', text: 'a' },
        { kind: 'removed', text: 'b' },
        { kind: 'same', text: 'c' },
      ],
      changes: [{ before: 'b', after: '', beforeCodePoints: ['U+0062'], afterCodePoints: [] }],
      truncated: false,
    });
    expect(describeChanges('', '🙂').changes).toEqual([{ before: '', after: '🙂', beforeCodePoints: [], afterCodePoints: ['U+1F642'] }]);
  });

  it('lists each replacement once, in order, and stops at the number of changes asked for', () => {
    const all = describeChanges('a-b-c-d', 'a+b+c+d');
    expect(all.changes).toEqual(Array.from({ length: 3 }, () => ({ before: '-', after: '+', beforeCodePoints: ['U+002D'], afterCodePoints: ['U+002B'] })));
    expect(describeChanges('a-b-c-d', 'a+b+c+d', 2).changes).toHaveLength(2);
    // The inspector lists at most 60 changes by default, while every segment is still shown.
    const many = describeChanges('a-'.repeat(70), 'a+'.repeat(70));
    expect(many.changes).toHaveLength(60);
    expect(many.segments.filter((s) => s.kind === 'added')).toHaveLength(70);
  });

  it('compares the first 4,000 code units and says so only when a side is longer', () => {
    const edge = 'a'.repeat(3999);
    expect(describeChanges(`${edge}b`, `${edge}c`).truncated).toBe(false);
    expect(describeChanges(`${edge}bb`, `${edge}c`).truncated).toBe(true);
    expect(describeChanges(`${edge}b`, `${edge}cc`).truncated).toBe(true);
    // Beyond the window nothing is compared: a change there is not listed.
    const beyond = describeChanges(`${'a'.repeat(4000)}b`, `${'a'.repeat(4000)}c`);
    expect(beyond).toEqual({ segments: [{ kind: 'same', text: 'a'.repeat(4000) }], changes: [], truncated: true });
  });
});

/**
 * Clean's steps as the inspector lists them: which steps ran, in which order, whether each
 * changed the text, and the length in code points after each. Plus the character classes each
 * step touches (what counts as a control character, as whitespace, as an accent).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanText, countCodePoints, type CleanOptions } from '@/nodes/clean/clean';
import { OFF } from './clean-fixtures';

describe('countCodePoints', () => {
  it('counts a surrogate pair as one code point and a lone surrogate as one', () => {
    expect(countCodePoints('')).toBe(0);
    expect(countCodePoints('abc')).toBe(3);
    expect(countCodePoints('🙂👍🏽')).toBe(3);
    expect(countCodePoints('a\uD800')).toBe(2);
    expect(countCodePoints('\uDC00a')).toBe(2);
    expect(countCodePoints('\uD800\uD800\uDC00')).toBe(2);
    expect(countCodePoints('\uD800a')).toBe(2);
    for (const text of ['ଓଡ଼ିଆ', 'e\u0301', '👨\u200d👩\u200d👧', 'x\uDBFF\uDFFFy']) expect(countCodePoints(text)).toBe([...text].length);
  });

  it('counts a lone low surrogate after a letter, two low surrogates, and a high surrogate before a private-use character as two code points each', () => {
    // Only a high surrogate (U+D800–U+DBFF) directly followed by a low one (U+DC00–U+DFFF) is one code point.
    expect(countCodePoints('a\uDC00')).toBe(2);
    expect(countCodePoints('\uDC00\uDC00')).toBe(2);
    expect(countCodePoints('\uD800\uE000')).toBe(2);
    expect(countCodePoints('\uDBFF\uDC00')).toBe(1);
  });

  it('agrees with the string iterator (one item per code point, lone surrogates included) on any UTF-16', () => {
    const units = fc.array(fc.oneof(fc.integer({ min: 0xd7f0, max: 0xe010 }), fc.integer({ min: 0, max: 0xffff })), { maxLength: 40 });
    fc.assert(
      fc.property(units, (codes) => {
        const text = String.fromCharCode(...codes);
        expect(countCodePoints(text)).toBe([...text].length);
      }),
      { numRuns: 500 },
    );
  });
});

describe('Clean’s steps', () => {
  it('lists the enabled steps in their fixed order, each with whether it changed the text and its length after', () => {
    const { text, steps } = cleanText('\uD800 Ｃafé\u200b  X ', {
      form: 'NFKC',
      lowercase: true,
      stripAccents: true,
      stripControl: true,
      collapseWhitespace: true,
      replaceInvalid: true,
      replacePattern: 'x',
      replaceWith: 'y',
    });
    expect(text).toBe('\uFFFD cafe y');
    expect(steps).toEqual([
      { name: 'Replace invalid Unicode with U+FFFD', changed: true, codePoints: 11 },
      { name: 'Strip control characters', changed: true, codePoints: 10 },
      { name: 'Normalise to NFKC', changed: true, codePoints: 10 },
      { name: 'Strip accents', changed: true, codePoints: 10 },
      { name: 'Lowercase', changed: true, codePoints: 10 },
      { name: 'Collapse whitespace', changed: true, codePoints: 8 },
      { name: 'Replace /x/', changed: true, codePoints: 8 },
    ]);
  });

  it('lists no steps when every option is off, and returns the text unchanged', () => {
    expect(cleanText('Any  TEXT\u0007', OFF)).toEqual({ text: 'Any  TEXT\u0007', steps: [], loneSurrogates: [] });
  });

  it('runs the invalid-Unicode repair only when the text has a lone surrogate', () => {
    expect(cleanText('fine', { ...OFF, replaceInvalid: true }).steps).toEqual([]);
    const repaired = cleanText('\uDC00x\uD800', { ...OFF, replaceInvalid: true });
    expect(repaired.text).toBe('\uFFFDx\uFFFD');
    expect(repaired.loneSurrogates).toEqual([0, 2]);
  });

  it('reports a step that changed nothing as unchanged', () => {
    expect(cleanText('already clean', { ...OFF, form: 'NFC', collapseWhitespace: true }).steps).toEqual([
      { name: 'Normalise to NFC', changed: false, codePoints: 13 },
      { name: 'Collapse whitespace', changed: false, codePoints: 13 },
    ]);
  });
});

describe('what each step touches', () => {
  it('strips control and invisible format characters but keeps tab, newline, carriage return, ZWNJ and ZWJ', () => {
    const text = 'a\u0000b\u0007c\u007fd\u200be\ufefff\u00adg\t\n\r\u200c\u200d!';
    expect(cleanText(text, { ...OFF, stripControl: true }).text).toBe('abcdefg\t\n\r\u200c\u200d!');
  });

  it('collapses runs of spaces, tabs and no-break spaces into one space, keeps up to one blank line, and trims', () => {
    const clean = (text: string) => cleanText(text, { ...OFF, collapseWhitespace: true }).text;
    expect(clean('  a \t\u00a0 b  ')).toBe('a b');
    expect(clean('a\n\nb')).toBe('a\n\nb');
    expect(clean('a\n\n\n\n\nb')).toBe('a\n\nb');
    expect(clean('a \n b')).toBe('a \n b');
    expect(clean('\n\na\n')).toBe('a');
  });

  it('strips accents and, under NFC or NFKC, recomposes what is left; under none, NFD or NFKD leaves it decomposed', () => {
    // Hangul syllables decompose into jamo (letters, not marks): only recomposition brings them back.
    const strip = (form: CleanOptions['form']) => cleanText('Noël 한국', { ...OFF, form, stripAccents: true }).text;
    for (const form of ['none', 'NFD', 'NFKD'] as const) expect(strip(form)).toBe('Noel 한국'.normalize('NFD'));
    for (const form of ['NFC', 'NFKC'] as const) expect(strip(form)).toBe('Noel 한국');
    expect(countCodePoints(strip('none'))).toBe(countCodePoints(strip('NFC')) + 4);
  });

  it('normalises to the form asked for', () => {
    const form = (f: CleanOptions['form'], text: string) => cleanText(text, { ...OFF, form: f }).text;
    expect(form('NFD', '\u00e9')).toBe('e\u0301');
    expect(form('NFC', 'e\u0301')).toBe('\u00e9');
    expect(form('NFKD', 'ﬁ\u00e9')).toBe('fie\u0301');
    expect(form('NFKC', 'ﬁe\u0301')).toBe('fi\u00e9');
    expect(form('none', 'ﬁe\u0301')).toBe('ﬁe\u0301');
  });

  it('replaces every match of the user’s pattern, Unicode-aware', () => {
    expect(cleanText('a🙂b🙂', { ...OFF, replacePattern: '.b', replaceWith: '_' }).text).toBe('a_🙂');
    expect(cleanText('x1y22', { ...OFF, replacePattern: '\\d', replaceWith: '' }).text).toBe('xy');
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractJsonlField, scanJsonl } from '@/nodes/text/jsonl';
import { describeCharacter, describeText, SCRIPT_COUNT_LIMIT } from '@/nodes/text/text';

describe('describeText', () => {
  it('counts code units, code points and UTF-8 bytes differently for non-ASCII text', () => {
    const d = describeText('é👋🏽ଜ');
    expect(d.codeUnits).toBe(1 + 4 + 1);
    expect(d.codePoints).toBe(4);
    expect(d.utf8Bytes).toBe(2 + 8 + 3);
    expect(d.firstCharacters[0]).toEqual({ char: 'é', codePoint: 'U+00E9', utf8: 'C3 A9' });
    expect(d.scripts.map((s) => s.script)).toEqual(['Latin', 'Odia']);
  });

  it('finds lone surrogates without throwing', () => {
    const d = describeText('a\uDC00b\uD83D');
    expect(d.loneSurrogates).toEqual([1, 3]);
    expect(d.firstCharacters[1]?.utf8).toMatch(/lone surrogate/);
  });

  it('says when the script counts cover only the start of a long text', () => {
    const short = describeText('ab'.repeat(1000));
    expect(short).toMatchObject({ scripts: [{ script: 'Latin', codePoints: 2000 }], scriptsCountedIn: null });
    const long = describeText('a'.repeat(SCRIPT_COUNT_LIMIT) + 'ଜ'.repeat(10));
    expect(long.scriptsCountedIn).toBe(SCRIPT_COUNT_LIMIT);
    expect(long.scripts).toEqual([{ script: 'Latin', codePoints: SCRIPT_COUNT_LIMIT }]);
    expect(describeText('a'.repeat(SCRIPT_COUNT_LIMIT)).scriptsCountedIn).toBeNull();
  });

  it('describes empty text', () => {
    expect(describeText('')).toMatchObject({ codePoints: 0, utf8Bytes: 0, lines: 0, words: 0 });
  });
});

/** The same description read the plain way: by code point, with regexes, split and TextEncoder. */
function describeByReading(text: string) {
  const scripts = new Map<string, number>();
  const res = ['Latin', 'Oriya', 'Devanagari', 'Han', 'Hiragana', 'Katakana', 'Cyrillic', 'Greek', 'Arabic'].map(
    (s) => [s === 'Oriya' ? 'Odia' : s, new RegExp(`\\p{Script=${s}}`, 'u')] as const,
  );
  const chars = [...text];
  for (const ch of chars.slice(0, SCRIPT_COUNT_LIMIT)) {
    const hit = res.find(([, re]) => re.test(ch));
    if (hit) scripts.set(hit[0], (scripts.get(hit[0]) ?? 0) + 1);
  }
  return {
    codePoints: chars.length,
    utf8Bytes: new TextEncoder().encode(text).length,
    lines: text === '' ? 0 : text.split('\n').length,
    words: (text.match(/\S+/gu) ?? []).length,
    scripts: [...scripts].map(([script, codePoints]) => ({ script, codePoints })).sort((a, b) => b.codePoints - a.codePoints),
    firstCharacters: chars.slice(0, 24).map(describeCharacter),
  };
}

describe('describeText against the plain reading', () => {
  it('agrees on any text: code points, UTF-8 bytes, lines, words, scripts and the first characters', () => {
    const unusual = fc.constantFrom('\n', '\r\n', ' ', '\u00a0', '\u2003', '\u3000', '\ufeff', '\u2028', '\u0085', 'ଓ', 'କି', 'é', 'Ж', 'Ω', '中', 'カ', 'ا', '👋🏽', '\ud800', '\udc00', 'a', 'Z', '7', '!');
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.array(unusual, { maxLength: 40 }).map((parts) => parts.join('')));
    fc.assert(
      fc.property(text, (t) => {
        const { codePoints, utf8Bytes, lines, words, scripts, firstCharacters } = describeText(t);
        expect({ codePoints, utf8Bytes, lines, words, scripts, firstCharacters }).toEqual(describeByReading(t));
      }),
      { numRuns: 500 },
    );
  });
});

describe('JSONL', () => {
  const raw = '{"text":"first","id":1}\n{"text":"second","title":"t"}\nnot json\n\n[1,2]';

  it('lists the string fields with counts and reports bad lines by number', () => {
    const scan = scanJsonl(raw);
    expect(scan.records).toBe(2);
    expect(scan.fields).toEqual([
      { name: 'text', count: 2 },
      { name: 'title', count: 1 },
    ]);
    expect(scan.errors.map((e) => e.line)).toEqual([3, 5]);
  });

  it('extracts one field, one record per line', () => {
    expect(extractJsonlField(raw, 'text')).toBe('first\nsecond');
    expect(extractJsonlField(raw, 'missing')).toBe('');
  });
});

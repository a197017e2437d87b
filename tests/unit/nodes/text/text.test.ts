import { describe, expect, it } from 'vitest';
import { extractJsonlField, scanJsonl } from '@/nodes/text/jsonl';
import { describeText, SCRIPT_COUNT_LIMIT } from '@/nodes/text/text';

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

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanDisplayName, JOIN_CODE_ALPHABET, MAX_DISPLAY_NAME_CHARS, normalizeJoinCode, randomJoinCode } from '@/server/live/codes';

describe('join codes', () => {
  it('draws 6 characters without the ones that read alike (0 O 1 I L)', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const code = randomJoinCode();
      expect(code).toMatch(/^[A-Z2-9]{6}$/);
      expect(code).not.toMatch(/[01OIL]/);
      for (const ch of code) seen.add(ch);
    }
    // 12,000 draws from 31 symbols: every symbol shows up (a biased or short alphabet would not).
    expect([...seen].sort().join('')).toBe([...JOIN_CODE_ALPHABET].sort().join(''));
  });

  it('reads a code typed in any case, with spaces or a dash, and refuses anything else', () => {
    expect(normalizeJoinCode(' k7q-2mz ')).toBe('K7Q2MZ');
    for (const bad of ['K7Q2M0', 'K7Q2M', 'K7Q2MZZ', '<b>K7Q</b>', 'ÉÉÉÉÉÉ', '\u0000K7Q2MZ', 'K'.repeat(41)]) expect(normalizeJoinCode(bad)).toBeUndefined();
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (typed) => {
        const code = normalizeJoinCode(typed);
        return code === undefined || (code.length === 6 && [...code].every((c) => JOIN_CODE_ALPHABET.includes(c)));
      }),
    );
  });
});

describe('display names', () => {
  it('keeps a name as the text it is, without control characters or runs of spaces', () => {
    expect(cleanDisplayName('  Ada\u0000  Lovelace\u202e ')).toEqual({ ok: true, name: 'Ada Lovelace' });
    expect(cleanDisplayName('<b>Bob</b>')).toEqual({ ok: true, name: '<b>Bob</b>' });
    expect(cleanDisplayName('')).toEqual({ ok: true, name: '' });
    expect(cleanDisplayName('\ud800x')).toEqual({ ok: true, name: '\ufffdx' });
    expect(cleanDisplayName('x'.repeat(41)).ok).toBe(false);
  });

  it('never gives a name over 40 characters, with a control character, or with lone surrogates', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200, unit: 'binary' }), (raw) => {
        const result = cleanDisplayName(raw);
        if (!result.ok) return result.message === `A display name is at most ${MAX_DISPLAY_NAME_CHARS} characters.`;
        return [...result.name].length <= MAX_DISPLAY_NAME_CHARS && !/\p{Cc}/u.test(result.name) && result.name.isWellFormed() && result.name === result.name.trim();
      }),
    );
  });
});

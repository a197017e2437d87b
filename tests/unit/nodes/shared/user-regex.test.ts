import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanNode } from '@/nodes/clean';
import { cleanText } from '@/nodes/clean/clean';
import { compileUserRegex, replaceAllWithinBudget, replacedLength, userRegexRefusal } from '@/nodes/shared/user-regex';
import { OFF } from '../clean/clean-fixtures';

describe('user regexes on RE2', () => {
  it('answers (a+)+$ on "a"×40 + "b" at once instead of backtracking exponentially', () => {
    const text = `${'a'.repeat(40)}b`;
    const result = cleanText(text, { ...OFF, replacePattern: '(a+)+$', replaceWith: 'X' });
    expect(result.text).toBe(text); // no match: the text ends in b
    expect(cleanText('aaaa', { ...OFF, replacePattern: '(a+)+$', replaceWith: 'X' }).text).toBe('X');
  });

  it('refuses "." replaced by "$&" × 250 on a 1,000,000-character text, saying how big it would have been', () => {
    const text = 'x'.repeat(1_000_000);
    const options = { ...OFF, replacePattern: '.', replaceWith: '$&'.repeat(250) };
    expect(() => cleanText(text, options)).toThrow(/would make a text of 250\.0 million characters; a node may output at most 64\.0 million characters/);
  });

  it('keeps $&, $1, $<name>, $`, $\' and $$ as String.prototype.replace expands them', () => {
    const cases: Array<[string, string, string]> = [
      ['(\\w+)@(\\w+)', 'ann@example bob@test', '$2:$1'],
      ['b', 'abc', "[$`|$&|$']"],
      ['(?<w>b)', 'abc', '<$<w>$1$2$$$0>'],
      ['x*', 'abc', '-'],
      ['(a)|(b)', 'ab', '[$1,$2,$10]'],
      ['\\p{L}+', 'ଓଡ଼ିଆ and 😀 text', '«$&»'],
      ['\\u{1F600}', 'a😀b', 'smile'],
    ];
    for (const [pattern, text, replacement] of cases) {
      expect(replaceAllWithinBudget(compileUserRegex(pattern), text, replacement)).toBe(text.replace(new RegExp(pattern, 'gu'), replacement));
    }
  });

  it('computes the replaced length exactly, before building the text', () => {
    const patterns = ['a', '(a)(b)?', '[ab]+', 'b|', '(?<n>a)b*'];
    fc.assert(
      fc.property(
        fc.constantFrom(...patterns),
        fc.string({ unit: fc.constantFrom('a', 'b', 'c', '😀') }),
        fc.string({ unit: fc.constantFrom('$', '&', '1', '2', '`', "'", '<', 'n', '>', 'x') }),
        (pattern, text, replacement) => {
          const re = compileUserRegex(pattern);
          const built = re.matcher(text).replaceAll(replacement);
          expect(replacedLength(re, text, replacement)).toBe(built.length);
          expect(built).toBe(text.replace(new RegExp(pattern, 'gu'), replacement));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keeps lone surrogates the pattern does not touch', () => {
    expect(replaceAllWithinBudget(compileUserRegex('b'), 'a\uD800b\uDC00', 'c')).toBe('a\uD800c\uDC00');
  });

  it('refuses lookbehind, lookahead and backreferences by name', () => {
    expect(userRegexRefusal('(?<=a)b')).toMatch(/^Lookbehind \(\?<=…\) is not supported: patterns run on a linear-time engine/);
    expect(userRegexRefusal('(?<!a)b')).toMatch(/^Negative lookbehind/);
    expect(userRegexRefusal('a(?=b)')).toMatch(/^Lookahead \(\?=…\)/);
    expect(userRegexRefusal('a(?!b)')).toMatch(/^Negative lookahead/);
    expect(userRegexRefusal('(a)\\1')).toMatch(/^Backreference \\1 is not supported/);
    expect(userRegexRefusal('(?<x>a)\\k<x>')).toMatch(/^Named backreference/);
    expect(userRegexRefusal('[(?=]\\(?=')).toBeNull(); // inside a class or escaped, these are plain characters
    expect(userRegexRefusal('(')).toMatch(/not a valid regular expression/);
    expect(userRegexRefusal('a{1001}')).toMatch(/cannot run on the linear-time engine/);
    expect(userRegexRefusal('')).toBeNull();
  });

  it("refuses an unsupported pattern when Clean's param is set, naming the construct", () => {
    const parsed = cleanNode.params.safeParse({ replacePattern: '(?<=a)b' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/^Lookbehind \(\?<=…\) is not supported/);
    expect(cleanNode.params.safeParse({ replacePattern: '(a+)+$' }).success).toBe(true);
  });
});

/**
 * Clean's Lowercase step is Unicode lowercasing with String.prototype.toLowerCase semantics
 * (ECMA-262: the locale-independent Unicode default case conversion, including the Final_Sigma
 * rule), not ASCII A–Z only: a learner cleaning French, Greek or Russian text sees it lowercased.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanText, type CleanOptions } from '@/nodes/clean/clean';

const LOWERCASE_ONLY: CleanOptions = {
  form: 'none',
  lowercase: true,
  stripAccents: false,
  stripControl: false,
  collapseWhitespace: false,
  replaceInvalid: false,
  replacePattern: '',
  replaceWith: '',
};

const lower = (text: string) => cleanText(text, LOWERCASE_ONLY);

describe('Clean’s Lowercase step', () => {
  it('lowercases letters outside A–Z: ÉΩЖ becomes éωж', () => {
    expect(lower('ÉΩЖ').text).toBe('éωж');
    expect(lower('ÉCOLE, ΑΘΗΝΑ, МОСКВА').text).toBe('école, αθηνα, москва');
  });

  it('writes a word-final capital sigma as ς and any other as σ', () => {
    expect(lower('ΟΔΟΣ ΣΟΦΙΑ').text).toBe('οδος σοφια');
  });

  it('is locale-independent: dotted capital İ keeps its dot (i + U+0307), as in every locale but Turkish', () => {
    expect(lower('İ').text).toBe('i\u0307');
    expect(lower('I').text).toBe('i');
  });

  it('leaves caseless scripts, digits and emoji alone and says the step changed nothing', () => {
    const result = lower('ଓଡ଼ିଆ 123 🙂 中文');
    expect(result.text).toBe('ଓଡ଼ିଆ 123 🙂 中文');
    expect(result.steps).toEqual([{ name: 'Lowercase', changed: false, codePoints: [...'ଓଡ଼ିଆ 123 🙂 中文'].length }]);
  });

  it('reports the step as changing the text when a non-ASCII capital was lowered', () => {
    expect(lower('Ж').steps).toEqual([{ name: 'Lowercase', changed: true, codePoints: 1 }]);
  });

  it('agrees with String.prototype.toLowerCase on any Unicode text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        expect(lower(text).text).toBe(text.toLowerCase());
      }),
      { numRuns: 300 },
    );
  });

  it('lowers every capital of the Latin-1, Greek and Cyrillic blocks', () => {
    const capitals = fc.constantFrom(...'ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΤΥΦΧΨΩАБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ');
    fc.assert(
      fc.property(fc.array(capitals, { minLength: 1, maxLength: 12 }), (letters) => {
        const text = letters.join('');
        const cleaned = lower(text).text;
        expect(cleaned).not.toBe(text);
        expect(cleaned.toUpperCase()).toBe(text);
      }),
    );
  });
});

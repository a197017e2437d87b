import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pretokenizeAfterEdit, pretokenizeReusing } from '@/nodes/pretokenize/incremental';
import { PRETOKENIZE_MODES, pretokenize, type PretokenizeMode } from '@/nodes/pretokenize/pretokenize';

/** Units that make pre-tokenization interesting: space runs, CRLF, contractions, marks, surrogates. */
const unit = fc.oneof(
  fc.constantFrom(' ', '  ', '   ', '\n', '\r\n', '\r', '\t', "'s", "'ll", "'", 'a', 'Z', '7', '42', '.', '!!', 'ଓ', 'ଡ଼', 'ି', '୍', 'ା', '🙂', '👨‍👩‍👧', '\ud83d', '\ude42', 'é', 'e\u0301', '▁'),
  fc.string({ unit: 'binary', maxLength: 2 }),
);
const text = fc.string({ unit, maxLength: 60 });

/** An edit of `source`: replace [from, to) with `insert`, at any UTF-16 index (inside a pair too). */
const edited = (source: string) =>
  fc.tuple(fc.nat({ max: source.length }), fc.nat({ max: source.length }), fc.string({ unit, maxLength: 6 })).map(([a, b, insert]) => {
    const [from, to] = a <= b ? [a, b] : [b, a];
    return source.slice(0, from) + insert + source.slice(to);
  });

const SCANNED: PretokenizeMode[] = ['gpt2', 'bytelevel', 'gpt2-marks'];

describe('pretokenizeAfterEdit', () => {
  it('gives exactly the pieces of a from-scratch cut, for random inserts, deletes and replacements anywhere', () => {
    fc.assert(
      fc.property(
        text.chain((before) => fc.tuple(fc.constant(before), edited(before))),
        fc.constantFrom(...SCANNED),
        ([before, after], mode) => {
          const previous = { text: before, pieces: pretokenize(before, mode) };
          expect(pretokenizeAfterEdit(previous, after, mode)).toEqual(pretokenize(after, mode));
        },
      ),
      { numRuns: 4000 },
    );
  });

  it('stays exact over a chain of edits, each reusing the cut before it (typing, deleting, pasting)', () => {
    fc.assert(
      fc.property(text, fc.array(fc.tuple(fc.nat(), fc.nat({ max: 4 }), fc.string({ unit, maxLength: 3 })), { maxLength: 25 }), (start, edits) => {
        let current = start;
        let pieces = pretokenize(current, 'bytelevel');
        for (const [at, removed, insert] of edits) {
          const from = current.length === 0 ? 0 : at % (current.length + 1);
          const next = current.slice(0, from) + insert + current.slice(from + removed);
          pieces = pretokenizeAfterEdit({ text: current, pieces }, next, 'bytelevel');
          expect(pieces).toEqual(pretokenize(next, 'bytelevel'));
          current = next;
        }
      }),
      { numRuns: 500 },
    );
  });

  it('splits a surrogate pair by an edit between its halves, as a whole cut does', () => {
    const before = 'smile 🙂 now';
    const after = before.slice(0, 7) + 'x' + before.slice(7); // between \ud83d and \ude42
    expect(pretokenizeAfterEdit({ text: before, pieces: pretokenize(before, 'bytelevel') }, after, 'bytelevel')).toEqual(pretokenize(after, 'bytelevel'));
  });

  it('moves a space run’s last space onto the next word when a letter is typed after the run', () => {
    const before = 'a    \nb';
    const after = 'a    c\nb';
    const pieces = pretokenizeAfterEdit({ text: before, pieces: pretokenize(before, 'gpt2') }, after, 'gpt2');
    expect(pieces.map((p) => p.text)).toEqual(['a', '   ', ' c', '\n', 'b']);
    expect(pieces).toEqual(pretokenize(after, 'gpt2'));
  });

  it('reuses the untouched pieces before and after a one-letter edit in a long text', () => {
    const before = 'Tokenizers cut text into pieces. '.repeat(500);
    const previous = { text: before, pieces: pretokenize(before, 'gpt2') };
    const after = before.slice(0, 8000) + 'x' + before.slice(8000);
    const pieces = pretokenizeAfterEdit(previous, after, 'gpt2');
    expect(pieces).toEqual(pretokenize(after, 'gpt2'));
    expect(pieces[0]).toBe(previous.pieces[0]); // the very same object: not cut again
    const same = pieces.filter((p) => previous.pieces.includes(p)).length;
    expect(same).toBeGreaterThan(previous.pieces.length / 3);
  });

  it('cuts the regex and Metaspace modes in full, with the same result', () => {
    fc.assert(
      fc.property(text.chain((before) => fc.tuple(fc.constant(before), edited(before))), fc.constantFrom(...PRETOKENIZE_MODES), ([before, after], mode) => {
        expect(pretokenizeAfterEdit({ text: before, pieces: pretokenize(before, mode) }, after, mode)).toEqual(pretokenize(after, mode));
      }),
      { numRuns: 500 },
    );
  });
});

describe('pretokenizeReusing', () => {
  it('gives a from-scratch cut whatever it cut before, switching texts and modes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(text, fc.constantFrom(...PRETOKENIZE_MODES)), { minLength: 1, maxLength: 8 }), (runs) => {
        for (const [t, mode] of runs) expect(pretokenizeReusing(t, mode)).toEqual(pretokenize(t, mode));
      }),
      { numRuns: 300 },
    );
  });

  it('does not hand out the pieces it keeps: changing a returned array leaves the next cut right', () => {
    const first = pretokenizeReusing('hello world', 'gpt2');
    first.length = 0;
    expect(pretokenizeReusing('hello world', 'gpt2')).toEqual(pretokenize('hello world', 'gpt2'));
  });
});

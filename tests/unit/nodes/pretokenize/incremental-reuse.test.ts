/**
 * What an edit re-cuts and what it keeps (incremental.ts): the pieces well before the edit and,
 * once the cut meets an old boundary in the unchanged tail, the pieces after it are the previous
 * cut's own pieces, not cut again. That is what keeps a keystroke in a long text cheap; the
 * results themselves are checked against whole cuts in incremental.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Piece } from '@/nodes/engine/ports';
import { pretokenizeAfterEdit, pretokenizeReusing } from '@/nodes/pretokenize/incremental';
import { pretokenize, type PretokenizeMode } from '@/nodes/pretokenize/pretokenize';

const unit = fc.constantFrom(' ', '  ', '\n', '\r\n', "'s", "'", 'a', 'b', 'Z', '7', '.', 'ା', 'ଓ', '🙂', '\ud83d', 'é');
const text = fc.string({ unit, minLength: 1, maxLength: 40 });
const SCANNED: PretokenizeMode[] = ['gpt2', 'bytelevel', 'gpt2-marks'];

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}
function commonSuffix(a: string, b: string, prefix: number): number {
  let i = 0;
  while (i < Math.min(a.length, b.length) - prefix && a[a.length - 1 - i] === b[b.length - 1 - i]) i++;
  return i;
}

/** Which result pieces are the very objects of the previous cut. */
const reused = (pieces: readonly Piece[], previous: readonly Piece[]) => pieces.map((p) => previous.includes(p));

describe('what an edit keeps from the previous cut', () => {
  it('keeps "the" and " cat" and the pieces after " in" when "on" becomes "in" in "the cat sat on the mat"', () => {
    const before = 'the cat sat on the mat';
    const previous = pretokenize(before, 'gpt2');
    const pieces = pretokenizeAfterEdit({ text: before, pieces: previous }, 'the cat sat in the mat', 'gpt2');
    expect(pieces.map((p) => p.text)).toEqual(['the', ' cat', ' sat', ' in', ' the', ' mat']);
    // " sat" ends 1 unit before the edit, where the scanner may still read: it is cut again.
    expect(reused(pieces, previous)).toEqual([true, true, false, false, true, true]);
  });

  it('moves the pieces after an insertion by its length: "I love NLP" → "I glove NLP"', () => {
    const before = 'I love NLP';
    const pieces = pretokenizeAfterEdit({ text: before, pieces: pretokenize(before, 'bytelevel') }, 'I glove NLP', 'bytelevel');
    expect(pieces).toEqual([
      { text: 'I', start: 0, end: 1, shown: 'I' },
      { text: ' glove', start: 1, end: 7, shown: 'Ġglove' },
      { text: ' NLP', start: 7, end: 11, shown: 'ĠNLP' },
    ]);
  });

  it('never cuts again a piece that ends 3 or more units before the first changed unit (property)', () => {
    fc.assert(
      fc.property(text, fc.nat(), fc.nat({ max: 3 }), fc.string({ unit, maxLength: 3 }), fc.constantFrom(...SCANNED), (before, at, removed, insert, mode) => {
        const from = at % (before.length + 1);
        const after = before.slice(0, from) + insert + before.slice(from + removed);
        const previous = pretokenize(before, mode);
        const pieces = pretokenizeAfterEdit({ text: before, pieces: previous }, after, mode);
        const prefix = commonPrefix(before, after);
        previous.forEach((p, i) => {
          if (p.end + 3 <= prefix) expect(pieces[i]).toBe(p);
        });
      }),
      { numRuns: 400 },
    );
  });

  it('after a same-length edit, reuses every piece from the first old boundary the new cut meets past the edit (property)', () => {
    fc.assert(
      fc.property(text, fc.nat(), fc.string({ unit, minLength: 1, maxLength: 3 }), fc.constantFrom(...SCANNED), (before, at, insert, mode) => {
        const from = at % before.length;
        const after = before.slice(0, from) + insert + before.slice(from + insert.length);
        fc.pre(after.length === before.length && after !== before);
        const previous = pretokenize(before, mode);
        const pieces = pretokenizeAfterEdit({ text: before, pieces: previous }, after, mode);
        const prefix = commonPrefix(before, after);
        const tail = after.length - commonSuffix(before, after, prefix);
        const oldStarts = new Set(previous.map((p) => p.start));
        const meet = pieces.find((p) => p.start >= tail && oldStarts.has(p.start))?.start ?? Infinity;
        for (const p of pieces) expect(previous.includes(p), `${JSON.stringify(after)} at ${p.start}`).toBe(p.start >= meet || p.end + 3 <= prefix);
      }),
      { numRuns: 400 },
    );
  });

  it('reuses every piece of an unchanged text, in a new array, so changing it leaves the previous cut as it was', () => {
    const previous = pretokenize('same text ', 'gpt2');
    const kept = previous.slice();
    const pieces = pretokenizeAfterEdit({ text: 'same text ', pieces: previous }, 'same text ', 'gpt2');
    expect(reused(pieces, previous)).toEqual([true, true, true]);
    pieces.pop();
    expect(previous).toEqual(kept);
  });
});

describe('pretokenizeReusing', () => {
  it('re-cuts only near the end when a letter is typed at the end, per mode', () => {
    const first = pretokenizeReusing('we type one word after another', 'gpt2-marks');
    pretokenizeReusing('something else entirely', 'gpt2'); // another mode keeps its own last cut
    const next = pretokenizeReusing('we type one word after anothers', 'gpt2-marks');
    expect(next).toEqual(pretokenize('we type one word after anothers', 'gpt2-marks'));
    // " after" ends at 22, 8 units before the edit at 30: reused; " another" is cut again as " anothers".
    expect(reused(next, first)).toEqual([true, true, true, true, true, false]);
  });

  it('cuts a text of over a million characters in full, and the next short text right', () => {
    const huge = 'ab '.repeat(350_000) + 'end';
    const pieces = pretokenizeReusing(huge, 'gpt2');
    expect(pieces).toHaveLength(350_001);
    expect(pieces.at(-1)).toEqual({ text: ' end', start: huge.length - 4, end: huge.length, shown: ' end' });
    expect(pretokenizeReusing('ab end', 'gpt2')).toEqual(pretokenize('ab end', 'gpt2'));
  });
});

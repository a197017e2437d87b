/**
 * The IDs inspector's vocabulary browser (searchVocabulary): what a learner sees when they type
 * a token or an ID into the search box, page by page. Plus buildInputIds' refusals and edge cases.
 */
import { describe, expect, it } from 'vitest';
import { buildInputIds, searchVocabulary } from '@/nodes/ids/ids';

const VOCAB = ['!', 'I', 'Ġlove', 'ĠLove', 'Ġlovely', 'ĠN', 'LP', 'clover'];

describe('searching the vocabulary', () => {
  it('lists every token with its ID when the box is empty', () => {
    expect(searchVocabulary(VOCAB, '', 0)).toEqual({ total: 8, page: 0, rows: VOCAB.map((token, id) => ({ id, token })) });
    expect(searchVocabulary(VOCAB, '   ', 0).total).toBe(8);
  });

  it('finds tokens containing the text, ignoring case and surrounding spaces, in ID order', () => {
    expect(searchVocabulary(VOCAB, ' LOVE ', 0).rows).toEqual([
      { id: 2, token: 'Ġlove' },
      { id: 3, token: 'ĠLove' },
      { id: 4, token: 'Ġlovely' },
      { id: 7, token: 'clover' },
    ]);
    expect(searchVocabulary(VOCAB, 'xyz', 0)).toEqual({ total: 0, page: 0, rows: [] });
  });

  it('finds a byte-level token by the text it stands for: Odia, or a leading space written as ·', () => {
    const vocab = ['a', 'Ġlove', 'à¬Ńà¬¾à¬·à¬¾', 'Ġà¬Ńà¬¾à¬·à¬¾', 'love'];
    expect(searchVocabulary(vocab, 'ଭାଷା', 0).rows.map((r) => r.id)).toEqual([2, 3]);
    expect(searchVocabulary(vocab, '·ଭାଷା', 0).rows.map((r) => r.id)).toEqual([3]);
    expect(searchVocabulary(vocab, '·love', 0).rows.map((r) => r.id)).toEqual([1]);
    expect(searchVocabulary(vocab, 'Ġlove', 0).rows.map((r) => r.id)).toEqual([1]);
  });

  it('reads digits as an ID and shows that one token, or nothing past the vocabulary', () => {
    expect(searchVocabulary(VOCAB, '5', 0)).toEqual({ total: 1, page: 0, rows: [{ id: 5, token: 'ĠN' }] });
    expect(searchVocabulary(VOCAB, '7', 0).rows).toEqual([{ id: 7, token: 'clover' }]);
    expect(searchVocabulary(VOCAB, '8', 0)).toEqual({ total: 0, page: 0, rows: [] });
    // Not a number: a text search that happens to contain digits.
    expect(searchVocabulary(['a1', 'b2', 'c12'], '1x', 0).total).toBe(0);
    expect(searchVocabulary(['a1', 'b2', 'c12'], 'c1', 0).rows).toEqual([{ id: 2, token: 'c12' }]);
    expect(searchVocabulary(['a1', '1x2'], '1x', 0).rows).toEqual([{ id: 1, token: '1x2' }]);
  });

  it('pages 50 rows at a time, and a page before the first shows the first', () => {
    const big = Array.from({ length: 120 }, (_, i) => `t${i}`);
    const page = (n: number) => searchVocabulary(big, '', n);
    expect(page(0).rows.map((r) => r.id)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(page(1).rows[0]).toEqual({ id: 50, token: 't50' });
    expect(page(2).rows.map((r) => r.id)).toEqual(Array.from({ length: 20 }, (_, i) => 100 + i));
    expect(page(3).rows).toEqual([]);
    expect(page(-1).rows[0]).toEqual({ id: 0, token: 't0' });
    expect(page(2).total).toBe(120);
    expect(searchVocabulary(big, '', 1, 7).rows.map((r) => r.id)).toEqual([7, 8, 9, 10, 11, 12, 13]);
  });

  it('skips the holes of a vocabulary with unused IDs when searching', () => {
    const holey: string[] = ['a'];
    holey[2] = 'ab';
    expect(searchVocabulary(holey, 'a', 0).rows).toEqual([
      { id: 0, token: 'a' },
      { id: 2, token: 'ab' },
    ]);
    // The empty box lists the tokens there are, not the unused IDs between them.
    expect(searchVocabulary(holey, '', 0)).toEqual({ total: 2, page: 0, rows: [{ id: 0, token: 'a' }, { id: 2, token: 'ab' }] });
  });
});

describe('buildInputIds', () => {
  it('refuses to pad with a tokenizer that has no padding token, saying so', () => {
    expect(() => buildInputIds([1, 2], {}, { maxLength: 4, padding: true, truncation: true })).toThrow(
      'Padding needs a padding token, and this tokenizer has none.',
    );
  });

  it('neither pads nor truncates when max length is 0 (no limit)', () => {
    expect(buildInputIds([5, 6, 7], { bos: 1, eos: 2 }, { maxLength: 0, padding: true, truncation: true })).toEqual({
      ids: [1, 5, 6, 7, 2],
      attentionMask: [1, 1, 1, 1, 1],
      truncated: 0,
      padded: 0,
      added: [0, 4],
    });
  });

  it('keeps an over-long sequence whole when truncation is off, and does not pad it', () => {
    const built = buildInputIds([5, 6, 7, 8], {}, { maxLength: 2, padding: true, truncation: false, pad: 0 });
    expect(built).toEqual({ ids: [5, 6, 7, 8], attentionMask: [1, 1, 1, 1], truncated: 0, padded: 0, added: [] });
  });

  it('leaves a sequence of exactly max length alone', () => {
    expect(buildInputIds([5, 6], { eos: 2 }, { maxLength: 3, padding: true, truncation: true, pad: 0 })).toEqual({
      ids: [5, 6, 2],
      attentionMask: [1, 1, 1],
      truncated: 0,
      padded: 0,
      added: [2],
    });
  });

  it('does not ask for a padding token when nothing needs padding', () => {
    expect(buildInputIds([5, 6], { eos: 2 }, { maxLength: 3, padding: true, truncation: true }).ids).toEqual([5, 6, 2]);
    expect(buildInputIds([5, 6, 7, 8], {}, { maxLength: 3, padding: true, truncation: true }).ids).toEqual([5, 6, 7]);
  });

  it('does not pad when padding is off, even below max length', () => {
    expect(buildInputIds([5], {}, { maxLength: 4, padding: false, truncation: true, pad: 0 }).ids).toEqual([5]);
  });

  it('works the worked example of its header comment', () => {
    expect(buildInputIds([40, 1842], { bos: 50256, eos: 50256 }, { maxLength: 6, padding: true, truncation: true, pad: 50256 })).toEqual({
      ids: [50256, 40, 1842, 50256, 50256, 50256],
      attentionMask: [1, 1, 1, 1, 0, 0],
      truncated: 0,
      padded: 2,
      added: [0, 3],
    });
  });
});

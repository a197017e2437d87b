/**
 * Offsets rebuilt from pieces, on hand-written tokenizer.json fragments (no transformers.js).
 */
import { describe, expect, it } from 'vitest';
import { byteFallbackValue, placePieces } from '@/nodes/pretrained/piece-offsets';
import { normalizeWithOrigins } from '@/nodes/pretrained/normalize-with-origins';
import type { TokenizerJsonLike } from '@/nodes/pretrained/replay-text';

const GPT2_LIKE: TokenizerJsonLike = {
  normalizer: null,
  pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false },
  added_tokens: [{ id: 50256, content: '<|endoftext|>', special: true }],
  model: { type: 'BPE' },
};
const BERT_LIKE: TokenizerJsonLike = {
  normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
  pre_tokenizer: { type: 'BertPreTokenizer' },
  added_tokens: [{ id: 100, content: '[UNK]', special: true }, { id: 101, content: '[CLS]', special: true }],
  model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##' },
};
const LLAMA_LIKE: TokenizerJsonLike = {
  normalizer: { type: 'Sequence', normalizers: [{ type: 'Prepend', prepend: '▁' }, { type: 'Replace', pattern: { String: ' ' }, content: '▁' }] },
  pre_tokenizer: null,
  added_tokens: [{ id: 1, content: '<s>', special: true }],
  model: { type: 'BPE', unk_token: '<unk>', byte_fallback: true },
};

const spans = (result: ReturnType<typeof placePieces>) => result.spans.map((s) => (s ? [s.start, s.end] : null));

describe('placePieces', () => {
  it('places GPT-2 byte pieces, giving bytes of one character that character’s span', () => {
    // 'é' is C3 A9: 'Ã' (C3) and '©' (A9) in GPT-2's byte alphabet.
    const result = placePieces('hé!', ['h', 'Ã', '©', '!'], GPT2_LIKE);
    expect(result.ok).toBe(true);
    expect(spans(result)).toEqual([[0, 1], [1, 2], [1, 2], [2, 3]]);
    expect(result.spans.map((s) => s?.splitsCharacter)).toEqual([false, true, true, false]);
  });

  it('places a byte piece that straddles a space and a character (GPT-2 "ĠÎ")', () => {
    const result = placePieces(' Ο', ['ĠÎ', 'Ł'], GPT2_LIKE);
    expect(spans(result)).toEqual([[0, 2], [1, 2]]);
  });

  it('places LLaMA byte-fallback pieces and credits the prepended ▁ to the first character', () => {
    const result = placePieces('ଜ a', ['▁', '<0xE0>', '<0xAC>', '<0x9C>', '▁a'], LLAMA_LIKE);
    expect(result.ok).toBe(true);
    expect(spans(result)).toEqual([[0, 1], [0, 1], [0, 1], [0, 1], [1, 3]]);
  });

  it('gives [UNK] the rest of its word and skips the whitespace BERT dropped', () => {
    const result = placePieces('ଜଣେ  ok ଣ', ['[UNK]', 'ok', '[UNK]'], BERT_LIKE);
    expect(spans(result)).toEqual([[0, 3], [5, 7], [8, 9]]);
  });

  it('stops an [UNK] where the next piece fits (punctuation after an unknown word)', () => {
    const result = placePieces('ଜଣେ!', ['[UNK]', '!'], BERT_LIKE);
    expect(spans(result)).toEqual([[0, 3], [3, 4]]);
  });

  it('matches lowercased, accent-stripped WordPiece pieces to the original characters', () => {
    const result = placePieces('Crème', ['creme'], BERT_LIKE);
    expect(spans(result)).toEqual([[0, 5]]);
    const split = placePieces('NLP', ['nl', '##p'], BERT_LIKE);
    expect(spans(split)).toEqual([[0, 2], [2, 3]]);
  });

  it('places an added token written literally in the text', () => {
    const result = placePieces('a<|endoftext|>b', ['a', '<|endoftext|>', 'b'], GPT2_LIKE);
    expect(spans(result)).toEqual([[0, 1], [1, 14], [14, 15]]);
  });

  it('returns null offsets with a reason instead of guessing when a piece does not fit', () => {
    const result = placePieces('abc', ['a', 'x', 'c'], GPT2_LIKE);
    expect(result.ok).toBe(false);
    expect(spans(result)).toEqual([[0, 1], null, null]);
    if (!result.ok) expect(result.reason).toMatch(/token 1 \('x'\)/);
  });

  it('refuses normalizers it cannot replay', () => {
    const result = placePieces('abc', ['▁abc'], { ...LLAMA_LIKE, normalizer: { type: 'Precompiled', precompiled_charsmap: '' } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/Precompiled/);
  });

  it('handles the empty text', () => {
    expect(placePieces('', [], BERT_LIKE)).toEqual({ ok: true, spans: [] });
  });
});

describe('normalizeWithOrigins', () => {
  it('keeps each normalised character’s origin through BERT lowercasing and accent stripping', () => {
    const chars = Array.from('Éa', (c, i) => ({ char: c, start: i, end: i + 1 }));
    expect(normalizeWithOrigins(chars, BERT_LIKE.normalizer)).toEqual([
      { char: 'e', start: 0, end: 1 },
      { char: 'a', start: 1, end: 2 },
    ]);
  });

  it('composes a base and a combining mark under NFC into one character spanning both', () => {
    const chars = Array.from('e\u0301', (c, i) => ({ char: c, start: i, end: i + 1 }));
    expect(normalizeWithOrigins(chars, { type: 'NFC' })).toEqual([{ char: 'é', start: 0, end: 2 }]);
  });
});

describe('byteFallbackValue', () => {
  it('reads <0xNN> pieces and nothing else', () => {
    expect(byteFallbackValue('<0xE0>')).toBe(0xe0);
    expect(byteFallbackValue('<0x0A>')).toBe(10);
    expect(byteFallbackValue('<0xE0')).toBeNull();
    expect(byteFallbackValue('▁<0xE0>')).toBeNull();
  });
});

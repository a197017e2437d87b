/**
 * Every Pretokenize mode against an implementation we did not write: Hugging Face's tokenizers.js
 * pre-tokenizers (BERT, WhitespaceSplit, Metaspace, ByteLevel and its byte table) and tiktoken's
 * cl100k_base (the Rust regex engine running OpenAI's own pattern) for GPT-4. A learner who picks
 * a mode should see the pieces the real tokenizer of that name would make.
 */
import fc from 'fast-check';
import { BertPreTokenizer, ByteLevelPreTokenizer, MetaspacePreTokenizer, WhitespaceSplitPreTokenizer } from '@huggingface/tokenizers';
import { get_encoding } from 'tiktoken';
import { afterAll, describe, expect, it } from 'vitest';
import { BYTE_TO_CHAR, toByteLevel } from '@/nodes/pretokenize/byte-level';
import { METASPACE, pretokenize, type PretokenizeMode } from '@/nodes/pretokenize/pretokenize';

const texts = (mode: PretokenizeMode, text: string) => pretokenize(text, mode).map((p) => p.text);
const shown = (mode: PretokenizeMode, text: string) => pretokenize(text, mode).map((p) => p.shown);

const hfByteLevel = new ByteLevelPreTokenizer({ type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true } as never);
const hfMetaspace = new MetaspacePreTokenizer({ type: 'Metaspace', replacement: METASPACE, prepend_scheme: 'always', split: true } as never);
const hfBert = new BertPreTokenizer();
const hfWhitespace = new WhitespaceSplitPreTokenizer();

/** Characters where the modes disagree with each other: spaces of every kind, punctuation, symbols, marks. */
const tricky = fc.constantFrom(
  ' ', '  ', '\t', '\n', '\r\n', '\r', '\u00a0', '\u2003', '\u3000', '\u000b', '\u000c',
  'a', 'Z', 'é', 'ß', 'Ж', 'ଓ', 'ି', '୍', 'こ', '7', '42', '٣', '²', 'Ⅳ',
  '.', ',', '!', '?', "'", '"', '-', '_', '/', '\\', '$', '+', '<', '=', '>', '^', '`', '|', '~', '@', '[', '{', '#', '%', '&', '*',
  '“', '”', '«', '»', '、', '。', '¡', '¿', '§', '©', '€', '°', '…', '–',
  '🙂', '👨‍👩‍👧', '🇮🇳',
);
const mixedText = fc.string({ unit: fc.oneof({ weight: 4, arbitrary: tricky }, { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 2 }) }), maxLength: 40 });

describe('Pretokenize against Hugging Face tokenizers.js', () => {
  it('cuts BERT pieces exactly as BertPreTokenizer does: words between spaces, each punctuation mark or ASCII symbol alone', () => {
    expect(texts('bert', 'a$b+c “quoted”… 3.14')).toEqual(['a', '$', 'b', '+', 'c', '“', 'quoted', '”', '…', '3', '.', '14']);
    fc.assert(
      fc.property(mixedText, (text) => {
        expect(texts('bert', text)).toEqual(hfBert.pre_tokenize_text(text));
      }),
      { numRuns: 250 },
    );
  });

  it('cuts Whitespace pieces exactly as WhitespaceSplit does, with no-break and ideographic spaces as separators', () => {
    expect(texts('whitespace', 'a\u00a0b\u3000c\td\u2003e, f')).toEqual(['a', 'b', 'c', 'd', 'e,', 'f']);
    fc.assert(
      fc.property(mixedText, (text) => {
        expect(texts('whitespace', text)).toEqual(hfWhitespace.pre_tokenize_text(text));
      }),
      { numRuns: 120 },
    );
  });

  it('writes Metaspace text as Metaspace(prepend always) does, cut before every ▁ as SentencePiece splits', () => {
    // tokenizers.js returns the whole ▁-text as one string; HF's Rust Metaspace (split: true) cuts
    // it before each ▁, keeping the ▁ with the text after it. Texts without a ▁ of their own.
    fc.assert(
      fc.property(mixedText.filter((t) => t.length > 0 && !t.includes(METASPACE)), (text) => {
        const pieces = shown('metaspace', text);
        expect(pieces.join('')).toBe(hfMetaspace.pre_tokenize_text(text, { section_index: 0 } as never).join(''));
        for (const piece of pieces) expect(piece.lastIndexOf(METASPACE)).toBe(0);
      }),
      { numRuns: 120 },
    );
  });

  it('shows ByteLevel pieces exactly as ByteLevel(use_regex) does, on any UTF-16, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.oneof(mixedText, fc.string({ unit: 'binary', maxLength: 30 })), (text) => {
        expect(shown('bytelevel', text)).toEqual(hfByteLevel.pre_tokenize_text(text));
      }),
      { numRuns: 100 },
    );
  });

  it('gives each of the 256 bytes the stand-in character of GPT-2’s byte table', () => {
    const table = hfByteLevel.byte_encoder;
    expect(Array.from({ length: 256 }, (_, b) => BYTE_TO_CHAR[b])).toEqual(Array.from({ length: 256 }, (_, b) => table[b]));
  });

  it('writes text as its UTF-8 bytes’ stand-ins, right at the ASCII edge (U+007F, U+0080) and beyond', () => {
    const reference = (text: string) => Array.from(new TextEncoder().encode(text), (b) => hfByteLevel.byte_encoder[b]).join('');
    // U+0080 is two bytes, C2 80: 'Â' (0xC2 prints as itself) and the stand-in for 0x80, the 35th
    // byte without a printable self (33 bytes 0x00–0x20, then 0x7F, then 0x80), so U+0100 + 34.
    expect(toByteLevel('\u0080')).toBe('Â\u0122');
    for (const text of ['\u007f', '\u0080', 'a\u0080', '\u00ff', '\u0100', '~\u007f\u0080\u0081', 'abc\u00e9']) expect(toByteLevel(text), text).toBe(reference(text));
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 20 }), (text) => {
        expect(toByteLevel(text)).toBe(reference(text));
      }),
      { numRuns: 120 },
    );
  });
});

describe('GPT-4 mode against tiktoken (cl100k_base)', () => {
  const cl100k = get_encoding('cl100k_base');
  afterAll(() => cl100k.free());
  const encode = (text: string) => Array.from(cl100k.encode_ordinary(text));
  const utf8Length = (text: string) => new TextEncoder().encode(text).length;

  /**
   * Units for GPT-4's pattern: contractions in every case (and ſ, which case folding counts as s),
   * the letters of contractions alone so that near-misses such as 'x or 'rx occur, digit runs
   * longer than 3, newlines after symbols and spaces. Left out: U+0085 and U+FEFF, where
   * JavaScript's \s and Rust's White_Space disagree (see bpe/gpt2-split.ts).
   */
  const gpt4Unit = fc.constantFrom(
    "'s", "'S", "'ſ", "'t", "'T", "'re", "'RE", "'Re", "'ve", "'vE", "'m", "'M", "'ll", "'LL", "'lL", "'d", "'D", "'",
    's', 'S', 'ſ', 't', 'r', 'R', 'e', 'E', 'v', 'l', 'L', 'm', 'd', 'x',
    'a', 'b', 'Z', 'é', 'ଓ', 'ି', '1', '2', '3', '4', '12345', '²', ' ', '  ', '\t', '\n', '\r\n', '\r', '\n\n',
    '.', '!', '?', ',', '-', '"', '(', '🙂', '\u3000',
  );

  it('cuts pieces that tiktoken encodes to the ids of the whole text, never inside one of its tokens', () => {
    expect(texts('gpt4', "It'S 12345 rock'N'ROLL!\n\n  ok")).toEqual(['It', "'S", ' ', '123', '45', ' rock', "'N", "'ROLL", '!\n\n', ' ', ' ok']);
    // Near-misses are not contractions: the apostrophe starts a word instead.
    expect(texts('gpt4', "'xe'rx'v'lx")).toEqual(["'xe", "'rx", "'v", "'lx"]);
    // (?i:'s) matches what case folding makes 's: ſ (long s) too, as a case-insensitive regex does.
    expect(/^'s$/iu.test("'ſ")).toBe(true);
    expect(texts('gpt4', "'ſx")).toEqual(["'ſ", 'x']);
    fc.assert(
      fc.property(fc.string({ unit: gpt4Unit, maxLength: 24 }), (text) => {
        const pieces = pretokenize(text, 'gpt4');
        const ids = encode(text);
        expect(pieces.flatMap((p) => encode(p.text))).toEqual(ids);
        let at = 0;
        const tokenEnds = new Set(ids.map((id) => (at += cl100k.decode_single_token_bytes(id).length)));
        for (const p of pieces) expect(tokenEnds.has(utf8Length(text.slice(0, p.end))), JSON.stringify(text)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

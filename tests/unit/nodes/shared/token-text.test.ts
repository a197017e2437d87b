/**
 * Tokens shown as the text they stand for: byte-level (GPT-2 and the BPE trained here),
 * SentencePiece ('▁', '<0xE0>') and WordPiece ('##'), on Odia, Devanagari, emoji, CJK and
 * combining marks; partial bytes named after their character; the stored form on request; and
 * offsets from the real shipped tokenizers tying each token to its span of the text.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { BYTE_TO_CHAR, toByteLevel } from '@/nodes/pretokenize/byte-level';
import { encodeWithPieces, loadPretrainedTokenizer, type PretrainedTokenizer } from '@/nodes/pretrained/pretrained';
import { trainBpe } from '@/nodes/bpe/train-bpe';
import { bpeEncoderFor } from '@/nodes/shared/tokenizer-ref';
import {
  BYTE_LEVEL,
  guessSpelling,
  SENTENCEPIECE,
  showWhitespace,
  spanOf,
  spellingOfModel,
  tokenBytes,
  tokenLabel,
  tokensAt,
  viewToken,
  viewTokens,
  WORDPIECE,
  type TokenView,
} from '@/nodes/shared/token-text';
import { describeTokenizer } from '@/nodes/pretrained/describe-tokenizer';
import { nodeResources } from '../../engine/fixtures';

const utf8 = new TextEncoder();
/** GPT-2's stand-in character for each byte. */
const STAND_INS = BYTE_TO_CHAR;
/** Byte-level tokens for `text` cut at the given byte positions. */
function byteTokens(text: string, cuts: number[]): string[] {
  const bytes = utf8.encode(text);
  const at = [...new Set([0, ...cuts.map((c) => c % (bytes.length + 1)), bytes.length])].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i + 1 < at.length; i++) out.push(Array.from(bytes.slice(at[i], at[i + 1]), (b) => STAND_INS[b]!).join(''));
  return out;
}

/** Puts the text back together from views: whole characters, plus each shared character once. */
function reassemble(views: TokenView[]): string {
  let out = '';
  for (const v of views) {
    for (const s of v.segments) {
      if (s.kind === 'text') out += s.text;
      else if (s.kind === 'partial' && s.index === 0) out += s.char;
    }
  }
  return out;
}

describe('byte-level tokens', () => {
  it('shows a GPT-2 Odia word as Odia, with the leading space as the space glyph', () => {
    expect(toByteLevel(' ଭାଷା')).toBe('Ġà¬Ńà¬¾à¬·à¬¾');
    const view = viewToken('Ġà¬Ńà¬¾à¬·à¬¾', BYTE_LEVEL);
    expect(view.shown).toBe('·ଭାଷା');
    expect(view.hint).toBeNull();
    expect(view.bytes).toEqual([...utf8.encode(' ଭାଷା')]);
  });

  it('names the character a partial token belongs to from its neighbours', () => {
    // ଜ is E0 AC 9C; GPT-2 spends 'à¬' (E0 AC) and 'ľ' (9C) on it.
    const views = viewTokens(['à¬', 'ľ', 'à¬¾'], BYTE_LEVEL);
    expect(views.map((v) => v.shown)).toEqual(['‹E0 AC›', '‹9C›', 'ା']);
    expect(views[0]!.hint).toBe('2 of the 3 bytes of ଜ');
    expect(views[1]!.hint).toBe('1 of the 3 bytes of ଜ');
    expect(views[0]!.segments[0]).toMatchObject({ kind: 'partial', char: 'ଜ', index: 0, total: 3 });
    expect(views[1]!.segments[0]).toMatchObject({ kind: 'partial', char: 'ଜ', index: 2, total: 3 });
  });

  it('shows a token with whole characters and a shared tail as both', () => {
    // ' ନ' + first byte of 'ମ': 20 E0 AC A8 E0 | AC AE
    const bytes = [...utf8.encode(' ନମ')];
    const [a, b] = [bytes.slice(0, 5), bytes.slice(5)];
    const views = viewTokens([a.map((x) => STAND_INS[x]).join(''), b.map((x) => STAND_INS[x]).join('')], BYTE_LEVEL);
    expect(views[0]!.shown).toBe('·ନ‹E0›');
    expect(views[0]!.hint).toBe('1 of the 3 bytes of ମ');
    expect(views[1]!.shown).toBe('‹AC AE›');
  });

  it('splits a ZWJ family emoji into its people and joiners, naming each partial character', () => {
    const family = '👨‍👩‍👧';
    // 👨 (4 bytes) ZWJ (3) 👩 (4) ZWJ (3) 👧 (4), cut after bytes 2, 5 and 9.
    const views = viewTokens(byteTokens(family, [2, 5, 9]), BYTE_LEVEL);
    expect(reassemble(views)).toBe(family);
    expect(views[0]!.hint).toBe('2 of the 4 bytes of 👨');
    expect(views[1]!.hint).toBe('2 of the 4 bytes of 👨; 1 of the 3 bytes of U+200D');
    expect(views[2]!.shown).toBe('‹80 8D›‹F0 9F›');
    expect(views[3]!.shown).toBe('‹91 A9›\u200d👧');
  });

  it('calls bytes that are no character invalid, as TextDecoder would', () => {
    const lone = viewToken('à¬', BYTE_LEVEL); // E0 AC with nothing after it
    expect(lone.segments).toEqual([{ kind: 'invalid', bytes: [0xe0, 0xac] }]);
    expect(lone.shown).toBe('‹E0 AC›');
    expect(lone.hint).toBe('‹E0 AC› is not UTF-8 text');
    // An overlong encoding of '/' (C0 AF) is never a character, even in context.
    const views = viewTokens([STAND_INS[0xc0]!, STAND_INS[0xaf]!], BYTE_LEVEL);
    expect(views.every((v) => v.segments.every((s) => s.kind === 'invalid'))).toBe(true);
  });

  it('for any text cut anywhere into byte tokens, puts the text back together and names every shared byte correctly', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.array(fc.nat(200), { maxLength: 12 }), (text, cuts) => {
        const tokens = byteTokens(text, cuts);
        const views = viewTokens(tokens, BYTE_LEVEL);
        expect(reassemble(views)).toBe(text);
        for (const v of views) {
          for (const s of v.segments) {
            if (s.kind === 'invalid') throw new Error(`invalid bytes in well-formed text ${JSON.stringify(text)}`);
            if (s.kind === 'partial') expect(s.bytes).toEqual([...utf8.encode(s.char)].slice(s.index, s.index + s.bytes.length));
          }
        }
      }),
    );
  });

  it('decodes exactly what TextDecoder decodes, for any bytes at all', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), (bytes) => {
        const views = viewTokens([Array.from(bytes, (b) => STAND_INS[b]).join('')], BYTE_LEVEL);
        let decoded = '';
        for (const s of views[0]!.segments) decoded += s.kind === 'text' ? s.text : '\ufffd'.repeat(s.kind === 'invalid' ? 1 : 0);
        // Invalid runs are merged into one segment here; compare with the replacement characters collapsed.
        expect(decoded.replace(/\ufffd+/g, '\ufffd')).toBe(new TextDecoder().decode(bytes).replace(/\ufffd+/g, '\ufffd'));
      }),
    );
  });
});

describe('SentencePiece and WordPiece tokens', () => {
  it('reads ▁ as a space and <0xE0> bytes as the character they spell together', () => {
    const views = viewTokens(['▁I', '▁', '<0xE0>', '<0xAC>', '<0x9C>', '▁ନ'], SENTENCEPIECE);
    expect(views.map((v) => v.shown)).toEqual(['·I', '·', '‹E0›', '‹AC›', '‹9C›', '·ନ']);
    expect(views.slice(2, 5).map((v) => v.hint)).toEqual(['1 of the 3 bytes of ଜ', '1 of the 3 bytes of ଜ', '1 of the 3 bytes of ଜ']);
    expect(views.slice(2, 5).map((v) => (v.segments[0] as { index: number }).index)).toEqual([0, 1, 2]);
  });

  it('drops ## from WordPiece continuations and keeps Devanagari combining marks on their letter', () => {
    const views = viewTokens(['नम', '##स्', '##ते'], WORDPIECE);
    expect(views.map((v) => v.shown)).toEqual(['नम', 'स्', 'ते']);
    expect(reassemble(views)).toBe('नमस्ते');
  });

  it('shows special tokens as they are and does not let them join bytes across', () => {
    const views = viewTokens(['<s>', '<0xE0>', '</s>', '<0xAC>'], SENTENCEPIECE, new Set(['<s>', '</s>']));
    expect(views[0]).toMatchObject({ special: true, shown: '<s>', bytes: null });
    expect(views[1]!.segments[0]!.kind).toBe('invalid');
    expect(views[3]!.segments[0]!.kind).toBe('invalid');
  });

  it('shows CJK and a decomposed accent (e + U+0301) as their characters', () => {
    expect(viewTokens(['▁你好', '世界'], SENTENCEPIECE).map((v) => v.shown)).toEqual(['·你好', '世界']);
    expect(viewToken(toByteLevel('cafe\u0301'), BYTE_LEVEL).shown).toBe('cafe\u0301');
  });
});

describe('the stored form', () => {
  it('gives back exactly what the vocabulary stores when asked', () => {
    const pieces = ['Ġà¬Ńà¬¾à¬·à¬¾', 'à¬', 'ľ', 'Ċ'];
    const views = viewTokens(pieces, BYTE_LEVEL);
    expect(views.map((v) => tokenLabel(v, true))).toEqual(pieces);
    expect(views.map((v) => tokenLabel(v, false))).toEqual(['·ଭାଷା', '‹E0 AC›', '‹9C›', '⏎']);
  });

  it('never loses a token: every stored form survives the view, readable or not', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 6 }), { maxLength: 8 }), (pieces) => {
        for (const spelling of [BYTE_LEVEL, SENTENCEPIECE, WORDPIECE]) {
          expect(viewTokens(pieces, spelling).map((v) => tokenLabel(v, true))).toEqual(pieces);
        }
      }),
    );
  });

  it('reads a token it cannot decode as stored rather than guessing', () => {
    expect(tokenBytes('ଜ', BYTE_LEVEL)).toBeNull(); // not a byte stand-in
    expect(viewToken('ଜ', BYTE_LEVEL).shown).toBe('ଜ');
  });

  it('guesses the spelling of a vocabulary from its tokens', () => {
    expect(guessSpelling(['I', 'Ġlove', 'ĠN', 'LP'])).toBe(BYTE_LEVEL);
    expect(guessSpelling(['▁I', '▁love'])).toBe(SENTENCEPIECE);
    expect(guessSpelling(['nl', '##p'])).toBe(WORDPIECE);
    expect(guessSpelling(['ଜଣେ']).byteLevel).toBe(false);
  });

  it('shows whitespace as the app’s glyphs', () => {
    expect(showWhitespace(' a\nb\t')).toBe('·a⏎b⇥');
  });
});

describe('offsets from the shipped tokenizers tie each token to its span', () => {
  const TEXTS = ['ଜଣେ ପିଲା ବିଦ୍ୟାଳୟକୁ ଯାଏ।', 'नमस्ते दुनिया', 'Family 👨‍👩‍👧 and 👍🏽!', '你好，世界', 'café cafe\u0301', 'I love NLP'];
  const loaded: Record<string, PretrainedTokenizer> = {};
  beforeAll(async () => {
    for (const name of ['gpt2', 'bert-base-uncased', 'tinyllama'] as const) {
      loaded[name] = await loadPretrainedTokenizer(name, { localModelPath: nodeResources.hubPath, allowRemote: false });
    }
  });

  it.each(['gpt2', 'tinyllama'] as const)('%s: a whole-character token reads as its span; shared bytes name the character in their span', (name) => {
    const tokenizer = loaded[name]!;
    const spelling = spellingOfModel(describeTokenizer(tokenizer.tokenizerJson, tokenizer.tokenizerConfig));
    for (const text of TEXTS) {
      const encoded = encodeWithPieces(tokenizer, text, { addSpecialTokens: false });
      const views = viewTokens(encoded.pieces.map((p) => p.piece), spelling);
      expect(reassemble(views).replace(/^ /, '')).toBe(text);
      encoded.pieces.forEach((p, i) => {
        const view = views[i]!;
        const span = spanOf(text, p)!;
        const partial = view.segments.filter((s) => s.kind === 'partial');
        if (i === 0 && p.piece === '▁' && !span.startsWith(' ')) {
          // LLaMA prepends '▁' to the text: it stands for no character and gets the first one's span.
          expect(p.start).toBe(0);
        } else if (partial.length === 0) {
          // LLaMA's prepended '▁' is the only space that is not in the text.
          expect(view.shown.replace(/^·/, i === 0 && name === 'tinyllama' && !span.startsWith(' ') ? '' : '·')).toBe(showWhitespace(span));
        } else {
          for (const s of partial) expect(span).toContain(s.char);
        }
        expect(tokensAt(encoded.pieces, p.start!)).toContain(i);
      });
    }
  });

  it('bert-base-uncased: WordPiece tokens read as their (lowercased) span', () => {
    const tokenizer = loaded['bert-base-uncased']!;
    const spelling = spellingOfModel(describeTokenizer(tokenizer.tokenizerJson, tokenizer.tokenizerConfig));
    expect(spelling.continuingPrefix).toBe('##');
    const text = 'Tokenizers turn नमस्ते into pieces';
    const encoded = encodeWithPieces(tokenizer, text, { addSpecialTokens: false });
    const views = viewTokens(encoded.pieces.map((p) => p.piece), spelling, new Set(['[UNK]']));
    encoded.pieces.forEach((p, i) => {
      if (p.kind === 'unknown') expect(views[i]!.shown).toBe('[UNK]');
      else expect(views[i]!.shown).toBe(spanOf(text, p)!.toLowerCase().normalize('NFD').replace(/\p{Mn}/gu, ''));
    });
  });

  it('the BPE trained here: every token of an Odia text reads as its span, or names the character it shares', async () => {
    const corpus = 'ଓଡ଼ିଆ ଭାଷା ଭାରତର ଓଡ଼ିଶା ରାଜ୍ୟର ସରକାରୀ ଭାଷା। ଏହି ଭାଷାରେ କୋଟି କୋଟି ଲୋକ କଥା କୁହନ୍ତି। '.repeat(20);
    const model = await trainBpe(corpus, { vocabSize: 1000, pattern: 'gpt2-marks' });
    const text = ' ଏହି ଭାଷା ଜଣେ ପିଲା';
    const pieces = bpeEncoderFor(model).encodeTokens(text);
    const views = viewTokens(pieces.map((p) => p.piece), BYTE_LEVEL);
    expect(views.map((v) => v.shown).slice(0, 2)).toEqual(['·ଏହି', '·ଭାଷା']);
    expect(views.some((v) => v.hint?.includes('of the 3 bytes of ଜ'))).toBe(true); // 'ଜଣେ' is not in the corpus
    pieces.forEach((p, i) => {
      const partial = views[i]!.segments.filter((s) => s.kind === 'partial');
      if (partial.length === 0) expect(views[i]!.shown).toBe(showWhitespace(spanOf(text, p)!));
      else for (const s of partial) expect(spanOf(text, p)).toContain(s.char);
    });
  });
});

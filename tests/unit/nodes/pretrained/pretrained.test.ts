/**
 * Shipped tokenizers through transformers.js: the real IDs, what happens to Odia, offsets equal
 * to HF `tokenizers` (native Rust, the reference), and the inspector's description.
 */
import { join } from 'node:path';
import { Tokenizer as NativeTokenizer } from 'tokenizers';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeTokenizer, templateInWords } from '@/nodes/pretrained/describe-tokenizer';
import { encodeWithPieces, loadPretrainedTokenizer, type PretrainedTokenizer } from '@/nodes/pretrained/pretrained';

const HUB = join(__dirname, '..', '..', '..', '..', 'public', 'hub') + '/';
const ODIA = 'ଜଣେ';

let gpt2: PretrainedTokenizer;
let bert: PretrainedTokenizer;
let llama: PretrainedTokenizer;

beforeAll(async () => {
  const options = { localModelPath: HUB, allowRemote: false };
  [gpt2, bert, llama] = await Promise.all([
    loadPretrainedTokenizer('gpt2', options),
    loadPretrainedTokenizer('bert-base-uncased', options),
    loadPretrainedTokenizer('tinyllama', options),
  ]);
});

describe('known IDs for "I love NLP" (default special tokens)', () => {
  it('GPT-2 gives 40 1842 399 19930', async () => {
    const { input_ids } = await gpt2.tokenizer('I love NLP', { return_tensor: false });
    expect(input_ids).toEqual([40, 1842, 399, 19930]);
    expect(encodeWithPieces(gpt2, 'I love NLP').pieces.map((p) => p.piece)).toEqual(['I', 'Ġlove', 'ĠN', 'LP']);
  });

  it('BERT-uncased gives 101 1045 2293 17953 2361 102', async () => {
    const { input_ids } = await bert.tokenizer('I love NLP', { return_tensor: false });
    expect(input_ids).toEqual([101, 1045, 2293, 17953, 2361, 102]);
    expect(encodeWithPieces(bert, 'I love NLP').pieces.map((p) => p.piece)).toEqual(['[CLS]', 'i', 'love', 'nl', '##p', '[SEP]']);
  });

  it('LLaMA-2 / TinyLlama gives 1 306 5360 405 13208', async () => {
    const { input_ids } = await llama.tokenizer('I love NLP', { return_tensor: false });
    expect(input_ids).toEqual([1, 306, 5360, 405, 13208]);
    expect(encodeWithPieces(llama, 'I love NLP').pieces.map((p) => p.piece)).toEqual(['<s>', '▁I', '▁love', '▁N', 'LP']);
  });

  it('round-trips through decode', () => {
    expect(gpt2.tokenizer.decode([40, 1842, 399, 19930])).toBe('I love NLP');
    expect(bert.tokenizer.decode([101, 1045, 2293, 17953, 2361, 102], { skip_special_tokens: true })).toBe('i love nlp');
    expect(llama.tokenizer.decode([1, 306, 5360, 405, 13208], { skip_special_tokens: true })).toBe('I love NLP');
  });
});

describe(`the Odia word "${ODIA}" (3 characters, 9 UTF-8 bytes)`, () => {
  it('costs GPT-2 nine byte tokens, three per character', () => {
    const encoded = encodeWithPieces(gpt2, ODIA);
    expect(encoded.ids).toEqual([156, 105, 250, 156, 105, 96, 156, 255, 229]);
    expect(encoded.pieces.every((p) => p.kind === 'byte' && p.splitsCharacter)).toBe(true);
    expect(encoded.pieces.map((p) => [p.start, p.end])).toEqual([
      [0, 1], [0, 1], [0, 1], [1, 2], [1, 2], [1, 2], [2, 3], [2, 3], [2, 3],
    ]);
    expect(encoded.pieces.flatMap((p) => p.bytes ?? [])).toEqual([...new TextEncoder().encode(ODIA)]);
  });

  it('is one [UNK] for BERT, covering the whole word', () => {
    const encoded = encodeWithPieces(bert, ODIA);
    expect(encoded.ids).toEqual([101, 100, 102]);
    expect(encoded.pieces[1]).toMatchObject({ piece: '[UNK]', kind: 'unknown', start: 0, end: 3 });
  });

  it('falls back to its nine bytes in LLaMA, after a lone ▁', () => {
    const encoded = encodeWithPieces(llama, ODIA);
    expect(encoded.pieces.map((p) => p.piece)).toEqual([
      '<s>', '▁', '<0xE0>', '<0xAC>', '<0x9C>', '<0xE0>', '<0xAC>', '<0xA3>', '<0xE0>', '<0xAD>', '<0x87>',
    ]);
    expect(encoded.ids.slice(0, 3)).toEqual([1, 29871, 227]);
    const bytes = encoded.pieces.filter((p) => p.kind === 'byte');
    expect(bytes).toHaveLength(9);
    expect(bytes.flatMap((p) => p.bytes ?? [])).toEqual([...new TextEncoder().encode(ODIA)]);
    expect(bytes.map((p) => p.start)).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2]);
  });
});

/** Native offsets count code points; ours count UTF-16 units. */
function codePointToUtf16(text: string): (cp: number) => number {
  const table: number[] = [];
  let unit = 0;
  for (const ch of text) {
    table.push(unit);
    unit += ch.length;
  }
  table.push(unit);
  return (cp) => table[cp]!;
}

const PARITY_SAMPLES = [
  'I love NLP',
  ODIA,
  'ଓଡ଼ିଆ ଭାଷା',
  'Héllo wörld, Crème brûlée!',
  'emoji 👍🏽 ok',
  'a  b\n\tc',
  '日本語のテキスト',
  "don't stop",
  'literal <|endoftext|> and [CLS] and </s>',
  'x',
  '',
];

describe('pieces and offsets equal HF tokenizers (native Rust)', () => {
  for (const name of ['gpt2', 'bert-base-uncased', 'tinyllama'] as const) {
    it(`${name}: same pieces, ids and offsets on ${PARITY_SAMPLES.length} samples`, async () => {
      const loaded = { gpt2, 'bert-base-uncased': bert, tinyllama: llama }[name];
      const native = NativeTokenizer.fromFile(join(HUB, name, 'tokenizer.json'));
      for (const text of PARITY_SAMPLES) {
        const reference = await native.encode(text);
        const toUtf16 = codePointToUtf16(text);
        const ours = encodeWithPieces(loaded, text);
        expect(ours.pieces.map((p) => p.piece), text).toEqual(reference.getTokens());
        expect(ours.ids, text).toEqual(reference.getIds());
        expect(ours.offsetsComplete, text).toBe(true);
        // Tokens the post-processor added have no offsets in ours ([0,0] in HF's).
        const expected = reference.getOffsets().map(([s, e], i) => (ours.pieces[i]!.start === null ? null : [toUtf16(s!), toUtf16(e!)]));
        expect(ours.pieces.map((p) => (p.start === null ? null : [p.start, p.end])), text).toEqual(expected);
        expect(ours.pieces.filter((p) => p.start === null).every((p) => p.kind === 'special')).toBe(true);
      }
    });
  }
});

describe('transformers.js quirks worth knowing', () => {
  it('lowercases a word-final Σ to ς in BERT (HF tokenizers gives σ), so the pieces differ', async () => {
    const text = 'ΟΔΟΣ';
    const ours = encodeWithPieces(bert, text);
    const reference = await NativeTokenizer.fromFile(join(HUB, 'bert-base-uncased', 'tokenizer.json')).encode(text);
    expect(ours.pieces.map((p) => p.piece)).toEqual(['[CLS]', 'ο', '##δ', '##ος', '[SEP]']);
    expect(reference.getTokens()).toEqual(['[CLS]', 'ο', '##δ', '##ο', '##σ', '[SEP]']);
    // Our offsets follow transformers.js, so they still line up with the text.
    expect(ours.pieces[3]).toMatchObject({ start: 2, end: 4 });
  });

  it('maps the literal text <|endoftext|> to the special token 50256 in GPT-2', () => {
    const encoded = encodeWithPieces(gpt2, 'a<|endoftext|>');
    expect(encoded.ids).toEqual([64, 50256]);
    expect(encoded.pieces[1]).toMatchObject({ kind: 'special', start: 1, end: 14 });
  });
});

describe('describeTokenizer', () => {
  it('tells the three shipped models apart', () => {
    const g = describeTokenizer(gpt2.tokenizerJson, gpt2.tokenizerConfig);
    const b = describeTokenizer(bert.tokenizerJson, bert.tokenizerConfig);
    const l = describeTokenizer(llama.tokenizerJson, llama.tokenizerConfig);
    expect([g.modelKind, b.modelKind, l.modelKind]).toEqual(['byte-level BPE', 'WordPiece', 'BPE with byte fallback']);
    expect([g.vocabSize, b.vocabSize, l.vocabSize]).toEqual([50257, 30522, 32000]);
    expect([g.mergeCount, b.mergeCount]).toEqual([50000, null]);
    expect(l.mergeCount).toBeGreaterThan(60000);
    expect([g.template, b.template, l.template]).toEqual(['$A', '[CLS] $A [SEP]', '<s> $A']);
    expect([g.template, b.template, l.template, '$A </s>'].map(templateInWords)).toEqual([
      'adds nothing: the tokens are the text’s alone',
      'adds [CLS] before the text and [SEP] after it',
      'adds <s> before the text',
      'adds </s> after the text',
    ]);
    expect(g.normalizer.summary).toBe('none');
    expect(b.normalizer.summary).toBe('clean control characters and whitespace, put spaces around CJK characters, lowercase, strip accents');
    expect(l.normalizer.steps).toEqual(['Prepend', 'Replace']);
    expect(b.preTokenizer.steps).toEqual(['BertPreTokenizer']);
    expect(b.unkToken).toBe('[UNK]');
    expect(b.continuingSubwordPrefix).toBe('##');
    expect(l.byteFallback).toBe(true);
    expect(b.specialTokens.find((t) => t.content === '[CLS]')).toEqual({ content: '[CLS]', id: 101, roles: ['cls'] });
    expect(g.specialTokens).toEqual([{ content: '<|endoftext|>', id: 50256, roles: ['bos', 'eos', 'unk'] }]);
    expect(l.specialTokens.find((t) => t.content === '</s>')?.roles).toEqual(['eos', 'pad']);
  });
});

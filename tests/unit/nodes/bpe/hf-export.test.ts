import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { Tokenizer } from 'tokenizers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BpeDecoder } from '@/nodes/bpe/decode-bpe';
import { BpeEncoder } from '@/nodes/bpe/encode-bpe';
import { toHuggingFaceFiles } from '@/nodes/bpe/hf-export';
import { trainBpe } from '@/nodes/bpe/train-bpe';
import type { TrainedBpe } from '@/nodes/bpe/types';
import { modelFromVocabAndMerges } from '@/nodes/bpe/vocab-files';
import { codeCorpus, emojiCorpus, englishCorpus, odiaCorpus, sliceWhole } from '@/scripts/make-corpora';

// Train on one part of each corpus, encode another part (unseen text).
const corpora: [string, (chars: number, offset: number) => string][] = [
  ['English', (chars, offset) => englishCorpus(chars, offset)],
  ['Odia', (chars, offset) => sliceWhole(odiaCorpus(chars + offset, 5), offset, chars + offset)],
  ['Odia, marks kept', (chars, offset) => sliceWhole(odiaCorpus(chars + offset, 5), offset, chars + offset)],
  ['code', (chars, offset) => sliceWhole(codeCorpus(chars + offset), offset, chars + offset)],
  ['emoji-heavy', (chars, offset) => sliceWhole(emojiCorpus(chars + offset, 9), offset, chars + offset)],
];

const slug = (name: string) => name.replace(/[^a-z]+/gi, '-');
let folder: string;
const trained = new Map<string, TrainedBpe>();

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'tokenloom-export-'));
  env.allowRemoteModels = false;
  env.localModelPath = folder;
  for (const [name, corpus] of corpora) {
    const pattern = name.includes('marks') ? 'gpt2-marks' : 'gpt2';
    const bpe = await trainBpe(corpus(150_000, 0), { vocabSize: 3000, specialTokens: ['<|endoftext|>', '<|pad|>'], pattern });
    trained.set(name, bpe);
    const files = toHuggingFaceFiles(bpe);
    mkdirSync(join(folder, slug(name)));
    for (const [file, text] of Object.entries(files)) writeFileSync(join(folder, slug(name), file), text);
  }
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('Hugging Face export', () => {
  for (const [name, corpus] of corpora) {
    it(`loads in transformers.js and HF tokenizers and encodes ${name} to our ids`, async () => {
      const bpe = trained.get(name)!;
      const text = corpus(30_000, 200_000) + ' <|endoftext|> ' + corpus(2_000, 250_000);
      const ours = new BpeEncoder(bpe).encode(text, { allowSpecial: true });
      expect(ours).toContain(0); // the special token was cut out of the text

      const transformersJs = await AutoTokenizer.from_pretrained(slug(name));
      expect(transformersJs.encode(text, { add_special_tokens: false })).toEqual(ours);
      expect(transformersJs.decode(ours)).toBe(new BpeDecoder(bpe).decode(ours));

      const native = Tokenizer.fromString(toHuggingFaceFiles(bpe)['tokenizer.json']);
      expect((await native.encode(text, null, { addSpecialTokens: false })).getIds()).toEqual(ours);
    });
  }

  it('writes vocab.json and merges.txt that read back into the same tokenizer', () => {
    const bpe = trained.get('English')!;
    const files = toHuggingFaceFiles(bpe);
    const reread = modelFromVocabAndMerges(JSON.parse(files['vocab.json']) as Record<string, number>, files['merges.txt'], [
      '<|endoftext|>',
      '<|pad|>',
    ]);
    expect(reread.tokens).toEqual(bpe.tokens);
    expect(reread.merges).toEqual(bpe.merges.map(({ left, right }) => ({ left, right })));
    expect(files['merges.txt'].split('\n')[0]).toBe('#version: 0.2');
    const tokenizerJson = JSON.parse(files['tokenizer.json']) as { model: { vocab: Record<string, number> }; added_tokens: unknown[] };
    expect(Object.keys(tokenizerJson.model.vocab)).toHaveLength(bpe.tokens.length);
    expect(tokenizerJson.added_tokens).toHaveLength(2);
  });
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { Tokenizer } from 'tokenizers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnigramEncoder, decodeUnigram } from '@/nodes/unigram/encode-unigram';
import { toUnigramFiles } from '@/nodes/unigram/hf-export';
import { trainUnigram } from '@/nodes/unigram/train-unigram';
import type { TrainedUnigram } from '@/nodes/unigram/types';
import { englishCorpus, odiaCorpus } from '@/scripts/make-corpora';

const lines = (text: string) => text.split(/(?<=[.!?।])\s+|\n/).filter(Boolean).join('\n');
// Held-out text, then characters the training corpus lacks (<unk>, or bytes with byte fallback).
const cases: [string, () => string, () => string, string, boolean][] = [
  ['English', () => lines(englishCorpus(100_000)), () => englishCorpus(15_000, 4_500_000) + '  double  spaces ', ' naïve 中文 ', false],
  ['Odia with byte fallback', () => lines(odiaCorpus(60_000)), () => odiaCorpus(8_000, 31), ' 👍 zebra', true],
];
let folder: string;
const trained = new Map<string, TrainedUnigram>();
const slug = (name: string) => name.replace(/\W+/g, '-');

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'tokenloom-uni-export-'));
  env.allowRemoteModels = false;
  env.localModelPath = folder;
  for (const [name, corpus, , , byteFallback] of cases) {
    const uni = await trainUnigram(corpus(), { vocabSize: 1500, byteFallback });
    trained.set(name, uni);
    mkdirSync(join(folder, slug(name)));
    const files = toUnigramFiles(uni);
    writeFileSync(join(folder, slug(name), 'tokenizer.json'), files['tokenizer.json']);
    writeFileSync(join(folder, slug(name), 'tokenizer_config.json'), files['tokenizer_config.json']);
  }
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('Unigram export', () => {
  for (const [name, , heldOut, unknown, byteFallback] of cases) {
    it(`loads in HF tokenizers and transformers.js and encodes held-out ${name} text to our ids`, async () => {
      const uni = trained.get(name)!;
      const known = heldOut().replace(/\n/g, ' ');
      const text = known + unknown;
      const ours = new UnigramEncoder(uni).encode(text);
      expect(ours.length).toBeGreaterThan(100);
      expect(ours.includes(uni.unkId)).toBe(!byteFallback);
      const native = Tokenizer.fromString(toUnigramFiles(uni)['tokenizer.json']);
      expect((await native.encode(text, null, { addSpecialTokens: false })).getIds()).toEqual(ours);
      // HF writes <unk> as '<unk>' where spm_decode writes ' ⁇ ': compare decoding without it.
      const decodable = ours.filter((id) => id !== uni.unkId);
      expect(await native.decode(decodable, false)).toBe(decodeUnigram(uni, decodable));
      // transformers.js's Unigram ignores byte_fallback (an unknown character stays <unk>):
      // identical on the characters the vocabulary knows.
      const transformersJs = await AutoTokenizer.from_pretrained(slug(name));
      const knownIds = new UnigramEncoder(uni).encode(known);
      expect(transformersJs.encode(known, { add_special_tokens: false })).toEqual(knownIds);
      expect(transformersJs.decode(decodable)).toBe(decodeUnigram(uni, decodable));
      if (byteFallback) expect(transformersJs.encode(unknown, { add_special_tokens: false })).toContain(uni.unkId);
    });
  }
});

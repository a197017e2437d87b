import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { Tokenizer } from 'tokenizers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BERT_TEXT_DEFAULTS } from '@/nodes/wordpiece/bert-text';
import { WordPieceEncoder, decodeWordPiece } from '@/nodes/wordpiece/encode-wordpiece';
import { toWordPieceFiles } from '@/nodes/wordpiece/hf-export';
import { trainWordPiece } from '@/nodes/wordpiece/train-wordpiece';
import type { TrainedWordPiece } from '@/nodes/wordpiece/types';
import { englishCorpus, odiaCorpus } from '@/scripts/make-corpora';

const BERT_SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
const cases: [string, () => string, () => string, TrainedWordPiece['text']][] = [
  ['English, uncased', () => englishCorpus(150_000), () => englishCorpus(20_000, 4_000_000) + ' Naïve CAFÉ [MASK] 中文', BERT_TEXT_DEFAULTS],
  ['Odia, cased', () => odiaCorpus(80_000), () => odiaCorpus(10_000, 77), { ...BERT_TEXT_DEFAULTS, lowercase: false, stripAccents: false }],
];
let folder: string;
const trained = new Map<string, TrainedWordPiece>();

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'tokenloom-wp-export-'));
  env.allowRemoteModels = false;
  env.localModelPath = folder;
  for (const [name, corpus, , text] of cases) {
    const wp = await trainWordPiece(corpus(), { vocabSize: 3000, minFrequency: 2, specialTokens: BERT_SPECIALS, text });
    trained.set(name, wp);
    mkdirSync(join(folder, name.replace(/\W+/g, '-')));
    for (const [file, content] of Object.entries(toWordPieceFiles(wp))) writeFileSync(join(folder, name.replace(/\W+/g, '-'), file), content);
  }
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('WordPiece export', () => {
  for (const [name, , heldOut] of cases) {
    it(`loads in transformers.js and HF tokenizers and encodes held-out ${name} text to our ids`, async () => {
      const wp = trained.get(name)!;
      const text = heldOut();
      const ours = new WordPieceEncoder(wp).encode(text);
      expect(ours.length).toBeGreaterThan(100);
      const native = Tokenizer.fromString(toWordPieceFiles(wp)['tokenizer.json']);
      expect((await native.encode(text, null, { addSpecialTokens: false })).getIds()).toEqual(ours);
      // With special tokens: [CLS] … [SEP], as BERT's post-processor adds them.
      expect((await native.encode(text)).getIds()).toEqual([2, ...ours, 3]);
      const transformersJs = await AutoTokenizer.from_pretrained(name.replace(/\W+/g, '-'));
      expect(transformersJs.encode(text, { add_special_tokens: false })).toEqual(ours);
      expect(transformersJs.decode(ours)).toBe(decodeWordPiece(wp, ours));
      expect(await native.decode(ours, false)).toBe(decodeWordPiece(wp, ours));
    });
  }

  it('writes vocab.txt with one token per line, line number = id', () => {
    const wp = trained.get('English, uncased')!;
    const lines = toWordPieceFiles(wp)['vocab.txt'].split('\n');
    expect(lines.slice(0, 5)).toEqual(BERT_SPECIALS);
    expect(lines.indexOf('##s')).toBe(wp.tokens.indexOf('##s'));
  });
});

/**
 * Our WordPiece trainer and encoder against Hugging Face `tokenizers` (native, 0.23.2): the
 * vocabulary token for token and id for id at HF's default size (30000), on English and Odia,
 * and the encodings of held-out text.
 *
 * HF's own runs differ from each other (the prefixed characters are numbered in a randomly seeded
 * hash map's order, and ties between equal counts follow those ids), so each test reads the order
 * of the HF run it compares with and gives it to our trainer (`startOrder`); from there every id
 * must match. Without it, our vocabulary still shares nearly every token with HF's.
 */
import { bertPreTokenizer } from 'tokenizers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BERT_TEXT_DEFAULTS, bertPieces, bertWords, type BertTextOptions } from '@/nodes/wordpiece/bert-text';
import { countBertWordsInto } from '@/nodes/wordpiece/count-bert-words';
import { WordPieceEncoder } from '@/nodes/wordpiece/encode-wordpiece';
import { trainWordPiece } from '@/nodes/wordpiece/train-wordpiece';
import { emojiCorpus, englishCorpus, odiaCorpus } from '@/scripts/make-corpora';
import { hfNormalizer, trainWordPieceWithHuggingFace } from './references';

const HF_DEFAULT_VOCAB_SIZE = 30000;
const ODIA_TEXT: BertTextOptions = { ...BERT_TEXT_DEFAULTS, lowercase: false, stripAccents: false };

const cases: [string, () => string, () => string, BertTextOptions | null][] = [
  ['English (SOTU, 400 kB), BERT uncased', () => englishCorpus(400_000), () => englishCorpus(100_000, 6_000_000), BERT_TEXT_DEFAULTS],
  ['Odia (200 kB), cased, accents kept', () => odiaCorpus(200_000), () => odiaCorpus(50_000, 99), ODIA_TEXT],
  ['emoji-heavy English (100 kB), no normaliser', () => emojiCorpus(100_000), () => emojiCorpus(60_000, 5), null],
];

describe('trainWordPiece vs Hugging Face tokenizers', () => {
  for (const [name, corpus, heldOut, text] of cases) {
    it(`makes exactly HF's vocabulary, id for id, on ${name}, and encodes held-out text as HF does`, async () => {
      const train = corpus();
      const hf = trainWordPieceWithHuggingFace(train, text);
      const ours = await trainWordPiece(train, { vocabSize: HF_DEFAULT_VOCAB_SIZE, text, startOrder: hf.startOrder });
      expect(ours.tokens.length).toBeGreaterThan(hf.startOrder.length + 100);
      expect(ours.tokens).toEqual(hf.tokens);

      const encoder = new WordPieceEncoder({ ...ours, tokens: [...ours.tokens, '[UNK]'] });
      const lines = heldOut().split(/(?<=[.!?।\n])\s+/).filter((l) => l.trim());
      const theirs = await hf.tokenizer.encodeBatch(lines, { addSpecialTokens: false });
      let unknown = 0;
      lines.forEach((line, i) => {
        const ids = encoder.encode(line);
        expect(ids, line.slice(0, 80)).toEqual(theirs[i]!.getIds());
        unknown += ids.filter((id) => id === ours.tokens.length).length;
      });
      expect(lines.length).toBeGreaterThan(100);
      expect(unknown).toBeLessThan(lines.length * 5);
    }, 60_000);
  }

  it('shares nearly all of HF\'s vocabulary with its own, deterministic, start order', async () => {
    const train = englishCorpus(400_000);
    const hf = trainWordPieceWithHuggingFace(train, BERT_TEXT_DEFAULTS);
    const ours = await trainWordPiece(train, { vocabSize: HF_DEFAULT_VOCAB_SIZE });
    const again = await trainWordPiece(train, { vocabSize: HF_DEFAULT_VOCAB_SIZE });
    expect(again.tokens).toEqual(ours.tokens);
    const theirs = new Set(hf.tokens);
    const shared = ours.tokens.filter((t) => theirs.has(t)).length;
    expect(shared / theirs.size).toBeGreaterThan(0.99);
  }, 60_000);
});

describe('BERT normaliser and pre-tokenizer vs HF', () => {
  const hostile = [
    '', 'Héllo, WORLD!', 'ΟΔΥΣΣΕΥΣ', 'İstanbul', 'a\u0000b\uFFFDc\u200Bd', 'tab\tnew\nline\r\u00A0nbsp\u3000ideo',
    '中文字符 and 日本語', 'ଓଡ଼ିଆ ଭାଷା।', 'emoji 👍🏽 👨‍👩‍👧 🇮🇳', "don't", 'a\u0085b\u2028c', 'x$y+z<w>=^`|~',
  ];
  const options: (BertTextOptions | null)[] = [
    BERT_TEXT_DEFAULTS,
    ODIA_TEXT,
    { ...BERT_TEXT_DEFAULTS, stripAccents: true, lowercase: false },
    { ...BERT_TEXT_DEFAULTS, stripAccents: false }, // the counting table, lowercasing through bertWords
    { ...ODIA_TEXT, cleanText: false, handleChineseChars: false },
    null,
  ];
  it('cuts text into the same words as HF on hostile strings and corpus lines, on both paths', () => {
    const lines = [...hostile, ...englishCorpus(30_000).split('\n'), ...odiaCorpus(20_000).split('\n'), ...emojiCorpus(20_000).split('\n')];
    const pre = bertPreTokenizer();
    for (const text of options) {
      const normalizer = hfNormalizer(text);
      for (const line of lines) {
        const normalized = normalizer ? normalizer.normalizeString(line) : line;
        const theirs = pre.preTokenizeString(normalized).map(([w]) => w);
        const ours = text ? bertWords(line, text) : bertWords(line, { cleanText: false, handleChineseChars: false, stripAccents: false, lowercase: false });
        expect(ours, line).toEqual(theirs);
        if (text) expect(bertPieces(line, text).map((p) => p.word), line).toEqual(ours);
        // The trainer's counting paths (a character table, or plain ASCII fast and the rest through bertWords) agree too.
        const counted = new Map<string, number>();
        countBertWordsInto(line, text, counted);
        const expected = new Map<string, number>();
        for (const w of theirs) expected.set(w, (expected.get(w) ?? 0) + 1);
        expect([...counted], line).toEqual([...expected]);
      }
    }
  });
});

describe('counting BERT words for training', () => {
  // Characters from every class the counting table knows, and ones it hands back to bertWords.
  const alphabet = [
    'a', 'Z', '7', ' ', ' ', '\n', '\t', '\r', '.', ',', '\u00A0', '\u3000', '\u0000', '\u200B', '\uFFFD', '\u0085',
    'ଓ', 'ଡ', '଼', 'ି', 'ୁ', '।', 'é', 'É', 'Σ', 'İ', '中', '👍', '🏽', '\uD800', '\uDC00', '\u0301',
  ];
  const text = fc.array(fc.constantFrom(...alphabet), { maxLength: 60 }).map((cs) => cs.join(''));
  const settings = fc.record({ cleanText: fc.boolean(), handleChineseChars: fc.boolean(), stripAccents: fc.constantFrom(true, false, null), lowercase: fc.boolean() });

  it('counts exactly the words bertWords cuts, in first-seen order, for any text and settings', () => {
    fc.assert(
      fc.property(text, fc.option(settings, { nil: null }), (line, options) => {
        const expected = new Map<string, number>();
        const words = options ? bertWords(line, options) : bertWords(line, { cleanText: false, handleChineseChars: false, stripAccents: false, lowercase: false });
        for (const w of words) expected.set(w, (expected.get(w) ?? 0) + 1);
        const counted = new Map<string, number>();
        countBertWordsInto(line, options, counted);
        expect([...counted]).toEqual([...expected]);
      }),
      { numRuns: 3000 },
    );
  });
});

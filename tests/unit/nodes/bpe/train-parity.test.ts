/**
 * Our trainer against Hugging Face `tokenizers` (native, 0.23.2) with a ByteLevel pre-tokenizer
 * (add_prefix_space=false), on a few hundred kB each of English, Odia, code and emoji-heavy text.
 *
 * What has to line up for the merges to be identical, all checked here or in train-bpe.test.ts:
 * - words: HF reads files line by line and runs GPT-2's regex on each line;
 * - ids: HF numbers special tokens, then the alphabet sorted by ByteLevel character, then merges;
 * - ties: equal counts go to the smaller (left id, right id);
 * - bookkeeping: a merge producing an existing token reuses its id and adds no vocab entry.
 * Known divergence (not exercised by these corpora): HF's regex engine counts U+0085 as
 * whitespace and U+FEFF as not; JavaScript's `\s` does the opposite (see gpt2-split.ts).
 */
import { byteLevelPreTokenizer } from 'tokenizers';
import { describe, expect, it } from 'vitest';
import { gpt2PieceEnd } from '@/nodes/bpe/gpt2-split';
import { trainBpe } from '@/nodes/bpe/train-bpe';
import { toByteLevel } from '@/nodes/pretokenize/byte-level';
import type { MergeRule } from '@/nodes/bpe/types';
import { codeCorpus, emojiCorpus, englishCorpus, odiaCorpus } from '@/scripts/make-corpora';
import { trainWithHuggingFace } from './references';

const HF_DEFAULT_VOCAB_SIZE = 30000;

function firstMismatch(ours: readonly MergeRule[], theirs: readonly MergeRule[]): number {
  const n = Math.min(ours.length, theirs.length);
  for (let i = 0; i < n; i++) if (ours[i]!.left !== theirs[i]!.left || ours[i]!.right !== theirs[i]!.right) return i;
  return ours.length === theirs.length ? -1 : n;
}

const corpora: [string, () => string][] = [
  ['English (SOTU, 400 kB)', () => englishCorpus(400_000)],
  ['Odia (200 kB)', () => odiaCorpus(200_000)],
  ['code (TypeScript lib files, 300 kB)', () => codeCorpus(300_000)],
  ['emoji-heavy English (200 kB)', () => emojiCorpus(200_000)],
  ['a tie-break miniature', () => ' cd ab\naaabdaaabac\n'],
];

describe('trainBpe vs Hugging Face tokenizers', () => {
  for (const [name, corpus] of corpora) {
    it(`makes exactly HF's merges, in HF's order, on ${name}`, async () => {
      const text = corpus();
      const hf = trainWithHuggingFace(text);
      const ours = await trainBpe(text, { vocabSize: HF_DEFAULT_VOCAB_SIZE });
      // HF's vocab holds only the bytes the corpus uses, ours all 256, so at the same vocab size
      // HF makes (256 - used bytes) more merges unless both run out of pairs first.
      const compared = ours.stoppedBecause === 'no-pairs-left' ? hf.merges : hf.merges.slice(0, ours.merges.length);
      expect(firstMismatch(ours.merges, compared)).toBe(-1);
      expect(ours.merges.length).toBeGreaterThan(4);

      // Same ids up to the alphabet offset: HF's k-th new token is ours too (merges that
      // recreate an existing token included).
      const hfAlphabet = Object.keys(hf.vocab).length - new Set(hf.merges.map((m) => m.left + m.right)).size;
      for (const merge of ours.merges) expect(hf.vocab[merge.left + merge.right]! - hfAlphabet).toBe(merge.id - 256);
    });
  }

  it('makes exactly HF\'s merges on Odia with the marks-keeping pattern, and many more of them', async () => {
    const text = odiaCorpus(200_000);
    const hf = trainWithHuggingFace(text, 'gpt2-marks');
    const ours = await trainBpe(text, { vocabSize: HF_DEFAULT_VOCAB_SIZE, pattern: 'gpt2-marks' });
    const compared = ours.stoppedBecause === 'no-pairs-left' ? hf.merges : hf.merges.slice(0, ours.merges.length);
    expect(firstMismatch(ours.merges, compared)).toBe(-1);
    // With GPT-2's pattern, Odia words are cut at every vowel sign, so BPE runs out of pairs early.
    const plain = await trainBpe(text, { vocabSize: HF_DEFAULT_VOCAB_SIZE });
    expect(ours.merges.length).toBeGreaterThan(2 * plain.merges.length);
    expect(ours.tokens).toContain(toByteLevel(' ଭାଷା'));
    expect(plain.tokens).not.toContain(toByteLevel(' ଭାଷା'));
  });

  it('cuts every line into the same words as HF\'s ByteLevel pre-tokenizer', () => {
    const hfPreTokenizer = byteLevelPreTokenizer(false, true);
    const ourWords = (line: string) => {
      const words: string[] = [];
      for (let start = 0; start < line.length; ) {
        const end = gpt2PieceEnd(line, start);
        words.push(toByteLevel(line.slice(start, end)));
        start = end;
      }
      return words;
    };
    for (const [, corpus] of corpora) {
      const lines = corpus().slice(0, 50_000).split(/(?<=\n)/);
      for (const line of lines) expect(ourWords(line)).toEqual(hfPreTokenizer.preTokenizeString(line).map(([w]) => w));
    }
    // The one known difference: which characters count as whitespace (\s).
    expect(ourWords('a \u0085b')).toEqual(['a', 'ĠÂħ', 'b']);
    expect(hfPreTokenizer.preTokenizeString('a \u0085b').map(([w]) => w)).toEqual(['a', 'Ġ', 'Âħ', 'b']);
    expect(ourWords('a \ufeffb')).toEqual(['a', 'Ġ', 'ï»¿', 'b']);
    expect(hfPreTokenizer.preTokenizeString('a \ufeffb').map(([w]) => w)).toEqual(['a', 'Ġï»¿', 'b']);
  });

  it('matches HF\'s numbering of the initial alphabet: sorted by ByteLevel character', () => {
    const hf = trainWithHuggingFace('Zebra ~ apple\n¡hola! ü\n');
    const alphabet = Object.entries(hf.vocab)
      .filter(([token]) => token.length === 1)
      .sort((a, b) => a[1] - b[1])
      .map(([token]) => token);
    expect(alphabet).toEqual([...alphabet].sort((a, b) => a.charCodeAt(0) - b.charCodeAt(0)));
    expect(alphabet[0]).toBe('!');
    expect(alphabet.at(-1)).toBe('Ġ');
  });
});

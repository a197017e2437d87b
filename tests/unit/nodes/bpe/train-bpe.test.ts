import { describe, expect, it } from 'vitest';
import { BpeEncoder } from '@/nodes/bpe/encode-bpe';
import { countWords } from '@/nodes/bpe/count-words';
import { trainBpe } from '@/nodes/bpe/train-bpe';
import { englishCorpus } from '@/scripts/make-corpora';

const pairs = (merges: readonly { left: string; right: string }[]) => merges.map((m) => `${m.left} ${m.right}`);

describe('trainBpe', () => {
  it('learns the textbook merges on "aaabdaaabac" (minbpe\'s example)', async () => {
    const bpe = await trainBpe('aaabdaaabac', { vocabSize: 259 });
    expect(pairs(bpe.merges)).toEqual(['a a', 'a b', 'aa ab']);
    expect(bpe.merges.map((m) => m.count)).toEqual([4, 2, 2]);
    expect(bpe.tokens.slice(256)).toEqual(['aa', 'ab', 'aaab']);
    // The corpus becomes "XdXac": 'aaab' twice, then the leftover bytes.
    const ids = new BpeEncoder(bpe).encode('aaabdaaabac');
    expect(ids.map((id) => bpe.tokens[id])).toEqual(['aaab', 'd', 'aaab', 'a', 'c']);
    expect(bpe.stoppedBecause).toBe('vocab-size');
  });

  it('reports the final frequency of each merged token, which later merges eat into', async () => {
    const bpe = await trainBpe('aaabdaaabac', { vocabSize: 259 });
    // 'aa' was merged 4 times' worth of pairs, but every 'aa' ended inside 'aaab'.
    expect(bpe.merges.map((m) => m.frequency)).toEqual([0, 0, 2]);
  });

  it('breaks ties by the smaller (left id, right id), not by first occurrence', async () => {
    // Every pair occurs once. 'Ġc' comes first in the text, but 'Ġ' (id 220) sorts after 'a' (64)
    // and 'c' (66), so (a,b) and (c,d) go first.
    const bpe = await trainBpe(' cd ab', { vocabSize: 256 + 4 });
    expect(pairs(bpe.merges)).toEqual(['a b', 'c d', 'Ġ ab', 'Ġ cd']);
  });

  it('numbers special tokens first, then the 256 bytes in GPT-2 order, then merges', async () => {
    const bpe = await trainBpe('hello hello', { vocabSize: 300, specialTokens: ['<|endoftext|>', '<pad>', '<pad>'] });
    expect(bpe.specialTokens).toEqual([
      { content: '<|endoftext|>', id: 0 },
      { content: '<pad>', id: 1 },
    ]);
    expect(bpe.tokens[2]).toBe('!');
    expect(bpe.tokens[2 + 220]).toBe('Ġ');
    expect(bpe.merges[0]!.id).toBe(2 + 256);
  });

  it('refuses a vocabSize outside 256…65536', async () => {
    await expect(trainBpe('abc', { vocabSize: 255 })).rejects.toThrow(RangeError);
    await expect(trainBpe('abc', { vocabSize: 65537 })).rejects.toThrow(RangeError);
    await expect(trainBpe('abc', { vocabSize: 300.5 })).rejects.toThrow(RangeError);
  });

  it('stops at vocabSize, when pairs run out, or below minFrequency', async () => {
    expect((await trainBpe('hello world', { vocabSize: 256 })).merges).toEqual([]);
    const exhausted = await trainBpe('hello', { vocabSize: 1000 });
    expect(exhausted.stoppedBecause).toBe('no-pairs-left');
    expect(exhausted.tokens.at(-1)).toBe('hello');
    const text = englishCorpus(20_000);
    const limited = await trainBpe(text, { vocabSize: 5000, minFrequency: 20 });
    expect(limited.stoppedBecause).toBe('min-frequency');
    expect(Math.min(...limited.merges.map((m) => m.count))).toBeGreaterThanOrEqual(20);
    const unlimited = await trainBpe(text, { vocabSize: 5000 });
    expect(pairs(unlimited.merges).slice(0, limited.merges.length)).toEqual(pairs(limited.merges));
    expect(unlimited.merges.length).toBeGreaterThan(limited.merges.length);
  });

  it('gives the same merges on every run (deterministic)', async () => {
    const text = englishCorpus(50_000);
    const a = await trainBpe(text, { vocabSize: 1500 });
    const b = await trainBpe(text, { vocabSize: 1500 });
    expect(pairs(a.merges)).toEqual(pairs(b.merges));
    expect(a.merges.map((m) => m.count)).toEqual(b.merges.map((m) => m.count));
  });

  it('counts merges and frequencies that match encoding the corpus with the result', async () => {
    // One line, so whole-text and line-by-line pre-tokenization agree.
    const text = englishCorpus(60_000).replaceAll('\n', ' ');
    const bpe = await trainBpe(text, { vocabSize: 1200 });
    const counts = new Map<number, number>();
    for (const id of new BpeEncoder(bpe).encode(text)) counts.set(id, (counts.get(id) ?? 0) + 1);
    for (const merge of bpe.merges) expect(counts.get(merge.id) ?? 0).toBe(merge.frequency);
    // "An ID is a merge rank, not a frequency": ' t' is merged early, then mostly absorbed.
    const spaceT = bpe.merges.find((m) => m.left === 'Ġ' && m.right === 't')!;
    expect(spaceT.frequency).toBeLessThan(spaceT.count / 2);
    expect(bpe.merges[0]!.count).toBeGreaterThanOrEqual(bpe.merges[1]!.count);
  });

  it('awaits checkpoint() during long runs and stops when it throws', async () => {
    const text = englishCorpus(300_000);
    const fractions: number[] = [];
    let checkpoints = 0;
    await trainBpe(text, { vocabSize: 256 + 5000 }, {
      checkpoint: async () => void checkpoints++,
      progress: (f) => fractions.push(f),
    });
    expect(checkpoints).toBeGreaterThan(2);
    expect(fractions.at(-1)).toBe(1);
    expect(fractions).toEqual([...fractions].sort((x, y) => x - y));

    let calls = 0;
    const cancelled = trainBpe(text, { vocabSize: 256 + 5000 }, {
      checkpoint: async () => {
        if (++calls === 2) throw new DOMException('cancelled', 'AbortError');
      },
    });
    await expect(cancelled).rejects.toThrow('cancelled');
  });
});

describe('countWords', () => {
  it('pre-tokenizes line by line, as HF does when training from a file', async () => {
    // Whole-text GPT-2 splitting would give 'a', ' ', ' \n'... per line, '  \n' stays whole.
    expect([...(await countWords('a  \nb'))]).toEqual([
      ['a', 1],
      ['  \n', 1],
      ['b', 1],
    ]);
    expect([...(await countWords("the cat\nthe cat's"))]).toEqual([
      ['the', 2],
      [' cat', 2],
      ['\n', 1],
      ["'s", 1],
    ]);
  });
});

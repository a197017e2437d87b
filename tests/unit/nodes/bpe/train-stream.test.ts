/**
 * Streaming training: a corpus counted chunk by chunk (WordCounter) and trained from bytes
 * (trainBpeFromStream) gives exactly the words and merges of the whole text, and HF's merges,
 * wherever the chunks are cut: inside a word, inside a CRLF, inside a UTF-8 character, inside a
 * contraction, inside a surrogate pair.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countWords, WordCounter, wordAt, type WordTable } from '@/nodes/bpe/count-words';
import { trainBpe } from '@/nodes/bpe/train-bpe';
import { trainBpeFromStream } from '@/nodes/bpe/train-stream';
import type { TrainingProgressData } from '@/nodes/bpe/training-progress';
import type { MergeRule } from '@/nodes/bpe/types';
import { extractJsonlField } from '@/nodes/text/jsonl';
import { emojiCorpus, englishCorpus, odiaCorpus } from '@/scripts/make-corpora';
import { trainWithHuggingFace } from './references';

const pairs = (merges: readonly MergeRule[]) => merges.map((m) => `${m.left} ${m.right}`);

function tableAsMap(table: WordTable): Map<string, number> {
  const map = new Map<string, number>();
  for (let w = 0; w < table.size; w++) map.set(wordAt(table, w), table.count[w]!);
  return map;
}

/** The words of `text` counted in pieces cut at `cuts` (code-unit offsets). */
function countInPieces(text: string, cuts: number[]): Map<string, number> {
  const counter = new WordCounter();
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    counter.add(text.slice(from, cut));
    from = cut;
  }
  counter.add(text.slice(from));
  return tableAsMap(counter.finish());
}

/** A byte stream of `bytes` cut at the given byte offsets. */
async function* byteChunks(bytes: Uint8Array, cuts: number[]): AsyncGenerator<Uint8Array> {
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    yield bytes.subarray(from, cut);
    from = cut;
  }
}

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('WordCounter', () => {
  it('counts the same words in pieces as whole, for any text and any cuts', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'b', ' ', '  ', '\n', '\r\n', "'", "'re", "'ll", 's', 'e', '1', '.', 'é', 'ଓ', 'ା', '😀', '\ud83d', '\ude00', '\u00a0', '\t'), maxLength: 60 }),
        fc.array(fc.nat(60), { maxLength: 8 }),
        (text, cuts) => {
          const whole = countWords(text);
          const pieces = countInPieces(text, cuts.map((c) => Math.min(c, text.length)));
          expect([...pieces]).toEqual([...whole]);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('keeps a word, a CRLF, a contraction, a space run and a surrogate pair whole across a cut', () => {
    const text = "hello world\r\nthey're  here 😀x";
    const whole = [...countWords(text)];
    for (const cut of [3, 12, 17, 19, 21, 26, 27]) expect([...countInPieces(text, [cut])]).toEqual(whole);
    expect(whole).toContainEqual([' 😀', 1]);
    expect(whole).toContainEqual(["'re", 1]);
  });

  it('counts nothing twice and loses nothing when fed one code unit at a time', () => {
    const text = englishCorpus(20_000) + '\r\n' + odiaCorpus(5_000) + emojiCorpus(5_000);
    const counter = new WordCounter();
    for (const ch of text.split('')) counter.add(ch);
    const table = counter.finish();
    expect(tableAsMap(table)).toEqual(countWords(text));
    expect(table.total).toBe([...countWords(text).values()].reduce((a, b) => a + b, 0));
  });

  it('refuses more text after finish', () => {
    const counter = new WordCounter();
    counter.finish();
    expect(() => counter.add('more')).toThrow('after finish');
  });
});

describe('trainBpeFromStream', () => {
  it('makes the merges of the whole text, with bytes cut inside a word, a CRLF and multi-byte characters', async () => {
    const text = 'ଓଡ଼ିଆ ଭାଷା hello\r\nhello 😀😀 world\r\n'.repeat(40) + englishCorpus(30_000);
    const bytes = utf8(text);
    const at = (s: string, extra = 0) => utf8(text.slice(0, text.indexOf(s))).length + extra;
    const cuts = [
      at('ଡ଼', 1), // inside a 3-byte Odia character
      at('llo\r'), // inside a word
      at('\r\n', 1), // between \r and \n
      at('😀', 2), // inside a 4-byte emoji
      at('world', 3),
    ].sort((a, b) => a - b);
    const whole = await trainBpe(text, { vocabSize: 600 });
    const streamed = await trainBpeFromStream(byteChunks(bytes, cuts), { vocabSize: 600 });
    expect(pairs(streamed.merges)).toEqual(pairs(whole.merges));
    expect(streamed.tokens).toEqual(whole.tokens);
    expect(streamed.merges.map((m) => m.count)).toEqual(whole.merges.map((m) => m.count));
    expect(streamed.bytesRead).toBe(bytes.length);
    expect(streamed.totalWords).toBe(whole.totalWords);
  });

  it("makes exactly HF's merges on a CRLF, Odia and emoji corpus streamed in 7-byte chunks", async () => {
    const text = (englishCorpus(60_000) + '\n' + odiaCorpus(30_000) + '\n' + emojiCorpus(30_000)).replaceAll('\n', '\r\n');
    const bytes = utf8(text);
    const cuts = Array.from({ length: Math.floor(bytes.length / 7) }, (_, i) => (i + 1) * 7);
    const hf = trainWithHuggingFace(text);
    const ours = await trainBpeFromStream(byteChunks(bytes, cuts), { vocabSize: 30000 });
    const compared = ours.stoppedBecause === 'no-pairs-left' ? hf.merges : hf.merges.slice(0, ours.merges.length);
    expect(pairs(ours.merges)).toEqual(pairs(compared));
    expect(ours.merges.length).toBeGreaterThan(1000);
  });

  it('reads a ReadableStream (as File.stream() gives) and reports bytes, words, merges and time left', async () => {
    const text = englishCorpus(200_000);
    const bytes = utf8(text);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.length; at += 65536) controller.enqueue(bytes.slice(at, at + 65536));
        controller.close();
      },
    });
    const reports: { fraction: number; message?: string; data?: TrainingProgressData }[] = [];
    const streamed = await trainBpeFromStream(stream, { vocabSize: 2000 }, {
      totalBytes: bytes.length,
      progress: (fraction, message, data) => reports.push({ fraction, message, data }),
    });
    expect(pairs(streamed.merges)).toEqual(pairs((await trainBpe(text, { vocabSize: 2000 })).merges));
    const merging = reports.find((r) => r.data?.phase === 'merging');
    expect(merging?.data).toMatchObject({ read: bytes.length, total: bytes.length, words: streamed.totalWords, targetMerges: 2000 - 256 });
    expect(merging?.message).toMatch(/words \([\d,]+ different\) · 0 of 1,744 merges/);
    expect(reports.at(-1)).toMatchObject({ fraction: 1, data: { phase: 'done', merges: streamed.merges.length } });
    const fractions = reports.map((r) => r.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
  });

  it('trains on a JSON Lines field exactly as on the extracted text, skipping broken lines', async () => {
    const records = englishCorpus(40_000).split('. ').map((s, i) => JSON.stringify({ id: i, text: s, other: 'x' }));
    records.splice(3, 0, '{broken', '[1,2]', '{"id":5}', '   ');
    const raw = records.join('\r\n');
    const bytes = utf8(raw);
    const cuts = Array.from({ length: 40 }, (_, i) => Math.floor(((i + 1) * bytes.length) / 41));
    const streamed = await trainBpeFromStream(byteChunks(bytes, cuts), { vocabSize: 800 }, { jsonlField: 'text' });
    const whole = await trainBpe(extractJsonlField(raw, 'text'), { vocabSize: 800 });
    expect(pairs(streamed.merges)).toEqual(pairs(whole.merges));
    expect(streamed.skippedLines).toBe(3);
  });

  it('stops when its checkpoint throws (Stop), before reading the rest', async () => {
    let chunksRead = 0;
    async function* endless(): AsyncGenerator<Uint8Array> {
      for (;;) {
        chunksRead++;
        yield utf8('the same sentence again and again\n'.repeat(100));
      }
    }
    let calls = 0;
    const stopped = trainBpeFromStream(endless(), { vocabSize: 300 }, {
      checkpoint: async () => {
        if (++calls === 5) throw new DOMException('stopped', 'AbortError');
      },
    });
    await expect(stopped).rejects.toThrow('stopped');
    expect(chunksRead).toBe(5);
  });

  it('gives invalid UTF-8 as U+FFFD and keeps a BOM, as reading the file as text does', async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0x62, 0xff, 0x61, 0x62, 0xc3]);
    const asText = Buffer.from(bytes).toString('utf8');
    const streamed = await trainBpeFromStream(byteChunks(bytes, [1, 5, 8]), { vocabSize: 300 });
    const whole = await trainBpe(asText, { vocabSize: 300 });
    expect(pairs(streamed.merges)).toEqual(pairs(whole.merges));
    expect(asText.startsWith('\ufeff')).toBe(true);
  });
});

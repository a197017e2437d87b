/**
 * Pre-tokenization throughput in Node, side by side with the bare reference: the same GPT-2
 * pattern as gpt-tokenizer ships it (R50K_TOKEN_SPLIT_REGEX), matched with no bookkeeping.
 *
 * Rows: the Pretokenize node's output (a Piece object per piece: text, offsets, shown form; for
 * ByteLevel also the byte mapping), the scanner's offsets alone in a typed array (what training
 * and encoding use, bpe/gpt2-split.ts), and training's whole counting phase (offsets + the
 * unique-word table, bpe/count-words.ts). Each is MB/s over at least 1.5 s of repeated runs, so
 * the garbage collector's cost for what a run keeps is included.
 *
 * Run: npx tsx bench/pretokenize.ts
 */
import { R50K_TOKEN_SPLIT_REGEX } from 'gpt-tokenizer/esm/encodingParams/constants';
import { WordCounter } from '@/nodes/bpe/count-words';
import { gpt2PieceEnd } from '@/nodes/bpe/gpt2-split';
import { pretokenize } from '@/nodes/pretokenize/pretokenize';
import { TEXT_SAMPLES } from '@/nodes/text/samples';

function corpus(bytes: number): string {
  const base = TEXT_SAMPLES.map((s) => s.text).join('\n\n');
  return base.repeat(Math.ceil(bytes / base.length)).slice(0, bytes);
}

function mbPerSecond(text: string, fn: () => void, minMs = 1500): number {
  const size = new TextEncoder().encode(text).length / 1e6;
  fn(); // warm up
  let runs = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < minMs) {
    fn();
    runs++;
  }
  return (size * runs) / ((performance.now() - t0) / 1000);
}

/** Piece boundaries as [start, end) pairs in an Int32Array: no object per piece. */
function scannerOffsets(text: string): Int32Array {
  let out = new Int32Array(1 << 16);
  let n = 0;
  for (let start = 0; start < text.length; ) {
    const end = gpt2PieceEnd(text, start);
    if (n + 2 > out.length) {
      const grown = new Int32Array(out.length * 2);
      grown.set(out);
      out = grown;
    }
    out[n++] = start;
    out[n++] = end;
    start = end;
  }
  return out.subarray(0, n);
}

export function benchPretokenize() {
  const text = corpus(2_000_000);
  const reference = mbPerSecond(text, () => {
    let n = 0;
    for (const _ of text.matchAll(new RegExp(R50K_TOKEN_SPLIT_REGEX.source, 'gu'))) n++;
    if (n === 0) throw new Error('no matches');
  });
  const gpt2 = mbPerSecond(text, () => pretokenize(text, 'gpt2'));
  const bytelevel = mbPerSecond(text, () => pretokenize(text, 'bytelevel'));
  const offsets = mbPerSecond(text, () => scannerOffsets(text));
  const counting = mbPerSecond(text, () => {
    const counter = new WordCounter();
    counter.add(text);
    counter.finish();
  });
  return { reference, gpt2, bytelevel, offsets, counting };
}

export function printPretokenize(r: ReturnType<typeof benchPretokenize>): void {
  const row = (rate: number) => ({ 'MB/s': rate.toFixed(1), ratio: (rate / r.reference).toFixed(2) });
  console.table({
    'GPT-2 regex alone (gpt-tokenizer pattern, reference)': row(r.reference),
    'Pretokenize gpt2 (Piece objects: text + offsets)': row(r.gpt2),
    'Pretokenize bytelevel (+ byte mapping)': row(r.bytelevel),
    'GPT-2 offsets (scanner, typed array; training, encoding)': row(r.offsets),
    'Counting phase of training (offsets + unique-word table)': row(r.counting),
  });
}

if (import.meta.url === `file://${process.argv[1]}`) printPretokenize(benchPretokenize());

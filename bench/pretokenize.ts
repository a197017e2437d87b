/**
 * Pre-tokenization throughput in Node, side by side with the bare reference: the same GPT-2
 * pattern as gpt-tokenizer ships it (R50K_TOKEN_SPLIT_REGEX), matched with no bookkeeping. Our
 * pass also records offsets and, for ByteLevel, maps every piece's bytes.
 *
 * Run: npx tsx bench/pretokenize.ts
 */
import { R50K_TOKEN_SPLIT_REGEX } from 'gpt-tokenizer/esm/encodingParams/constants';
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

export function benchPretokenize() {
  const text = corpus(2_000_000);
  const reference = mbPerSecond(text, () => {
    let n = 0;
    for (const _ of text.matchAll(new RegExp(R50K_TOKEN_SPLIT_REGEX.source, 'gu'))) n++;
    if (n === 0) throw new Error('no matches');
  });
  const gpt2 = mbPerSecond(text, () => pretokenize(text, 'gpt2'));
  const bytelevel = mbPerSecond(text, () => pretokenize(text, 'bytelevel'));
  return { reference, gpt2, bytelevel };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = benchPretokenize();
  console.table({
    'GPT-2 regex alone (gpt-tokenizer pattern)': { 'MB/s': r.reference.toFixed(1), ratio: '1.00' },
    'Pretokenize gpt2 (pieces + offsets)': { 'MB/s': r.gpt2.toFixed(1), ratio: (r.gpt2 / r.reference).toFixed(2) },
    'Pretokenize bytelevel (+ byte mapping)': { 'MB/s': r.bytelevel.toFixed(1), ratio: (r.bytelevel / r.reference).toFixed(2) },
  });
}

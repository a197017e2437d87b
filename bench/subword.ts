/**
 * WordPiece and Unigram training benchmark, side by side with their references, each run in its
 * own child process (time = read file + train; peak RSS of that process alone):
 * - WordPiece vs HF `tokenizers` (WordPieceTrainer, BERT normaliser and pre-tokenizer, vocab 30000,
 *   the binding's only setting; RAYON_NUM_THREADS=1), on 5 MB of English and the Odia corpus (1M characters, 2.7 MB). The
 *   vocabulary is checked identical, id for id, given the HF run's start order (see
 *   nodes/wordpiece/train-wordpiece.ts on why HF's own runs differ), and 1 MB of held-out text is
 *   encoded by HF's trained model and ours.
 * - Unigram vs `spm_train --model_type=unigram --num_threads=1 --normalization_rule_name=identity`
 *   at 8000 pieces (4000 on Odia: the generated corpus supports at most 4,049), on the same corpora
 *   one sentence per line: pieces shared, largest score
 *   difference, held-out words encoded identically (spm_encode vs ours).
 *
 *   npx tsx scripts/make-corpora.ts && npx tsx bench/subword.ts
 *
 * Times are wall and CPU (user + system) time; on a shared machine the CPU ratio is the steadier.
 *
 * Not handled here: asserting speed (tests never time things).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UnigramEncoder } from '../nodes/unigram/encode-unigram';
import { fromSpmModel } from '../nodes/unigram/spm-model';
import { trainUnigram } from '../nodes/unigram/train-unigram';
import { BERT_TEXT_DEFAULTS } from '../nodes/wordpiece/bert-text';
import { WordPieceEncoder } from '../nodes/wordpiece/encode-wordpiece';
import { trainWordPiece } from '../nodes/wordpiece/train-wordpiece';
import { englishCorpus, odiaCorpus, sentencesPerLine } from '../scripts/make-corpora';

const require = createRequire(import.meta.url);
const corporaDir = join(dirname(fileURLToPath(import.meta.url)), 'corpora');
const ODIA_TEXT = { ...BERT_TEXT_DEFAULTS, lowercase: false, stripAccents: false };

interface Run {
  ms: number;
  /** User + system CPU time: steadier than wall time on a shared machine. */
  cpuMs: number;
  maxRssMb: number;
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(since);
  return (c.user + c.system) / 1000;
};

// ------------------------------------------------------------ child processes

async function child(kind: string, file: string, out: string, extra: string | undefined): Promise<void> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const text = readFileSync(file, 'utf8');
  const odia = file.includes('odia');
  if (kind === 'wp-ours') {
    const startOrder = extra ? (JSON.parse(readFileSync(extra, 'utf8')) as string[]) : undefined;
    const wp = await trainWordPiece(text, { vocabSize: 30000, text: odia ? ODIA_TEXT : BERT_TEXT_DEFAULTS, startOrder });
    const ms = performance.now() - start;
    writeFileSync(out + '.tokens.json', JSON.stringify(wp.tokens));
    writeFileSync(out, JSON.stringify({ ms, cpuMs: cpuMs(cpu), maxRssMb: process.resourceUsage().maxRSS / 1024 }));
  } else if (kind === 'wp-hf') {
    const { Tokenizer, WordPiece, bertNormalizer, bertPreTokenizer } = require('tokenizers') as typeof import('tokenizers');
    const tokenizer = new Tokenizer(WordPiece.empty() as never);
    tokenizer.setNormalizer(bertNormalizer(odia ? { lowercase: false, stripAccents: false } : {}));
    tokenizer.setPreTokenizer(bertPreTokenizer());
    tokenizer.train([file]);
    const ms = performance.now() - start;
    const cpuTime = cpuMs(cpu);
    const rss = process.resourceUsage().maxRSS / 1024;
    tokenizer.save(out + '.tokenizer.json');
    const vocab = (JSON.parse(readFileSync(out + '.tokenizer.json', 'utf8')) as { model: { vocab: Record<string, number> } }).model.vocab;
    const tokens: string[] = [];
    for (const [t, id] of Object.entries(vocab)) tokens[id] = t;
    writeFileSync(out + '.tokens.json', JSON.stringify(tokens));
    writeFileSync(out, JSON.stringify({ ms, cpuMs: cpuTime, maxRssMb: rss }));
  } else if (kind === 'uni-ours') {
    const uni = await trainUnigram(text, { vocabSize: Number(extra) });
    const ms = performance.now() - start;
    writeFileSync(out + '.model.json', JSON.stringify(uni.pieces));
    writeFileSync(out, JSON.stringify({ ms, cpuMs: cpuMs(cpu), maxRssMb: process.resourceUsage().maxRSS / 1024 }));
  }
}

function runChild(kind: string, file: string, work: string, extra?: string): Run & { out: string } {
  const out = join(work, `${kind}-${file.split('/').pop()}-${extra ? 'ordered' : 'plain'}.json`);
  execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', kind, file, out, ...(extra ? [extra] : [])], {
    env: { ...process.env, RAYON_NUM_THREADS: '1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return { ...(JSON.parse(readFileSync(out, 'utf8')) as Run), out };
}

/** spm_train under Python's getrusage, for its peak RSS. */
function runSpm(file: string, work: string, vocabSize: number): Run & { prefix: string } {
  const prefix = join(work, `spm-${file.split('/').pop()}`);
  const args = ['spm_train', `--input=${file}`, `--model_prefix=${prefix}`, `--vocab_size=${vocabSize}`, '--model_type=unigram', '--num_threads=1', '--normalization_rule_name=identity'];
  const script = 'import resource,subprocess,sys,time\nt=time.time()\nsubprocess.run(sys.argv[1:],check=True,capture_output=True)\nr=resource.getrusage(resource.RUSAGE_CHILDREN)\nprint((time.time()-t)*1000, (r.ru_utime+r.ru_stime)*1000, r.ru_maxrss/1024)';
  const [ms, cpu, rss] = execFileSync('/usr/bin/python3', ['-c', script, ...args]).toString().trim().split(' ').map(Number);
  return { ms: ms!, cpuMs: cpu!, maxRssMb: rss!, prefix };
}

// ------------------------------------------------------------ main

const num = (x: number, digits = 2) => x.toFixed(digits);

function table(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ') + ' |';
  console.log(line(header));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const r of rows) console.log(line(r));
  console.log();
}

/** HF's trained WordPiece (with [UNK] added to its vocabulary) and ours on 1 MB of held-out text. */
async function heldOutWordPiece(hfFile: string, tokens: string[], odia: boolean): Promise<string> {
  const { Tokenizer } = require('tokenizers') as typeof import('tokenizers');
  const saved = JSON.parse(readFileSync(hfFile, 'utf8')) as { model: { vocab: Record<string, number> } };
  saved.model.vocab['[UNK]'] = tokens.length;
  const hf = Tokenizer.fromString(JSON.stringify(saved));
  const text = odia ? odiaCorpus(1_000_000, 99) : englishCorpus(1_000_000, 7_000_000);
  const lines = sentencesPerLine(text).split('\n').filter(Boolean);
  const encoder = new WordPieceEncoder({ tokens: [...tokens, '[UNK]'], prefix: '##', unkToken: '[UNK]', maxInputCharsPerWord: 100, specialTokens: [], text: odia ? ODIA_TEXT : BERT_TEXT_DEFAULTS });
  let differ = 0;
  let ids = 0;
  for (let i = 0; i < lines.length; i += 1000) {
    const batch = lines.slice(i, i + 1000);
    const theirs = await hf.encodeBatch(batch, { addSpecialTokens: false });
    batch.forEach((line, k) => {
      const ours = encoder.encode(line);
      ids += ours.length;
      if (ours.join(' ') !== theirs[k]!.getIds().join(' ')) differ++;
    });
  }
  return differ === 0 ? `identical (${ids.toLocaleString('en')} ids)` : `${differ} of ${lines.length} lines DIFFER`;
}

async function benchWordPiece(work: string): Promise<void> {
  console.log('## WordPiece training (vocab 30000) vs HF tokenizers, one thread\n');
  const rows: string[][] = [];
  for (const name of ['english-5mb.txt', 'odia.txt']) {
    const file = join(corporaDir, name);
    const hf = runChild('wp-hf', file, work);
    const ours = runChild('wp-ours', file, work);
    const hfTokens = JSON.parse(readFileSync(hf.out + '.tokens.json', 'utf8')) as string[];
    const isStart = (t: string) => [...t].length === 1 || (t.startsWith('##') && [...t].length === 3);
    const order: string[] = [];
    for (const t of hfTokens) {
      if (!isStart(t)) break;
      order.push(t);
    }
    writeFileSync(join(work, 'order.json'), JSON.stringify(order));
    const ordered = runChild('wp-ours', file, work, join(work, 'order.json'));
    const same = readFileSync(ordered.out + '.tokens.json', 'utf8') === JSON.stringify(hfTokens);
    const own = new Set(JSON.parse(readFileSync(ours.out + '.tokens.json', 'utf8')) as string[]);
    const shared = hfTokens.filter((t) => own.has(t)).length / hfTokens.length;
    const heldOut = await heldOutWordPiece(hf.out + '.tokenizer.json', hfTokens, name.includes('odia'));
    rows.push([name, 'HF tokenizers, 1 thread', num(hf.ms / 1000), num(hf.cpuMs / 1000), num(hf.maxRssMb, 0), String(hfTokens.length), 'reference', '1.00', '1.00', '1.00', 'reference']);
    rows.push([name, 'ours (own start order)', num(ours.ms / 1000), num(ours.cpuMs / 1000), num(ours.maxRssMb, 0), String(own.size), `${num(shared * 100, 2)} % shared`, num(ours.ms / hf.ms), num(ours.cpuMs / hf.cpuMs), num(ours.maxRssMb / hf.maxRssMb), '']);
    rows.push([name, 'ours (HF run’s start order)', num(ordered.ms / 1000), num(ordered.cpuMs / 1000), num(ordered.maxRssMb, 0), String(hfTokens.length), same ? 'identical, id for id' : 'DIFFERENT', num(ordered.ms / hf.ms), num(ordered.cpuMs / hf.cpuMs), num(ordered.maxRssMb / hf.maxRssMb), heldOut]);
  }
  table(['corpus', 'trainer', 'time s', 'CPU s', 'peak RSS MB', 'vocab', 'vocab vs HF', 'time / HF', 'CPU / HF', 'RSS / HF', 'encoding 1 MB held out'], rows);
}

function benchUnigram(work: string): void {
  console.log('## Unigram training vs spm_train --num_threads=1\n');
  const rows: string[][] = [];
  const heldOut: Record<string, string[]> = {
    'english-5mb-lines.txt': sentencesPerLine(englishCorpus(300_000, 6_000_000)).split('\n').filter(Boolean),
    'odia-lines.txt': sentencesPerLine(odiaCorpus(200_000, 99)).split('\n').filter(Boolean),
  };
  // The generated Odia corpus supports at most 4,049 pieces (spm_train refuses more, and so do we).
  const sizes: Record<string, number> = { 'english-5mb-lines.txt': 8000, 'odia-lines.txt': 4000 };
  for (const name of ['english-5mb-lines.txt', 'odia-lines.txt']) {
    const file = join(corporaDir, name);
    const spm = runSpm(file, work, sizes[name]!);
    const ours = runChild('uni-ours', file, work, String(sizes[name]));
    const reference = fromSpmModel(readFileSync(spm.prefix + '.model'));
    const pieces = JSON.parse(readFileSync(ours.out + '.model.json', 'utf8')) as { piece: string; score: number; kind: 'normal' }[];
    const theirs = new Map(reference.pieces.map((p) => [p.piece, p.score]));
    let shared = 0;
    let sameId = 0;
    let maxDiff = 0;
    pieces.forEach((p, id) => {
      const score = theirs.get(p.piece);
      if (score !== undefined) {
        shared++;
        maxDiff = Math.max(maxDiff, Math.abs(score - p.score));
      }
      if (reference.pieces[id]?.piece === p.piece) sameId++;
    });
    // Held-out words: spm_encode on the held-out lines against ours, word by word.
    const lines = heldOut[name]!;
    writeFileSync(join(work, 'held.txt'), lines.join('\n') + '\n');
    // Ids, named by the reference's pieces (spm's piece output writes <unk> as the text it covers).
    const spmIds = execFileSync('spm_encode', [`--model=${spm.prefix}.model`, '--output_format=id', `--input=${join(work, 'held.txt')}`], { maxBuffer: 1 << 28 })
      .toString()
      .split('\n')
      .map((l) => l.split(' ').filter(Boolean).map((id) => reference.pieces[Number(id)]!.piece).join(' '));
    const encoder = new UnigramEncoder({ ...reference, pieces });
    let words = 0;
    let same = 0;
    lines.forEach((line, i) => {
      const ourPieces = encoder.encode(line).map((id) => pieces[id]!.piece);
      const split = (ps: string[]) => ps.join(' ').split(/ (?=▁)/);
      const a = split(ourPieces);
      const b = split((spmIds[i] ?? '').split(' ').filter(Boolean));
      words += b.length;
      b.forEach((w, k) => (same += a[k] === w ? 1 : 0));
    });
    rows.push([`${name} (${sizes[name]} pieces)`, 'spm_train, 1 thread', num(spm.ms / 1000), num(spm.cpuMs / 1000), num(spm.maxRssMb, 0), 'reference', '', '', '1.00', '1.00', '1.00']);
    rows.push([
      `${name} (${sizes[name]} pieces)`,
      'ours',
      num(ours.ms / 1000),
      num(ours.cpuMs / 1000),
      num(ours.maxRssMb, 0),
      `${num((100 * shared) / pieces.length)} % (${sameId} same id)`,
      maxDiff.toExponential(1),
      `${num((100 * same) / words, 3)} % of ${words}`,
      num(ours.ms / spm.ms),
      num(ours.cpuMs / spm.cpuMs),
      num(ours.maxRssMb / spm.maxRssMb),
    ]);
  }
  table(['corpus', 'trainer', 'time s', 'CPU s', 'peak RSS MB', 'pieces shared', 'max score diff', 'held-out words same', 'time / spm', 'CPU / spm', 'RSS / spm'], rows);
}

if (process.argv[2] === '--child') {
  await child(process.argv[3]!, process.argv[4]!, process.argv[5]!, process.argv[6]);
} else {
  const work = mkdtempSync(join(tmpdir(), 'tokenloom-bench-subword-'));
  try {
    await benchWordPiece(work);
    benchUnigram(work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

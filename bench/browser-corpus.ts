/**
 * The browser's streaming BPE training on a 100 MB local file, in Debian's Chromium: the file is
 * read with File.stream() in the page's worker and trained on at vocab 30,000, as a learner
 * choosing "Train on a file in this browser" in the BPE inspector does. Beside it, the same file
 * streamed through the same trainer in Node (bench/bpe.ts's child): the floor our own code sets,
 * so the ratio is what the browser costs.
 *
 * Reports: seconds until the file is read, until training ends; MB/s; the merges made in each
 * (they must be equal); and the load average (a loaded machine is slower in both).
 *
 * Run: npx next build && npx tsx scripts/make-corpora.ts && npx tsx bench/browser-corpus.ts
 * (BENCH_BROWSER_CORPUS: another file of bench/corpora/; BENCH_SERVER_PORT: another port than 3192)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH, startServer } from './serve';

const PORT = Number(process.env.BENCH_SERVER_PORT ?? 3192);
const FILE = join('bench', 'corpora', process.env.BENCH_BROWSER_CORPUS ?? 'english-100mb.txt');
const VOCAB = 30_000;

interface BrowserRun {
  readS: number;
  totalS: number;
  merges: number;
}

async function inChromium(): Promise<BrowserRun> {
  const server = await startServer(PORT);
  try {
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    await page.goto(`${server.url}/?template=vocab`);
    const bpe = page.getByTestId('node-bpe');
    await bpe.getByTestId('node-status').and(page.locator('[data-status="done"], [data-status="cached"]')).waitFor({ timeout: 120_000 });
    await bpe.locator('span.font-semibold').first().click();
    await page.getByLabel('Vocabulary size (256 bytes + merges + specials)').fill(String(VOCAB));
    // As the Node run and HF's trainer: every pair may merge (the template keeps pairs seen twice),
    // and no special token takes a place in the vocabulary.
    await page.getByLabel('Minimum pair count to merge').fill('0');
    await page.getByLabel('Special tokens (comma-separated)').fill('');
    await bpe.getByTestId('node-status').and(page.locator('[data-status="done"], [data-status="cached"]')).waitFor({ timeout: 600_000 });
    // Times are taken in the page: the first progress line past reading, and the trained result.
    await page.evaluate(() => {
      const w = window as unknown as { __read?: number; __done?: number; __start?: number };
      new MutationObserver(() => {
        const line = document.querySelector('[data-testid="node-bpe"] [data-testid="node-progress"]')?.textContent ?? '';
        if (w.__read === undefined && / merges/.test(line)) w.__read = performance.now();
        if (w.__done === undefined && document.querySelector('[data-testid="corpus-file-words"]')) w.__done = performance.now();
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    const chooser = page.waitForEvent('filechooser');
    await page.getByTestId('corpus-file-local').click();
    await page.evaluate(() => ((window as unknown as { __start: number }).__start = performance.now()));
    await (await chooser).setFiles(FILE);
    await page.getByTestId('corpus-file-words').waitFor({ timeout: 3_600_000 });
    const t = await page.evaluate(() => {
      const w = window as unknown as { __read?: number; __done?: number; __start: number };
      return { read: w.__read ?? Number.NaN, done: w.__done ?? performance.now(), start: w.__start };
    });
    const merges = Number((await page.getByTestId('inspector').getByTestId('bpe-stat-merges').textContent())!.replace(/,/g, ''));
    await browser.close();
    return { readS: (t.read - t.start) / 1000, totalS: (t.done - t.start) / 1000, merges };
  } finally {
    server.stop();
  }
}

/** The same file streamed through the same trainer in Node, in a child process (bench/bpe.ts). */
function inNode(): { totalS: number; cpuS: number; merges: number; rssMb: number } {
  const work = mkdtempSync(join(tmpdir(), 'tokenloom-bench-browser-corpus-'));
  try {
    const out = join(work, 'node.json');
    execFileSync(process.execPath, ['--import', 'tsx', 'bench/bpe.ts', '--child', 'train-ours-stream', FILE, String(VOCAB), out], { stdio: ['ignore', 'ignore', 'inherit'] });
    const r = JSON.parse(readFileSync(out, 'utf8')) as { ms: number; cpuMs: number; merges: number; maxRssMb: number };
    return { totalS: r.ms / 1000, cpuS: r.cpuMs / 1000, merges: r.merges, rssMb: r.maxRssMb };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (!existsSync(FILE)) {
  console.error(`${FILE} is missing: run \`npx tsx scripts/make-corpora.ts\` first`);
  process.exit(1);
}
const mb = statSync(FILE).size / 1e6;
const browserRun = await inChromium();
const nodeRun = inNode();
console.log(`Streaming BPE training of ${FILE} (${mb.toFixed(0)} MB, vocab ${VOCAB.toLocaleString('en')}); load average ${loadavg().map((l) => l.toFixed(1)).join(', ')} (${cpus().length} cores)`);
console.table({
  'Chromium (File.stream() in the worker)': {
    'file read s': browserRun.readS.toFixed(1),
    'total s': browserRun.totalS.toFixed(1),
    'MB/s': (mb / browserRun.totalS).toFixed(1),
    merges: browserRun.merges,
    'time / Node': (browserRun.totalS / nodeRun.totalS).toFixed(2),
  },
  'Node (createReadStream, same trainer)': {
    'file read s': '',
    'total s': nodeRun.totalS.toFixed(1),
    'MB/s': (mb / nodeRun.totalS).toFixed(1),
    merges: nodeRun.merges,
    'time / Node': '1.00',
  },
});
if (browserRun.merges !== nodeRun.merges) console.log(`MERGES DIFFER: ${browserRun.merges} in Chromium, ${nodeRun.merges} in Node`);

/**
 * Corpus files in a real Chromium: a 5 MB corpus uploaded to the server and trained on by a server
 * run; a 20 MB local file read as a stream in the browser's worker, trained on with progress on
 * the node, and stopped.
 */
import { expect, test, type Page } from '@playwright/test';
import { englishCorpus } from '@/scripts/make-corpora';
import { inspect } from './helpers';

/**
 * Every line the BPE node's progress shows, as it is drawn, while the node runs: a MutationObserver
 * in the page, so a line shown between two of the test's polls is still seen. With `stopAt`, it
 * presses the node's own Stop the moment a line matching it is drawn, from inside the page: a node
 * that reports progress shows Stop with it, and a fast machine may finish in the time a test takes
 * to find the button. With `markWhen`, the moment the corpus file line first shows that text is
 * noted in the page too (`window.__mark`), so lines drawn after it can be told apart exactly: on a
 * fast machine the whole training takes half a second, less than one poll of an `expect`.
 */
async function recordProgress(page: Page, opts: { stopAt?: RegExp; markWhen?: string } = {}) {
  await page.evaluate(({ stopAt, markWhen }) => {
    const seen: { at: number; text: string }[] = [];
    const w = window as unknown as { __progress: typeof seen; __mark?: number };
    w.__progress = seen;
    const observer = new MutationObserver(() => {
      if (markWhen && w.__mark === undefined && document.querySelector('[data-testid="corpus-file-current"]')?.textContent?.includes(markWhen)) {
        w.__mark = performance.now();
      }
      const node = document.querySelector('[data-testid="node-bpe"]');
      const line = node?.querySelector('[data-testid="node-progress"]')?.textContent;
      if (!line || seen.at(-1)?.text === line) return;
      seen.push({ at: performance.now(), text: line });
      if (stopAt && new RegExp(stopAt).test(line)) {
        const stop = node!.querySelector<HTMLButtonElement>('[data-testid="node-stop"]');
        if (stop) stop.click();
        else seen.push({ at: performance.now(), text: '(no Stop button on the running node)' });
        observer.disconnect();
      }
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  }, { stopAt: opts.stopAt?.source, markWhen: opts.markWhen });
  return {
    lines: () => page.evaluate(() => (window as unknown as { __progress: { at: number; text: string }[] }).__progress),
    mark: () => page.evaluate(() => (window as unknown as { __mark?: number }).__mark ?? null),
  };
}

async function chooseFile(page: Page, button: string, name: string, text: string) {
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId(button).click();
  await (await chooser).setFiles({ name, mimeType: 'text/plain', buffer: Buffer.from(text) });
}

test('a 5 MB corpus uploaded to the server trains in a server run', async ({ page }, testInfo) => {
  await page.goto('/?template=vocab');
  await expect(page.getByTestId('node-bpe').getByTestId('node-status')).toHaveAttribute('data-status', /done|cached/);
  await page.getByTestId('run-on-server').click();
  await expect(page.getByTestId('run-status')).toContainText('Server · Node');
  await inspect(page, 'bpe');
  await page.getByLabel('Vocabulary size (256 bytes + merges + specials)').fill('20000');

  const stored = 'sotu-5mb.txt (5.0 MB), stored on the server';
  const progress = await recordProgress(page, { markWhen: stored });
  // A last line of its own, so the server has not trained on this very file before (the same
  // server serves a repeated test, and its cache would answer).
  const own = `\nRun ${testInfo.repeatEachIndex}.${testInfo.retry} at ${Date.now()}.`;
  await chooseFile(page, 'corpus-file-upload', 'sotu-5mb.txt', englishCorpus(5_000_000 - own.length) + own);
  await expect(page.getByTestId('corpus-file-current')).toContainText(stored, { timeout: 90_000 });
  // The node was done before the file came (the template's own text): wait for the result of
  // training on the file itself, not for a status that may still be the old run's.
  await expect(page.getByTestId('corpus-file-words')).toContainText(/Trained on 5\.0 MB: [\d,]{7,} words counted, [\d,]+ of them different\./, { timeout: 120_000 });
  await expect(page.getByTestId('node-bpe').getByTestId('node-status')).toHaveAttribute('data-status', 'done');
  // The server's progress reached the node while it trained. Every line drawn is one of the three
  // shapes: bytes read and words counted; merges done of the target; preparing the results. How
  // many lines show, and of which phases, depends on the machine's speed (events that arrive
  // together are drawn once, as the latest), so the test asks for one at least.
  // Lines drawn from the moment the file showed as stored are the file's training (an earlier run
  // on the template's text may have drawn its own before).
  const storedAt = await progress.mark();
  expect(storedAt).not.toBeNull();
  const lines = (await progress.lines()).filter((p) => p.at >= storedAt!).map((p) => p.text);
  expect(lines.length).toBeGreaterThan(0);
  const shapes = [
    /^[\d.]+ MB of 5\.0 MB read · [\d,]+ words counted( · (about \d+ (s|min)|under a second) left, then merging)?$/,
    /^[\d,]{7,} words \([\d,]+ different\) · [\d,]+ of 19,\d{3} merges( · (about \d+ (s|min)|under a second) left)?$/,
    /^[\d,]{7,} words \([\d,]+ different\) · [\d,]+ merges made · preparing the results$/,
  ];
  expect(lines.filter((l) => !shapes.some((s) => s.test(l)))).toEqual([]);
  await expect(page.getByTestId('node-bpe').getByTestId('node-status')).toContainText('server');
  await expect(page.getByTestId('inspector').getByTestId('bpe-stat-merges')).toHaveText(/^1\d,\d{3}$/);
});

test('a 20 MB local file trains in the browser with progress, and Stop ends it', async ({ page }) => {
  await page.goto('/?template=vocab');
  await expect(page.getByTestId('node-bpe').getByTestId('node-status')).toHaveAttribute('data-status', /done|cached/);
  await inspect(page, 'bpe');
  await page.getByLabel('Vocabulary size (256 bytes + merges + specials)').fill('30000');
  const corpus = englishCorpus(10_000_000);
  // The BPE node's own Stop (other nodes show theirs while they run), pressed at the file's first line.
  const progress = await recordProgress(page, { stopAt: /MB of 20 MB read/ });
  await chooseFile(page, 'corpus-file-local', 'sotu-20mb.txt', corpus + '\n' + corpus);
  await expect(page.getByTestId('corpus-file-current')).toContainText('sotu-20mb.txt (20 MB), read in this browser', { timeout: 60_000 });
  await expect(page.getByTestId('node-bpe').getByTestId('node-stopped')).toContainText('you pressed Stop', { timeout: 90_000 });
  // The progress it showed was the file's: bytes read of the file's size, and words counted.
  const lines = (await progress.lines()).map((p) => p.text);
  expect(lines.at(-1)).toMatch(/^[\d.]+ MB of 20 MB read · [\d,]+ words counted/);
  await expect(page.getByTestId('node-bpe').getByTestId('node-status')).toHaveAttribute('data-status', 'stopped');
  // Below the stopped tokenizer nothing shows IDs of the vocabulary it was replacing, and the
  // toolbar does not time a run that was stopped.
  for (const below of ['node-ids', 'node-decode']) {
    await expect(page.getByTestId(below).getByTestId('node-stopped')).toHaveText('Not computed: BPE, which it reads from, was stopped.');
  }
  await expect(page.getByTestId('run-status')).toContainText('last run stopped');
  // The page still holds the file: the node does not ask for it again.
  await expect(page.getByTestId('corpus-file-forgotten')).toHaveCount(0);
});

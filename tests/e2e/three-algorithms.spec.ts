import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { fromSpmModel } from '@/nodes/unigram/spm-model';
import { inspect } from './helpers';

const LABELS = ['BPE (trained)', 'WordPiece (trained)', 'Unigram (trained)'];

test('the BPE vs WordPiece vs Unigram template trains all three in the browser and reads their tokenizations', async ({ page }) => {
  await page.goto('/?template=three-algorithms');
  for (const label of LABELS) {
    await expect(page.getByTestId(`compare-row-${label}`)).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId(`compare-tokens-per-word-${label}`)).toHaveText(/^\d+\.\d\d$/);
    await expect(page.getByTestId(`compare-ids-${label}`)).toHaveText(/^\d+( \d+)+$/);
    await expect(page.getByTestId(`compare-only-${label}`)).not.toContainText('(none)');
  }

  // WordPiece: the longest match, one step at a time.
  await inspect(page, 'wordpiece');
  await expect(page.getByTestId('wordpiece-summary')).toContainText('merges');
  await page.getByTestId('wordpiece-trace').getByRole('button', { name: 'unfamiliar', exact: true }).click();
  await expect(page.getByTestId('wordpiece-step')).toHaveCount(1);
  await page.getByTestId('wordpiece-trace').getByRole('button', { name: 'Next step' }).click();
  await expect(page.getByTestId('wordpiece-step')).toHaveCount(2);
  const pieces = (await page.getByTestId('wordpiece-trace-result').textContent())!.split(' ');
  expect(pieces.map((p, i) => (i ? p.replace(/^##/, '') : p)).join('')).toBe('unfamiliar');

  // Unigram: start big and prune; the lattice of a clicked word with its best path.
  await inspect(page, 'unigram');
  await expect(page.getByTestId('unigram-rounds-chart')).toBeVisible();
  const bestPath = page.getByTestId('unigram-best-path');
  await expect(bestPath).toContainText('▁');
  const first = await bestPath.textContent();
  await page.getByTestId('unigram-token-6').click();
  await expect(bestPath).not.toHaveText(first!);
  await expect(page.getByTestId('unigram-lattice').locator('[data-best]').first()).toBeVisible();
});

/** Press an inspector's Export button and read the one file it downloads. */
async function exported(page: Page, name: string): Promise<Buffer> {
  const download = page.waitForEvent('download');
  await page.getByTestId('inspector').getByRole('button', { name, exact: true }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe(name);
  return readFile((await file.path())!);
}

test('WordPiece exports BERT’s vocab.txt and Unigram exports SentencePiece’s own binary model, each with every token it trained', async ({ page }) => {
  await page.goto('/?template=three-algorithms');
  for (const label of LABELS) await expect(page.getByTestId(`compare-row-${label}`)).toBeVisible({ timeout: 60_000 });

  // vocab.txt: one token per line, line number = ID, so as many lines as the vocabulary holds.
  await inspect(page, 'wordpiece');
  const wordpieceSize = Number((await page.getByTestId('wordpiece-summary').textContent())!.match(/to ([\d,]+) tokens\./)![1]!.replace(/,/g, ''));
  const vocab = (await exported(page, 'vocab.txt')).toString('utf8').split('\n').slice(0, -1);
  expect(vocab).toHaveLength(wordpieceSize);
  expect(vocab).toContain('[UNK]');
  expect(vocab.some((token) => token.startsWith('##'))).toBe(true);

  // tokenizer.model: the protobuf bytes themselves (not their base64 text), read back piece by piece.
  await inspect(page, 'unigram');
  const unigramSize = Number((await page.getByTestId('unigram-summary').textContent())!.match(/: ([\d,]+) pieces/)![1]!.replace(/,/g, ''));
  const model = fromSpmModel(new Uint8Array(await exported(page, 'tokenizer.model')));
  expect(model.pieces).toHaveLength(unigramSize);
  expect(model.pieces.some((p) => p.piece.startsWith('▁'))).toBe(true);
});

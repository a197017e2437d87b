import { expect, test } from '@playwright/test';
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

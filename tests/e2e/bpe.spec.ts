import { expect, test } from '@playwright/test';
import { inspect } from './helpers';

test('train BPE on a corpus: merges, replay, ID against frequency, stepping through encode, export', async ({ page }) => {
  await page.goto('/?template=vocab');
  const inspector = page.getByTestId('inspector');
  await expect(inspector.getByTestId('inspector-question')).toHaveText('How is a vocabulary made? Is a token ID its frequency?');
  await expect(inspector.getByTestId('bpe-stat-vocabulary')).toHaveText('1,000');
  const timeline = inspector.getByTestId('merge-timeline');
  await expect(timeline.locator('tbody tr').first()).toContainText('·t');
  await expect(inspector.getByTestId('inversion-example')).toContainText('not how common the token is');

  // The replay slider: with no merges, one token per byte.
  const slider = inspector.getByLabel('Merges applied');
  await slider.fill('0');
  await expect(inspector.getByTestId('bpe-replay')).toContainText('After 0 merges');
  await expect(inspector.getByTestId('bpe-replay')).toContainText('1.000 per character');

  // Step through one word until no merge applies.
  const stepper = inspector.getByTestId('encode-stepper');
  await stepper.getByLabel('Word to encode').selectOption({ label: '" union"' });
  const next = stepper.getByTestId('stepper-next');
  while (await next.isEnabled()) await next.click();
  await expect(stepper.getByTestId('stepper-status')).toContainText('no merge applies any more');

  // Export the trained tokenizer.
  const download = page.waitForEvent('download');
  await inspector.getByRole('button', { name: 'merges.txt' }).click();
  expect((await download).suggestedFilename()).toBe('merges.txt');

  // Typing re-encodes with the trained tokenizer; Decode gives the text back exactly.
  const input = page.getByTestId('node-text').getByTestId('text-input');
  await input.fill('unbroken states');
  await inspect(page, 'decode');
  await expect(page.getByTestId('decoded-text')).toHaveText('unbroken states');
  await expect(page.getByTestId('round-trip')).toContainText('Round trip exact');
});

test('the IDs inspector shows what encode() returns and browses the vocabulary on demand', async ({ page }) => {
  await page.goto('/?template=gpt2-chain');
  await expect(page.getByTestId('node-bpe').getByTestId('node-status')).toHaveAttribute('data-status', /done|cached/);
  await expect(page.getByTestId('faithful-badge')).toContainText('Same IDs as the official GPT-2 tokenizer');
  await inspect(page, 'ids');
  await expect(page.getByTestId('encode-returns')).toContainText('input_ids: [40, 1842, 399, 19930');
  await page.getByLabel('Search the vocabulary').fill('1842');
  await expect(page.getByTestId('vocab-entry')).toHaveCount(1);
  await expect(page.getByTestId('vocab-entry')).toContainText('·love');
});

import { expect, test } from '@playwright/test';
import { dragWire, inspect, openLab } from './helpers';

test('the N-gram node counts bigrams of the Text node and predicts the next word', async ({ page }) => {
  await openLab(page);
  await page.getByTestId('node-text').getByTestId('text-input').fill('The cat sat on the mat. The cat ran');

  await page.getByTestId('palette-ngram').click();
  const added = page.locator('.react-flow__node-ngram').last();
  const id = await added.getAttribute('data-id');
  expect(id).toMatch(/^ngram-/);
  // Nothing connected: the node says what to connect.
  await expect(page.getByTestId(`node-${id}`).getByTestId('node-needs-input')).toContainText('connect text');

  const wire = await dragWire(page, page.getByTestId('handle-text-out-text'), page.getByTestId(`handle-${id}-in-text`));
  await wire.release();
  await expect(page.getByTestId(`node-${id}`).getByTestId('node-status')).toHaveAttribute('data-status', /done|cached/);

  await inspect(page, id!);
  await expect(page.getByTestId('inspector-question')).toHaveText('Is BPE the same as an n-gram?');
  await expect(page.getByTestId('ngram-answer')).toContainText('a BPE merge is a frequent 2-gram of symbols');
  const firstRow = page.getByTestId('ngram-row').first();
  await expect(firstRow.getByTestId('ngram-units-text')).toHaveText('the cat');
  await expect(firstRow.getByTestId('ngram-count')).toHaveText('2');

  // The default context is the last word, "ran", which is never followed by anything.
  await expect(page.getByTestId('ngram-unseen')).toContainText('1/7');

  // After "the": (2 + 1) / (3 + 1·7) = 3/10 for "cat".
  await page.getByLabel(/Context to predict after/).fill('the');
  const firstNext = page.getByTestId('ngram-next').first();
  await expect(firstNext.getByTestId('ngram-next-unit')).toHaveText('cat');
  await expect(firstNext.getByTestId('ngram-next-probability')).toHaveText('30.0%');
  // The bar is on the absolute 0–100 % scale: 30 % fills 30 % of its track, not all of it.
  const drawn = await firstNext.getByTestId('ngram-next-bar').evaluate((bar) => (bar as HTMLElement).offsetWidth / (bar.parentElement as HTMLElement).offsetWidth);
  expect(Math.abs(drawn - 0.3)).toBeLessThan(0.02);
  await expect(page.getByTestId('ngram-smoothing')).toContainText('= 3/10 = 0.300');
});

test('the BPE vs n-gram template sets the bigram prediction beside the Transformer’s', async ({ page }) => {
  test.setTimeout(300_000); // the model loads in WASM on a shared machine
  await page.goto('/');
  await page.getByTestId('open-templates').click();
  await page.getByRole('dialog', { name: 'Templates' }).getByTestId('template-bpe-vs-ngram').click();
  const side = page.getByTestId('ngram-vs-transformer');
  await expect(side).toBeVisible({ timeout: 240_000 });
  await expect(side).toContainText('2-gram (counts of the last 1)');
  await expect(side).toContainText('tokenloom-tiny');
  await expect(side).not.toContainText('do not predict after the same unit');

  // GPT-2's units read as text (a leading space as ·), and as stored (Ġ) only when asked.
  const top = page.getByTestId('ngram-top').getByTestId('ngram-units-text');
  await expect(top.first()).toBeVisible();
  const readable = await top.allTextContents();
  expect(readable.join(' ')).toContain('·');
  expect(readable.join(' ')).not.toContain('Ġ');
  await page.getByTestId('stored-form').check();
  await expect(top.first()).toContainText('Ġ');
  await page.getByTestId('stored-form').uncheck();
  await expect(top.first()).not.toContainText('Ġ');
});

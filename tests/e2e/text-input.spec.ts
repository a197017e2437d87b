import { expect, test } from '@playwright/test';
import { openLab } from './helpers';

test('a file over the size limit is refused with its size and the text is kept', async ({ page }) => {
  await openLab(page);
  const input = page.getByTestId('node-text').getByTestId('text-input');
  const before = await input.inputValue();
  await page.getByTestId('text-file').setInputFiles({ name: 'huge.txt', mimeType: 'text/plain', buffer: Buffer.alloc(3 * 1024 * 1024, 'a') });
  await expect(page.getByTestId('toast')).toContainText('"huge.txt" is 3.0 MB; a Text node takes up to 2.0 MB');
  await expect(input).toHaveValue(before);
});

test('a JSONL file asks which field holds the text, then loads that field', async ({ page }) => {
  await openLab(page);
  const jsonl = ['{"text": "first line", "lang": "en"}', '{"text": "second line", "lang": "en"}', 'not json'].join('\n');
  await page.getByTestId('text-file').setInputFiles({ name: 'corpus.jsonl', mimeType: 'application/json', buffer: Buffer.from(jsonl) });
  await page.getByRole('button', { name: 'text (2)' }).click();
  await expect(page.getByTestId('node-text').getByTestId('text-input')).toHaveValue('first line\nsecond line');
});

test('invalid UTF-8 is decoded with replacement characters and said so', async ({ page }) => {
  await openLab(page);
  await page.getByTestId('text-file').setInputFiles({ name: 'latin1.txt', mimeType: 'text/plain', buffer: Buffer.from([0x63, 0x61, 0x66, 0xe9]) });
  await expect(page.getByTestId('toast')).toContainText('not valid UTF-8');
  await expect(page.getByTestId('node-text').getByTestId('text-input')).toHaveValue('caf\uFFFD');
});

test('auto-layout places nodes left to right, and dark mode switches the theme', async ({ page }) => {
  await openLab(page);
  // Scramble: put Pretokenize left of Text, then lay out.
  const pretokenize = page.locator('.react-flow__node-pretokenize');
  const text = page.locator('.react-flow__node-text');
  const handle = (await pretokenize.locator('span.font-semibold').first().boundingBox())!;
  await page.mouse.move(handle.x + 10, handle.y + 5);
  await page.mouse.down();
  await page.mouse.move(handle.x - 300, handle.y + 200, { steps: 10 });
  await page.mouse.move(60, 650, { steps: 10 });
  await page.mouse.up();
  expect((await pretokenize.boundingBox())!.x).toBeLessThan((await text.boundingBox())!.x);
  await page.getByRole('button', { name: 'Auto-layout' }).click();
  await expect
    .poll(async () => (await pretokenize.boundingBox())!.x > (await text.boundingBox())!.x)
    .toBe(true);
  await page.keyboard.press('d');
  await expect(page.locator('html')).toHaveClass(/dark/);
  await page.keyboard.press('d');
  await expect(page.locator('html')).not.toHaveClass(/dark/);
});

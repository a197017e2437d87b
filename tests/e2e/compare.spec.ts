import { expect, test } from '@playwright/test';
import { inspect } from './helpers';

test('the Compare template shows GPT-2, BERT and TinyLlama IDs for "I love NLP"', async ({ page }) => {
  await page.goto('/');
  // The start page offers the gallery while nothing is selected.
  await page.getByTestId('inspector-empty').getByTestId('template-compare').click();
  await expect(page.getByTestId('inspector-question')).toHaveText('Are token IDs the same across models?');
  const input = page.getByTestId('node-text').getByTestId('text-input');
  await input.fill('');
  await input.pressSequentially('I love NLP');
  await expect(page.getByTestId('compare-ids-GPT-2')).toHaveText('40 1842 399 19930');
  await expect(page.getByTestId('compare-ids-BERT')).toHaveText('101 1045 2293 17953 2361 102');
  await expect(page.getByTestId('compare-ids-TinyLlama')).toHaveText('1 306 5360 405 13208');
  await expect(page.getByTestId('same-ids-answer')).toContainText("'I' is 40 in GPT-2, 1045 in BERT");
  // The stats table is readable at the inspector's width: it fits, its cells have room, numbers line up on the right.
  const stats = page.getByTestId('compare-stats');
  const fit = await stats.evaluate((table) => {
    const panel = table.closest('[data-testid=inspector]')!;
    const count = table.querySelector('[data-testid="compare-text-tokens-GPT-2"]')!;
    const style = getComputedStyle(count);
    return {
      inside: table.getBoundingClientRect().right <= panel.getBoundingClientRect().right && table.scrollWidth <= table.clientWidth + 1,
      padding: parseFloat(style.paddingLeft) + parseFloat(style.paddingRight),
      align: style.textAlign,
    };
  });
  expect(fit).toEqual({ inside: true, padding: 16, align: 'right' });
});

test('the pretrained tokenizer explains why NLP is two GPT-2 tokens', async ({ page }) => {
  await page.goto('/?template=compare');
  await inspect(page, 'gpt2');
  await expect(page.getByTestId('split-words')).toContainText('“NLP” is not one token in GPT-2’s vocabulary, so it is spelled ·N + LP → 399 19930');
});

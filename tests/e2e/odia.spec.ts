import { expect, test, type Page } from '@playwright/test';
import { inspect } from './helpers';

/**
 * Odia as Odia, on a machine with no Odia font of its own (Debian's Chromium here has only
 * DejaVu and Liberation): the app's bundled Noto Sans Oriya draws it. The glyph test compares
 * widths: a string of distinct Odia letters drawn with the bundled font against the same string
 * drawn with a font that has no Odia (every letter then falls back to one .notdef box, all of
 * one width). Then the template: trained on the corpus, measured on its held-out part.
 */

/** Widths of Odia text in the page's own font and in a font stack that can only show boxes. */
async function odiaWidths(page: Page) {
  return page.evaluate(async () => {
    await document.fonts.load('16px "Noto Sans Oriya"', 'ଜଣେ');
    const canvas = document.createElement('canvas');
    const ctx = canvas.getContext('2d')!;
    const measure = (font: string, text: string) => {
      ctx.font = font;
      return ctx.measureText(text).width;
    };
    const letters = ['ଜ', 'ଣ', 'ପ', 'ଲ', 'ଭ', 'ଷ', 'ମ', 'ଓ'];
    return {
      loaded: document.fonts.check('16px "Noto Sans Oriya"', 'ଜ'),
      bundled: letters.map((l) => measure('16px "Noto Sans Oriya"', l)),
      // A private-use code point has no glyph anywhere: the width of a .notdef box.
      box: measure('16px "Noto Sans Oriya"', '\uE000'),
    };
  });
}

test('Odia is drawn with the bundled font, not as empty boxes', async ({ page }) => {
  await page.goto('/?template=odia');
  const widths = await odiaWidths(page);
  expect(widths.loaded).toBe(true);
  // Real glyphs have different widths; boxes would all be the .notdef width.
  expect(new Set(widths.bundled.map((w) => w.toFixed(1))).size).toBeGreaterThan(2);
  expect(widths.bundled.every((w) => Math.abs(w - widths.box) > 0.5)).toBe(true);
});

test('the Odia template learns whole Odia words and spends fewer tokens per held-out word than GPT-2', async ({ page }) => {
  test.setTimeout(300_000); // trains twice on 870 KB of Odia in the browser, on a shared 2-core machine
  await page.goto('/?template=odia-train');
  const inspector = page.getByTestId('inspector');
  const comparison = inspector.getByTestId('odia-comparison');
  await expect(comparison).toBeVisible({ timeout: 240_000 });

  // Whole words, in Odia script: each chip is Odia letters and marks only, not ‹bytes› or Latin-1 mojibake.
  const words = comparison.getByTestId('odia-whole-words-gpt2-marks').getByTestId('odia-whole-word');
  expect(await words.count()).toBeGreaterThanOrEqual(10);
  for (const w of await words.allTextContents()) expect(w).toMatch(/^\p{Script=Oriya}[\p{Script=Oriya}\p{M}]+$/u);
  await expect(comparison.getByTestId('odia-whole-words-gpt2-marks')).toContainText('କରନ୍ତୁ');

  // The table, measured on the held-out part: GPT-2 spends more tokens per word than the BPE trained here.
  const perWord = async (label: string) => Number(await comparison.locator(`[data-label="${label}"]`).getByTestId('odia-tokens-per-word').textContent());
  const gpt2 = await perWord('GPT-2');
  const ours = await perWord('trained-gpt2-marks');
  expect(gpt2).toBeGreaterThan(3 * ours);
  expect(await perWord('TinyLlama')).toBeGreaterThan(ours);
  await expect(comparison.getByTestId('odia-summary')).toContainText(`GPT-2 spends ${gpt2.toFixed(2)} tokens per word`);

  await comparison.scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath('odia-template.png'), fullPage: false });
  await test.info().attach('odia-template', { path: test.info().outputPath('odia-template.png'), contentType: 'image/png' });
});

test('the three-models card counts tokens per word on the whole held-out text: GPT-2 spends several times what the Odia BPE does', async ({ page }) => {
  test.setTimeout(300_000); // trains on 870 KB of Odia in the browser (twice: the BPE node measures both splits)
  await page.goto('/?template=odia');
  const inspector = page.getByTestId('inspector');
  const sentence = inspector.getByTestId('compare-per-word');
  await expect(sentence).toContainText('tokens per word', { timeout: 240_000 });
  const perWord = async (label: string) => Number(await inspector.getByTestId(`compare-tokens-per-word-${label}`).textContent());
  const gpt2 = await perWord('GPT-2');
  const ours = await perWord('BPE (trained)');
  expect(ours).toBeGreaterThan(0);
  expect(gpt2).toBeGreaterThan(5 * ours);
  expect(await perWord('TinyLlama')).toBeGreaterThan(ours);
  // Thousands of held-out words, not one sentence; and the sentence states the table's numbers.
  const words = Number((await sentence.textContent())!.match(/Over these ([\d,]+) words/)![1]!.replace(/,/g, ''));
  expect(words).toBeGreaterThan(5000);
  await expect(sentence).toContainText(`GPT-2 ${gpt2.toFixed(2)}`);
  await expect(sentence).toContainText(`BPE (trained) ${ours.toFixed(2)}`);
  await expect(inspector).toContainText('the counts are over the whole text');
});

test('hovering a chip lights its span of the text, and hovering the text lights its chips', async ({ page }) => {
  await page.goto('/?template=compare');
  const input = page.getByTestId('node-text').getByTestId('text-input');
  await input.fill('ଜଣେ ପିଲା');
  await inspect(page, 'gpt2');
  const inspector = page.getByTestId('inspector');
  const chips = inspector.getByTestId('pretrained-pieces').getByTestId('token');
  await expect(chips.first()).toBeVisible();
  // GPT-2 spends several tokens on ଜ: the first chip holds part of it and says which letter.
  await expect(chips.first()).toHaveAttribute('title', /of the 3 bytes of ଜ/);
  const text = inspector.getByTestId('span-text');
  await chips.first().hover();
  await expect(text.locator('[data-lit]')).toHaveText('ଜ');
  // The reverse: hovering ପ in the text lights the chips whose span holds it.
  await text.locator('span', { hasText: 'ପ' }).first().hover();
  const lit = inspector.getByTestId('pretrained-pieces').locator('[data-testid="token"][data-lit]');
  await expect(lit.first()).toBeVisible();
  expect(await lit.count()).toBeGreaterThanOrEqual(1);
  for (const title of await lit.evaluateAll((els) => els.map((e) => e.getAttribute('title') ?? ''))) expect(title).toMatch(/ପ/);
});

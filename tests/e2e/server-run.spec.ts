import { expect, test } from '@playwright/test';
import { inspect, openLab } from './helpers';

test('the same graph runs on the server with identical results, and back in the browser', async ({ page }) => {
  await openLab(page);
  await inspect(page, 'pretokenize');
  const pieces = page.getByTestId('inspector').getByTestId('pieces');
  const inBrowser = await pieces.innerText();
  await expect(page.getByTestId('inspector-where')).toHaveText('in the browser (Web Worker)');

  await page.getByTestId('run-on-server').click();
  await expect(page.getByTestId('inspector-where')).toHaveText('on the server (Node, same engine)');
  await expect(page.getByTestId('run-status')).toContainText('Server · Node');
  expect(await pieces.innerText()).toBe(inBrowser);

  // Typing still updates, now through the server.
  await page.getByTestId('node-text').getByTestId('text-input').fill('Run on the server');
  await expect(pieces.getByTestId('piece')).toHaveCount(4);
  await expect(page.getByTestId('node-pretokenize').getByTestId('node-status')).toContainText('server');

  await page.getByTestId('run-on-browser').click();
  await expect(page.getByTestId('inspector-where')).toHaveText('in the browser (Web Worker)');
  await expect(pieces.getByTestId('piece')).toHaveCount(4);
});

test('on the server, the vocabulary browser pages the 50k GPT-2 vocabulary on demand', async ({ page }) => {
  await page.goto('/?template=gpt2-chain');
  await page.getByTestId('run-on-server').click();
  await inspect(page, 'ids');
  await expect(page.getByTestId('inspector-where')).toHaveText('on the server (Node, same engine)');
  await page.getByLabel('Search the vocabulary').fill('Ġlove');
  await expect(page.getByTestId('vocab-entry').first()).toContainText('·love');
  await expect(page.getByTestId('vocab-browser')).toContainText('matches');
});

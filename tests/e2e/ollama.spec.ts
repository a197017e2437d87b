import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { startFakeOllama, type FakeOllama } from '../integration/ollama-fake-server';

/**
 * A model served by Ollama, in a real Chromium: the Transformer node calls a loopback server
 * that speaks Ollama's API (answering from tokenloom-tiny through onnxruntime-node) straight from
 * the browser's worker, under the page's CSP, and again through the server (which talks only to
 * the Ollama it allows: playwright.config.ts sets TOKENLOOM_OLLAMA_URL to this one).
 */
const PORT = Number(process.env.E2E_OLLAMA_PORT ?? 11435);
interface Reference {
  prompts: { prompt: string; top5: { id: number; token: string; prob: number }[] }[];
}
const reference = JSON.parse(readFileSync('public/models/tokenloom-tiny/reference.json', 'utf8')) as Reference;
const iLove = reference.prompts.find((p) => p.prompt === 'I love')!;

let ollama: FakeOllama;
test.beforeAll(async () => {
  ollama = await startFakeOllama({ port: PORT });
});
test.afterAll(async () => {
  await ollama?.close();
});

async function expectReferenceTop5(page: Page) {
  const panel = page.getByTestId('transformer-ollama');
  await expect(panel.getByTestId('topk-row')).toHaveCount(5, { timeout: 120_000 });
  const probs = await panel.getByTestId('topk-prob').evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-prob'))));
  probs.forEach((p, i) => expect(Math.abs(p - iLove.top5[i]!.prob)).toBeLessThan(1e-4));
  await expect(page.getByTestId('ollama-no-ids')).toContainText('Ollama does not expose its tokenizer');
  await expect(page.getByTestId('ollama-no-internals')).toBeVisible();
}

test('the Transformer node shows the next-token probabilities of a model served by Ollama, from the browser and through the server', async ({ page }) => {
  test.setTimeout(240_000);
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  await page.goto('/?template=pipeline');
  await page.locator('#param-transformer-model').selectOption('ollama');
  await page.locator('#param-transformer-ollamaUrl').fill(ollama.url);
  await page.locator('#param-transformer-ollamaModel').fill('tokenloom-tiny');
  await expectReferenceTop5(page);
  const fromBrowser = ollama.generateBodies.length;
  expect(fromBrowser).toBeGreaterThan(0);
  expect(violations).toEqual([]);

  await page.getByTestId('run-on-server').click();
  await expect(page.getByTestId('inspector-where')).toHaveText('on the server (Node, same engine)', { timeout: 120_000 });
  await expectReferenceTop5(page);
  await expect.poll(() => ollama.generateBodies.length).toBeGreaterThan(fromBrowser);
});

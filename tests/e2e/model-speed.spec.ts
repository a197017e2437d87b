import { readFileSync } from 'node:fs';
import { chromium, expect, test, type Page } from '@playwright/test';
import { modelGraphLink, shownTop5, inspect } from './helpers';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../chromium';
import { SOTU_1862_EXCERPT } from '../../nodes/text/corpus-sample';

/**
 * The model's speed in a real Chromium, beyond the backend choice (model.spec.ts): the model's
 * files kept in the Cache API so a second visit downloads nothing, the same page where the Cache
 * API is missing (plain http on a LAN name is not a secure context), the Transformer's long pass
 * held in a slow browser with the server one click away, and the line saying what the model is.
 */
interface Reference {
  prompts: { prompt: string; top5: { id: number; prob: number }[] }[];
}
const reference = JSON.parse(readFileSync('public/models/tokenloom-tiny/reference.json', 'utf8')) as Reference;
const iLove = reference.prompts.find((p) => p.prompt === 'I love')!;
const config = JSON.parse(readFileSync('public/models/tokenloom-tiny/config.json', 'utf8')) as { n_layer: number; n_head: number; n_embd: number };

test.setTimeout(300_000);

async function openTransformer(page: Page) {
  await inspect(page, 'transformer');
  await expect(page.getByTestId('transformer-backend')).toHaveAttribute('data-backend', 'wasm', { timeout: 150_000 });
}

test('a second visit reads the model and ONNX Runtime from the Cache API, not the network, and predicts the same', async ({ page, context }) => {
  const urls: string[] = [];
  // The context sees the engine worker's requests too.
  context.on('request', (r) => urls.push(new URL(r.url()).pathname));
  await page.goto('/?template=pipeline');
  await openTransformer(page);
  const first = await shownTop5(page, 150_000);
  expect(first.map((r) => r.id)).toEqual(iLove.top5.map((c) => c.id));
  // The first visit downloaded them: the check below can fail.
  expect(urls).toContain('/models/tokenloom-tiny/onnx/model.onnx');
  expect(urls.some((u) => u.startsWith('/ort/') && u.endsWith('.wasm'))).toBe(true);
  // One versioned cache holds them (and no unversioned one that could serve a stale model).
  const cached = await page.evaluate(async () => {
    const names = await caches.keys();
    const entries = await Promise.all(names.map(async (n) => (await (await caches.open(n)).keys()).map((r) => new URL(r.url).pathname)));
    return { names, entries: entries.flat() };
  });
  expect(cached.names).toHaveLength(1);
  expect(cached.names[0]).toMatch(/^tokenloom-files-[0-9a-f]{16}$/);
  expect(cached.entries).toContain('/models/tokenloom-tiny/onnx/model.onnx');
  expect(cached.entries).toContain('/models/tokenloom-tiny/config.json');
  // Two requests for the file: transformers.js's size look-up before loading (it reads only the
  // headers) and the download. The embedding table is read from the cached copy, not a third.
  expect(urls.filter((u) => u === '/models/tokenloom-tiny/onnx/model.onnx')).toHaveLength(2);

  urls.length = 0;
  await page.reload();
  await openTransformer(page);
  const second = await shownTop5(page, 150_000);
  expect(second).toEqual(first);
  expect(urls.filter((u) => u.startsWith('/models/'))).toEqual([]);
  expect(urls.filter((u) => u.startsWith('/ort/') && u.endsWith('.wasm'))).toEqual([]);
  await expect(page.getByTestId('embedding-summary')).toContainText('ID 1842');
});

test('where the Cache API is missing (plain http on a LAN name), the model still loads and predicts, silently', async () => {
  const port = new URL(test.info().project.use.baseURL!).port;
  // tokenloom.lan resolves to this machine: not localhost, so not a secure context.
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, '--host-resolver-rules=MAP tokenloom.lan 127.0.0.1'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`http://tokenloom.lan:${port}/?template=pipeline`);
    expect(await page.evaluate(() => ({ secure: isSecureContext, caches: typeof caches }))).toEqual({ secure: false, caches: 'undefined' });
    await openTransformer(page);
    const shown = await shownTop5(page, 150_000);
    expect(shown.map((r) => r.id)).toEqual(iLove.top5.map((c) => c.id));
    shown.forEach((r, i) => expect(Math.abs(r.prob - iLove.top5[i]!.prob)).toBeLessThan(1e-4));
    await expect(page.getByTestId('node-transformer').getByTestId('node-status')).toHaveAttribute('data-status', 'done');
    expect(errors).toEqual([]);
  } finally {
    await browser.close();
  }
});

test('a Transformer pass too slow for this browser says so before running, and one click runs it on the server', async ({ page }) => {
  // About 300 tokens (the model reads the last 256), asking first above a millisecond: any
  // measured estimate is over it, so the pass is held.
  await page.goto(modelGraphLink('A long input', SOTU_1862_EXCERPT.slice(0, 1400), { type: 'transformer', params: { device: 'wasm', askAboveS: 0.001 } }));
  const node = page.getByTestId('node-transformer');
  const held = node.getByTestId('transformer-held');
  await expect(held).toBeVisible({ timeout: 240_000 });
  await expect(held.getByTestId('transformer-estimate')).toHaveText(/^About (\d+ ms|\d+ s) in this browser; on the server about (\d+ ms|\d+ s)\.$/);
  await node.locator('span.font-semibold').first().click();
  // Not run: no predictions, no attention; the inspector says what it measured.
  await expect(page.getByTestId('topk-last')).toHaveCount(0);
  await expect(page.getByTestId('attention')).toHaveCount(0);
  const panel = page.getByTestId('inspector').getByTestId('transformer-held');
  await expect(panel).toContainText(/per position × 256 positions, with attention, over this node’s limit of 0\.001 s/);
  await expect(page.getByTestId('transformer-backend')).toContainText('not run yet in this browser');

  await panel.getByTestId('transformer-run-on-server').click();
  await expect(page.getByTestId('transformer-backend')).toHaveAttribute('data-backend', 'cpu', { timeout: 120_000 });
  await expect(page.getByTestId('topk-last').getByTestId('topk-row')).toHaveCount(5);
  await expect(page.getByTestId('attention').getByTestId('attention-head')).toHaveCount(4);
  await expect(node.getByTestId('transformer-held')).toHaveCount(0);
});

test('the Transformer and Generate inspectors say what the model is in one line, with the bigram beside it', async ({ page }) => {
  await page.goto('/?template=pipeline');
  await openTransformer(page);
  const size = `${config.n_layer} layers × ${config.n_head} heads, width ${config.n_embd}`;
  const line = new RegExp(String.raw`^tokenloom-tiny .*: ${size}, [\d.]+ M parameters · trained on [\d.]+ M tokens of State of the Union addresses .* · held-out perplexity [\d.]+, a bigram [\d.]+ on the same [\d.]+ k tokens \([\d.]+×: lower is better\)$`);
  await expect(page.getByTestId('model-card')).toHaveText(line);
  const transformerLine = await page.getByTestId('model-card').textContent();
  await inspect(page, 'generate');
  await expect(page.getByTestId('generate-backend')).toHaveAttribute('data-backend', /wasm|cpu/, { timeout: 150_000 });
  await expect(page.getByTestId('model-card')).toHaveText(transformerLine!);
});

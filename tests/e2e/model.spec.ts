import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { modelGraphLink, shownTop5, inspect } from './helpers';

/**
 * The model in a real Chromium: the pipeline template's Transformer node on WASM and on WebGPU
 * (the config launches Chromium with --enable-unsafe-webgpu: a software adapter) must show the
 * top-5 that PyTorch wrote at export time, which the Node tests match within 1e-4
 * (tests/unit/nodes/transformer/transformer.test.ts) — so browser and server agree.
 */
interface Reference {
  prompts: { prompt: string; top5: { id: number; token: string; prob: number }[]; greedy: { text: string }; sampled: { text: string; new_tokens: number; contains_eos: boolean } }[];
}
const reference = JSON.parse(readFileSync('public/models/tokenloom-tiny/reference.json', 'utf8')) as Reference;
const iLove = reference.prompts.find((p) => p.prompt === 'I love')!;

// Loading the model and the WASM, and WebGPU on a software adapter, take longer than the default.
test.setTimeout(240_000);

async function expectReferenceTop5(page: Page, tolerance: number) {
  const shown = await shownTop5(page);
  expect(shown.map((r) => r.id)).toEqual(iLove.top5.map((c) => c.id));
  shown.forEach((r, i) => expect(Math.abs(r.prob - iLove.top5[i]!.prob)).toBeLessThan(tolerance));
}

/** Every request the page makes, to check what loads when. */
function recordRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (r) => urls.push(r.url()));
  return urls;
}

test('the first page load fetches no model, no ONNX Runtime WASM and no ONNX Runtime code', async ({ page }) => {
  const urls = recordRequests(page);
  const scripts: Promise<string>[] = [];
  page.on('response', (r) => {
    if (r.url().endsWith('.js')) scripts.push(r.text().catch(() => ''));
  });
  await page.goto('/');
  await expect(page.getByTestId('node-pretokenize').getByTestId('node-status')).toHaveAttribute('data-status', /done|cached/);
  await page.waitForLoadState('networkidle');
  expect(urls.filter((u) => /\/ort\/|\/models\/|\.wasm|\.onnx/.test(u))).toEqual([]);
  const code = await Promise.all(scripts);
  expect(code.length).toBeGreaterThan(0);
  expect(code.filter((js) => js.includes('InferenceSession')).length).toBe(0);

  // Opening the model template then loads them: the check above can fail.
  await page.goto('/?template=pipeline');
  await expect(page.getByTestId('node-transformer').getByTestId('transformer-body')).toBeVisible({ timeout: 150_000 });
  expect((await Promise.all(scripts)).some((js) => js.includes('InferenceSession'))).toBe(true);
});

test('the Transformer node on WASM shows the reference top-5 for "I love", with WASM served by the app', async ({ page }) => {
  const urls = recordRequests(page);
  await page.goto('/?template=pipeline');
  await page.locator('#param-transformer-device').selectOption('wasm');
  const backend = page.getByTestId('transformer-backend');
  await expect(backend).toHaveAttribute('data-backend', 'wasm', { timeout: 120_000 });
  await expect(backend).toContainText('Ran on WASM');
  await expectReferenceTop5(page, 1e-4);
  await expect(page.getByTestId('node-transformer').getByTestId('transformer-body')).toContainText('of');
  // The attention heatmaps: 4 heads of layer 1 over the 2 tokens.
  await expect(page.getByTestId('attention').getByTestId('attention-head')).toHaveCount(4);
  // In every row of every head the strongest cell is drawn solid (per-row colour scale), even
  // where its raw weight is well under 1 (drawn as raw opacity it would be faint).
  const rows = await page
    .getByTestId('attention')
    .getByTestId('attention-head')
    .evaluateAll((heads) =>
      heads.flatMap((head) => {
        const cells = [...head.querySelectorAll<HTMLElement>('[data-testid="attention-cell"]')];
        const n = Math.round(Math.sqrt(cells.length));
        return Array.from({ length: n }, (_, r) => {
          const row = cells.slice(r * n, r * n + n);
          const top = row.reduce((a, b) => (Number(b.dataset.weight) > Number(a.dataset.weight) ? b : a));
          return { weight: Number(top.dataset.weight), colour: getComputedStyle(top).backgroundColor };
        });
      }),
    );
  expect(rows.length).toBe(8);
  expect(rows.some((r) => r.weight < 0.95)).toBe(true);
  for (const r of rows) expect(r.colour).toBe('rgb(2, 132, 199)');
  await expect(page.getByTestId('attention-legend')).toContainText('the largest weight in its row');
  // The top bar is on the absolute scale: its drawn width over its track is its probability.
  const top = await page
    .getByTestId('topk-last')
    .getByTestId('topk-row')
    .first()
    .evaluate((row) => {
      const bar = row.querySelector<HTMLElement>('[data-testid="topk-bar"]')!;
      return { prob: Number(row.querySelector('[data-testid="topk-prob"]')!.getAttribute('data-prob')), drawn: bar.offsetWidth / bar.parentElement!.offsetWidth };
    });
  expect(top.prob).toBeLessThan(0.95);
  expect(Math.abs(top.drawn - Math.max(0.01, top.prob))).toBeLessThan(0.02);
  await expect(page.getByTestId('embedding-summary')).toContainText('ID 1842');
  // The WASM came from this app, nothing from a CDN or any other host.
  const origin = new URL(page.url()).origin;
  expect(urls.some((u) => u.startsWith(`${origin}/ort/`) && u.endsWith('.wasm'))).toBe(true);
  expect(urls.filter((u) => !u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:'))).toEqual([]);
});

test('the Transformer node on WebGPU (software adapter) shows the same top-5', async ({ page }) => {
  // A software adapter takes seconds per token, minutes on a busy machine.
  test.setTimeout(360_000);
  // WebGPU from the page's start: a page whose first model ran on WASM started ONNX Runtime's
  // WASM-only build (nodes/transformer/ort-files.ts) and says WebGPU needs a reload (next test).
  await page.goto(modelGraphLink('I love, on WebGPU', 'I love', { type: 'transformer', params: { topK: 5, device: 'webgpu' } }));
  await inspect(page, 'transformer');
  const backend = page.getByTestId('transformer-backend');
  await expect(backend).toContainText('Ran on', { timeout: 320_000 });
  // If this Chromium gave no adapter, the node says why and falls back; the assertion names it.
  const text = (await backend.textContent()) ?? '';
  expect(text, text).toContain('Ran on WebGPU');
  await expect(backend).toHaveAttribute('data-backend', 'webgpu');
  await expectReferenceTop5(page, 1e-3);
});

test('asking for WebGPU after the page started on WASM says a reload is needed, and still predicts on WASM', async ({ page }) => {
  await page.goto('/?template=pipeline');
  const backend = page.getByTestId('transformer-backend');
  await expect(backend).toHaveAttribute('data-backend', 'wasm', { timeout: 150_000 });
  await page.locator('#param-transformer-device').selectOption('webgpu');
  await expect(backend).toContainText('WebGPU needs the page reloaded', { timeout: 150_000 });
  await expect(backend).toHaveAttribute('data-backend', 'wasm');
  await expectReferenceTop5(page, 1e-4);
});

test('the whole flow: Generate writes the reference continuation and Decode shows it as text', async ({ page }) => {
  await page.goto('/?template=pipeline');
  await page.locator('#param-transformer-device').selectOption('wasm');
  await inspect(page, 'generate');
  await page.locator('#param-generate-device').selectOption('wasm');
  // This reference check runs here whatever the estimate on a busy machine: never ask first.
  await page.locator('#param-generate-askAboveS').fill('0');
  await expect(page.getByTestId('generate-backend')).toHaveAttribute('data-backend', 'wasm', { timeout: 120_000 });
  await expect(page.getByTestId('generate-text')).toHaveText(`I love${iLove.greedy.text}`);
  await expect(page.getByTestId('node-decode')).toContainText(`I love${iLove.greedy.text}`);

  // Sampling with the node's default temperature, top-k, top-p and seed writes the seeded
  // continuation PyTorch wrote with the same draws (scripts/train-model.py).
  await page.locator('#param-generate-strategy').selectOption('sample');
  await page.locator('#param-generate-maxNewTokens').fill(String(iLove.sampled.new_tokens));
  if (iLove.sampled.contains_eos) await page.locator('#param-generate-stopAtEos').uncheck();
  await expect(page.getByTestId('generate-text')).toHaveText(`I love${iLove.sampled.text}`, { timeout: 120_000 });
  await expect(page.getByTestId('node-decode')).toContainText(`I love${iLove.sampled.text}`);
});

test('BERT IDs wired into the GPT-2-family model get a plain warning on the node and in the inspector', async ({ page }) => {
  await page.goto('/?template=pipeline');
  await page.locator('#param-transformer-device').selectOption('wasm');
  await page.getByTestId('node-tokenizer').getByLabel('Pretrained model').selectOption('bert-base-uncased');
  await expect(page.getByTestId('node-transformer').getByTestId('transformer-body-warning')).toContainText('IDs from BERT, model reads GPT-2', {
    timeout: 120_000,
  });
  await inspect(page, 'transformer');
  await expect(page.getByTestId('transformer-warning')).toContainText('These IDs come from BERT, but tokenloom-tiny');
});

test('the same Transformer node on the server (tRPC run, onnxruntime-node) shows the same top-5 and says CPU', async ({ page }) => {
  await page.goto('/?template=pipeline');
  await page.getByTestId('run-on-server').click();
  // The server run starts once the switch reaches it; on a busy machine that can take a while.
  await expect(page.getByTestId('inspector-where')).toHaveText('on the server (Node, same engine)', { timeout: 120_000 });
  const backend = page.getByTestId('transformer-backend');
  await expect(backend).toHaveAttribute('data-backend', 'cpu', { timeout: 120_000 });
  await expect(backend).toContainText('Ran on CPU (onnxruntime-node)');
  await expectReferenceTop5(page, 1e-4);
  await expect(page.getByTestId('node-decode')).toContainText(`I love${iLove.greedy.text}`, { timeout: 60_000 });
});

test('Auto measures instead of taking the software WebGPU adapter: WASM, with the threads an isolated page allows, and says why', async ({ page }) => {
  await page.goto('/?template=pipeline');
  const backend = page.getByTestId('transformer-backend');
  await expect(backend).toHaveAttribute('data-backend', 'wasm', { timeout: 150_000 });
  const facts = await page.evaluate(() => ({ isolated: crossOriginIsolated, cores: navigator.hardwareConcurrency, gpu: 'gpu' in navigator }));
  // The app sets COOP/COEP, so the page is cross-origin isolated and WASM may use threads.
  expect(facts.isolated).toBe(true);
  const threads = Math.max(1, Math.min(4, facts.cores));
  const label = page.getByTestId('transformer-backend-label');
  await expect(label).toHaveText(new RegExp(`^WASM, ${threads} threads?: (no hardware GPU \\(the WebGPU adapter here is software: .+\\)|this browser has no WebGPU)$`));
  if (facts.gpu) await expect(label).toContainText('no hardware GPU');
  await expectReferenceTop5(page, 1e-4);
});

test('the backend override is remembered by this browser and applies to nodes left on Auto', async ({ page }) => {
  await page.goto('/?template=pipeline');
  await inspect(page, 'transformer');
  const label = page.getByTestId('transformer-backend-label');
  await expect(label).toContainText('WASM', { timeout: 150_000 });
  await expect(label).not.toContainText('chosen');
  await page.getByTestId('browser-backend').selectOption('wasm');
  // Same backend as Auto picks here, but now because it was chosen, and the node re-ran to say so.
  await expect(label).toContainText('chosen in the Device setting or for this browser', { timeout: 150_000 });
  await page.reload();
  await inspect(page, 'transformer');
  await expect(label).toContainText('chosen in the Device setting or for this browser', { timeout: 150_000 });
  await expect(page.getByTestId('browser-backend')).toHaveValue('wasm');
  // The shared graph itself still says Auto: the choice belongs to this browser.
  await expect(page.locator('#param-transformer-device')).toHaveValue('auto');
  await page.getByTestId('browser-backend').selectOption('auto');
  await expect(label).not.toContainText('chosen', { timeout: 150_000 });
});

test('a Generate run too slow for this browser says so before running, and one click runs it on the server', async ({ page }) => {
  test.setTimeout(300_000);
  // 200 new tokens, asking first above 1 s: measured in this browser that is well over.
  await page.goto(modelGraphLink('A long continuation', 'The state of the Union is', { type: 'generate', params: { maxNewTokens: 200, stopAtEos: false, askAboveS: 1 } }));
  const node = page.getByTestId('node-generate');
  const held = node.getByTestId('generate-held');
  await expect(held).toBeVisible({ timeout: 240_000 });
  await expect(held.getByTestId('generate-estimate')).toHaveText(/^About \d+ s in this browser; on the server about (\d+ ms|\d+ s)\.$/);
  // Nothing was generated in the browser.
  await node.locator('span.font-semibold').first().click();
  await expect(page.getByTestId('generate-steps').locator('tbody tr')).toHaveCount(0);
  await expect(page.getByTestId('generate-backend-label')).toHaveText(/^WASM/);

  await held.getByTestId('generate-run-on-server').click();
  await expect(page.getByTestId('generate-backend')).toHaveAttribute('data-backend', 'cpu', { timeout: 120_000 });
  await expect(page.getByTestId('generate-backend')).toHaveAttribute('data-tokens', '200');
  for (const id of ['text', 'tok', 'ids', 'generate']) {
    await expect(page.getByTestId(`node-${id}`).getByTestId('node-status')).toHaveAttribute('data-where', 'server');
  }
  await expect(node.getByTestId('node-status')).toContainText('server');
  await expect(node.getByTestId('generate-held')).toHaveCount(0);
});

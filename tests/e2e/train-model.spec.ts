import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { unzipSync } from 'fflate';
import LZString from 'lz-string';
import { AutoModelForCausalLM, AutoTokenizer, env } from '@huggingface/transformers';
import { findTemplate } from '@/nodes/templates';
import { inspect } from './helpers';

/** The template as shipped, trained for 8 steps instead of 300 (each step takes seconds on a busy machine). */
function shortOdiaTemplate(): string {
  const doc = structuredClone(findTemplate('train-odia')!.doc);
  const train = doc.nodes.find((n) => n.id === 'train')!;
  train.params = { ...train.params, steps: 8, sampleEvery: 4, evalEvery: 2 };
  return LZString.compressToEncodedURIComponent(JSON.stringify(doc));
}

/**
 * What the inspector's live view (and the node's progress line) showed while the model trained,
 * seen by a MutationObserver in the page from its first script on: 8 steps take about 3 s even on
 * a busy machine, less than a few of a test's polls, so the live view can be gone before an
 * `expect` looks at it.
 */
async function recordLiveView(page: Page) {
  await page.addInitScript(() => {
    const seen = { chart: false, rules: 0, samples: [] as string[], progress: [] as string[] };
    (window as unknown as { __live: typeof seen }).__live = seen;
    const look = () => {
      const live = document.querySelector('[data-testid="inspector"] [data-testid="train-live"]');
      if (live) {
        if (live.querySelector('[data-testid="train-loss-chart"]')) seen.chart = true;
        seen.rules = Math.max(seen.rules, live.querySelectorAll('[data-testid="chart-rule"]').length);
        for (const sample of live.querySelectorAll('[data-testid="train-sample"]')) {
          const text = sample.textContent ?? '';
          if (!seen.samples.includes(text)) seen.samples.push(text);
        }
      }
      const line = document.querySelector('[data-testid="node-train"] [data-testid="node-progress"]')?.textContent;
      if (line && seen.progress.at(-1) !== line) seen.progress.push(line);
    };
    new MutationObserver(look).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  return () => page.evaluate(() => (window as unknown as { __live: { chart: boolean; rules: number; samples: string[]; progress: string[] } }).__live);
}

/**
 * The Odia template in a real Chromium: a BPE trained on the shipped Odia corpus, then a tiny GPT
 * trained from scratch on that corpus with TensorFlow.js on WASM in the engine's Web Worker. The loss curve (with
 * the unigram and bigram lines) and the samples appear while it trains, and Generate runs the new
 * model through ONNX Runtime Web.
 */
test('trains a model on an Odia tokenizer in the browser, draws it learning, and Generate runs it', async ({ page }) => {
  // BPE on the 870 KB corpus, then the model: minutes on a busy machine.
  test.setTimeout(480_000);
  const liveView = await recordLiveView(page);
  await page.goto(`/#g=${shortOdiaTemplate()}`);
  await inspect(page, 'train');
  const node = page.getByTestId('node-train');
  const inspector = page.getByTestId('inspector');
  await expect(inspector.getByTestId('inspector-question')).toHaveText('Can I train a language model on my own tokenizer?');

  await expect(node.getByTestId('node-status')).toHaveAttribute('data-status', /done|cached/, { timeout: 480_000 });
  // Live, while it trained: the curves with both lines, the first sample, the step on the node.
  const live = await liveView();
  expect(live.chart).toBe(true);
  expect(live.rules).toBe(2);
  expect(live.samples[0]).toContain('step 0');
  expect(live.progress.some((line) => line.includes('Step'))).toBe(true);

  await expect(inspector.getByTestId('train-summary')).toContainText('8 steps');
  await expect(inspector.getByTestId('train-summary')).toHaveAttribute('data-backend', 'wasm');
  // Auto decided from this browser's adapter: headless Chromium has none, or a software one (never timed, never taken).
  await expect(inspector.getByTestId('train-summary')).toContainText(/on wasm \((this browser has no WebGPU|no hardware GPU: the WebGPU adapter here is software)/);
  await expect(inspector.getByTestId('train-summary')).toContainText('1,000 embedding');
  const samples = inspector.getByTestId('train-sample');
  await expect(samples).toHaveCount(3);
  await expect(samples.last()).toContainText('step 8');
  // The samples are Odia text (the prompt continued), not IDs.
  expect(await samples.last().textContent()).toMatch(/\p{Script=Oriya}/u);
  await expect(inspector.getByTestId('train-verdict')).toContainText('Held-out loss at step 8');
  // The embedding map: the 12 most frequent tokens, drawn as Odia, one picture per evaluation (steps 0, 2, …, 8).
  const map = inspector.getByTestId('train-embedding');
  await expect(map.getByTestId('embedding-point')).toHaveCount(12);
  await expect(map.getByTestId('embedding-step')).toHaveText('step 8');
  expect(await map.locator('text').allTextContents()).toContainEqual(expect.stringMatching(/\p{Script=Oriya}/u));
  const at8 = await map.getByTestId('embedding-point').first().locator('circle').getAttribute('cx');
  await map.getByTestId('embedding-slider').fill('0');
  await expect(map.getByTestId('embedding-step')).toHaveText('step 0');
  expect(await map.getByTestId('embedding-point').first().locator('circle').getAttribute('cx')).not.toBe(at8);
  await expect(node.getByTestId('train-model-body')).toContainText('vocab 1,000');
  // The node says its held-out loss per character, the figure that compares models on different tokenizers.
  await expect(node.getByTestId('train-model-per-char')).toContainText(/^\d\.\d{3} nats per character \(\d\.\d\d characters a token\)$/);

  // The download: a folder in a zip that transformers.js loads as it is, and reads the Odia prompt with.
  const [download] = await Promise.all([page.waitForEvent('download'), inspector.getByTestId('train-download').click()]);
  const files = unzipSync(readFileSync((await download.path())!));
  const folder = Object.keys(files)[0]!.split('/')[0]!;
  expect(Object.keys(files).map((f) => f.slice(folder.length + 1)).sort()).toEqual(['config.json', 'generation_config.json', 'onnx/model.onnx', 'tokenizer.json', 'tokenizer_config.json']);
  const root = mkdtempSync(join(tmpdir(), 'tokenloom-download-'));
  for (const [name, bytes] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), bytes);
  }
  env.allowLocalModels = true;
  env.allowRemoteModels = false;
  env.localModelPath = `${root}/`;
  const tokenizer = await AutoTokenizer.from_pretrained(folder);
  const lm = await AutoModelForCausalLM.from_pretrained(folder, { dtype: 'fp32' });
  const prompt = findTemplate('train-odia')!.doc.nodes.find((n) => n.id === 'prompt')!.params.text as string;
  const inputs = tokenizer(prompt);
  expect(tokenizer.decode(inputs.input_ids.tolist()[0], { skip_special_tokens: true })).toBe(prompt);
  const { logits } = (await lm(inputs)) as { logits: { dims: number[]; data: Float32Array } };
  expect(logits.dims).toEqual([1, inputs.input_ids.dims[1], 1000]);
  expect(logits.data.every(Number.isFinite)).toBe(true);
  await lm.dispose();

  await inspect(page, 'generate');
  await expect(page.getByTestId('node-generate').getByTestId('node-status')).toHaveAttribute('data-status', /done|cached/, { timeout: 120_000 });
  await expect(inspector.getByTestId('generate-backend')).toHaveAttribute('data-backend', 'wasm');
  const text = await inspector.getByTestId('generate-text').textContent();
  expect(text).toMatch(/\p{Script=Oriya}/u);
  await expect(inspector).toContainText('tiny model on BPE (trained)');
});

/** Stop keeps a training in the worker; Run again continues it from the step it reached. */
test('Stop then Run again continues the training from the step it reached', async ({ page }) => {
  test.setTimeout(480_000);
  const doc = structuredClone(findTemplate('train-odia')!.doc);
  const train = doc.nodes.find((n) => n.id === 'train')!;
  train.params = { ...train.params, steps: 400, sampleEvery: 100, evalEvery: 100 };
  await page.goto(`/#g=${LZString.compressToEncodedURIComponent(JSON.stringify(doc))}`);
  await inspect(page, 'train');
  const node = page.getByTestId('node-train');
  const progress = node.getByTestId('node-progress');
  const stepOf = async () => Number((await progress.textContent())?.match(/Step (\d+)\//)?.[1] ?? Number.NaN);
  await expect(progress).toContainText(/Step ([3-9]|\d\d+)\//, { timeout: 360_000 });
  const before = await stepOf();
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(node.getByTestId('node-stopped')).toContainText('you pressed Stop');
  await expect(page.getByTestId('inspector').getByTestId('inspector-stopped')).toContainText('Run again');

  await page.getByTestId('run-again').click();
  await expect(page.getByTestId('run-again')).toBeHidden();
  // A fresh training would report "Before training", then step 1, 2, …: a continued one goes on past where it stopped.
  // Run again first tokenizes the 870 KB corpus again (a minute or more on a busy machine).
  await expect(progress).toContainText(/Step \d+\//, { timeout: 240_000 });
  expect(await stepOf()).toBeGreaterThan(before);
  await expect(progress).not.toContainText('Before training');
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
});

import { expect, test } from '@playwright/test';

/**
 * The Fine-tune template in a real Chromium: TensorFlow.js trains the shipped model for a few
 * steps on WASM inside the engine's Web Worker, and the inspector shows that the watch text's IDs
 * did not change while the embedding rows did.
 */
test('fine-tuning in the browser on WASM leaves the IDs unchanged and moves the embedding rows', async ({ page }) => {
  // Minutes only on a machine with every core busy; the waits below are for a state, not a time.
  test.setTimeout(480_000);
  const wasmRequests: string[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('.wasm')) wasmRequests.push(new URL(request.url()).pathname);
  });
  await page.goto('/?template=finetune');
  const node = page.getByTestId('node-finetune');
  // While it trains, the inspector draws the curves step by step.
  await expect(page.getByTestId('inspector').getByTestId('finetune-live')).toContainText('Training: step', { timeout: 400_000 });
  await expect(node.getByTestId('node-progress')).toContainText('Step', { timeout: 400_000 });
  await expect(node.getByTestId('node-status')).toHaveAttribute('data-status', /done|cached/, { timeout: 400_000 });
  await expect(node.getByTestId('finetune-body')).toContainText('IDs unchanged');

  const inspector = page.getByTestId('inspector');
  await expect(inspector.getByTestId('inspector-question')).toHaveText('Do token IDs change during fine-tuning?');
  await expect(inspector.getByTestId('finetune-ids-verdict')).toHaveText('✓ IDs unchanged');
  // GPT-2's IDs for "Tokenizers turn text into", the same before and after.
  await expect(inspector.getByTestId('finetune-ids-check')).toContainText('Token IDs before: 30642 11341 1210 2420 656 · after: 30642 11341 1210 2420 656 — identical');
  await expect(inspector.getByTestId('finetune-summary')).toContainText('8 steps');
  await expect(inspector.getByTestId('finetune-summary')).toContainText('wasm');

  const changes = await inspector.getByTestId('finetune-row-change').allTextContents();
  expect(changes).toHaveLength(5);
  for (const change of changes) expect(Number(change)).toBeGreaterThan(0);
  await expect(inspector.getByTestId('finetune-loss-chart')).toBeVisible();
  await expect(inspector.getByTestId('finetune-probe-after')).toBeVisible();
  // Probe bars are on the absolute 0–100 % scale: each bar's share of its track is the percentage beside it.
  const bars = await inspector
    .getByTestId('finetune-probe-after')
    .getByTestId('finetune-probe-bar')
    .evaluateAll((els) =>
      els.map((bar) => ({
        drawn: (bar as HTMLElement).offsetWidth / (bar.parentElement as HTMLElement).offsetWidth,
        shown: Number(bar.parentElement!.nextElementSibling!.textContent!.replace('%', '')) / 100,
      })),
    );
  expect(bars).toHaveLength(5);
  expect(bars[0]!.shown).toBeLessThan(0.95);
  for (const b of bars) expect(Math.abs(b.drawn - Math.max(0.01, b.shown))).toBeLessThan(0.02);

  // tfjs' wasm came from the app itself, never a CDN.
  expect(wasmRequests.some((p) => p.startsWith('/tfjs/tfjs-backend-wasm'))).toBe(true);
});

import { expect, test, type Page } from '@playwright/test';
import { openLab, inspect } from './helpers';

/**
 * The browser watchdog: a node that runs long shows Running, its elapsed time and a Stop button
 * on the node; a node that holds the engine's thread past the run budget is stopped, the worker
 * replaced, and the graph — the user's edits included — keeps working.
 */

/** The engine's Web Worker (the page's only module worker that runs the graph). */
async function engineWorker(page: Page) {
  await expect.poll(() => page.workers().length).toBeGreaterThan(0);
  return page.workers()[0]!;
}

/** How long the page takes to answer a click on the shortcuts button, measured in the page. */
function clickAnswerMs(page: Page) {
  return page.evaluate(async () => {
    const button = document.querySelector<HTMLButtonElement>('button[aria-label="Keyboard shortcuts"]')!;
    const isOpen = () => document.querySelector('[role="dialog"][aria-label="Keyboard shortcuts"]') !== null;
    const t0 = performance.now();
    button.click();
    // React renders the click's update in a microtask; poll on every task until the dialog is there.
    while (!isOpen() && performance.now() - t0 < 2000) await new Promise((resolve) => setTimeout(resolve, 0));
    return { ms: performance.now() - t0, open: isOpen() };
  });
}

test('a long run shows Running, the elapsed time and Stop on its node; Stop ends it and an edit runs again', async ({ page }) => {
  await page.goto('/?template=finetune');
  const stopOnNode = page.getByTestId('node-stop').first();
  await expect(stopOnNode).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('node-elapsed').first()).toContainText(/\d+ s/);
  await expect(page.getByTestId('run-status')).toContainText('Running in the browser');
  await stopOnNode.click();
  await expect(page.getByTestId('node-stopped').first()).toContainText(/Stopped after \d+ s: you pressed Stop\./);
  await expect(page.locator('[data-status="running"]')).toHaveCount(0);
  await page.getByTestId('node-text').getByTestId('text-input').fill('A fresh start');
  await expect(page.getByTestId('node-text').getByTestId('node-status')).toHaveAttribute('data-status', 'done');
});

test('an engine that stops answering is replaced after the budget, the page answers clicks meanwhile, and edits are kept', async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('tokenloom:run-budget-s', '3'));
  await openLab(page);
  const input = page.getByTestId('node-text').getByTestId('text-input');

  // Hold the worker's thread, as a node that never yields would: no event, no heartbeat.
  const worker = await engineWorker(page);
  void worker
    .evaluate(() => {
      for (;;) {
        // spin until the watchdog terminates this worker
      }
    })
    .catch(() => undefined);
  await input.fill('Typed while the engine was stuck');

  // The page itself is not blocked: a click is answered while the worker spins. (About 5–20 ms
  // on an idle machine; the bound is loose because this suite also runs beside a CPU hog per
  // core, and a page blocked by the engine would not answer at all.)
  const answer = await clickAnswerMs(page);
  expect(answer.open).toBe(true);
  expect(answer.ms).toBeLessThan(1000);
  await page.keyboard.press('Escape');

  await expect(page.getByTestId('toast')).toContainText('The engine did not answer for over 3 s and was restarted. Your graph is as you left it', {
    timeout: 30_000,
  });
  await expect(input).toHaveValue('Typed while the engine was stuck');

  // A fresh worker runs the next edit.
  await input.fill('Typed while the engine was stuck, and then some');
  await expect(page.getByTestId('node-pretokenize').getByTestId('node-status')).toHaveAttribute('data-status', /done|cached/);
  await expect(page.getByTestId('node-text').getByTestId('node-status')).toHaveAttribute('data-status', 'done');
  await expect(input).toHaveValue('Typed while the engine was stuck, and then some');
});

test('a catastrophic regex in Clean runs in linear time: the node finishes and the page never freezes', async ({ page }) => {
  await openLab(page);
  await page.getByTestId('node-text').getByTestId('text-input').fill(`${'a'.repeat(40)}b`);
  await inspect(page, 'clean');
  await page.getByLabel(/Replace pattern/i).fill('(a+)+$');
  await expect(page.getByTestId('node-clean').getByTestId('node-status')).toHaveAttribute('data-status', 'done');
  await expect(page.getByTestId('node-pretokenize').getByTestId('node-status')).toHaveAttribute('data-status', /done|cached/);
  // A construct the linear-time engine cannot run is refused as it is typed, by name.
  await page.getByLabel(/Replace pattern/i).fill('(?<=a)b');
  await expect(page.getByTestId('node-clean').getByTestId('node-error')).toContainText('Lookbehind');
});

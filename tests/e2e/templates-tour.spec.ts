import { expect, test, type Page } from '@playwright/test';
import { TEMPLATES } from '@/nodes/templates';

/**
 * Every template, opened as a new user opens it, at 1600 × 1000: no console error and no failed
 * request, every computing node ends ran or cached, no node box overlaps another or the minimap,
 * the text on the canvas and in the lesson speaks to learners (no words from how the app was
 * specified), and it all runs under the production CSP (no violation) in a cross-origin isolated
 * page.
 */
test.use({ viewport: { width: 1600, height: 1000 } });

/** Words from how the app was specified, not for learners. */
const NOT_FOR_LEARNERS = /\bseed example\b|\bthe (spec|brief|issue)\b/i;

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width - 1 && b.x < a.x + a.width - 1 && a.y < b.y + b.height - 1 && b.y < a.y + a.height - 1;

/** Until the camera has stopped moving (the fit animates): two reads in a row agree. */
async function settled(page: Page) {
  let last = '';
  await expect
    .poll(async () => {
      const now = await page.locator('.react-flow__viewport').evaluate((el) => getComputedStyle(el).transform);
      const same = now === last;
      last = now;
      return same;
    })
    .toBe(true);
}

async function boxes(page: Page) {
  return page.locator('.react-flow__node').evaluateAll((els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect();
      return { id: el.getAttribute('data-id') ?? '?', x: r.x, y: r.y, width: r.width, height: r.height };
    }),
  );
}

test('every template opens cleanly: no console errors or failed requests, every node ran, nothing overlaps', async ({ page }) => {
  // The training templates train in the browser (seconds on a quiet machine, minutes on a busy
  // one); the rest take seconds. The limits only catch a hang.
  test.setTimeout(900_000);
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // A request the page abandons when the next template replaces it (ERR_ABORTED) is not a failure of the template.
  page.on('requestfailed', (r) => r.failure()?.errorText !== 'net::ERR_ABORTED' && problems.push(`failed request: ${r.url()} (${r.failure()?.errorText})`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  // Every template runs under the production CSP: any violation it reports is a problem.
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });

  for (const template of TEMPLATES) {
    await test.step(template.id, async () => {
      await page.goto(`/?template=${template.id}`);
      // Cross-origin isolated, so the model's WASM can use threads.
      expect(await page.evaluate(() => crossOriginIsolated), `${template.id}: cross-origin isolated`).toBe(true);
      const computing = page.locator('.react-flow__node:not(.react-flow__node-note)');
      await expect(computing).toHaveCount(template.doc.nodes.filter((n) => n.type !== 'note').length);
      for (const node of template.doc.nodes.filter((n) => n.type !== 'note')) {
        await expect(page.getByTestId(`node-${node.id}`).getByTestId('node-status'), `${template.id}: ${node.id}`).toHaveAttribute('data-status', /^(done|cached)$/, {
          // Nodes downstream of a training wait for it.
          timeout: template.doc.nodes.some((n) => n.type === 'finetune' || n.type === 'train-model') ? 400_000 : 90_000,
        });
      }
      // After the results (node sizes follow their content), fit again as the user would.
      await page.getByRole('button', { name: 'Fit view', exact: true }).click();
      await settled(page);
      const placed = await boxes(page);
      const minimap = (await page.locator('.react-flow__minimap').boundingBox())!;
      for (const [i, a] of placed.entries()) {
        expect(overlaps(a, minimap), `${template.id}: ${a.id} under the minimap`).toBe(false);
        for (const b of placed.slice(i + 1)) expect(overlaps(a, b), `${template.id}: ${a.id} overlaps ${b.id}`).toBe(false);
      }
      const words = await page.locator('.react-flow').innerText();
      expect(words, template.id).not.toMatch(NOT_FOR_LEARNERS);
      // The lesson's text too: what the editor shows, and what its fields hold.
      await page.getByTestId('open-lesson').click();
      const panel = page.getByTestId('lesson-panel');
      await expect(panel.getByTestId('lesson-step')).toHaveCount(template.doc.lesson?.steps.length ?? 0);
      const lesson = await panel.evaluate((el: HTMLElement) =>
        [el.innerText, ...Array.from(el.querySelectorAll('input, textarea'), (f) => (f as HTMLInputElement).value)].join('\n'),
      );
      expect(lesson, `${template.id} lesson`).not.toMatch(NOT_FOR_LEARNERS);
      await page.getByRole('button', { name: 'Close lesson panel' }).click();
    });
  }
  expect(problems).toEqual([]);
});

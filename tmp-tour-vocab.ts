import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './tests/chromium';
const out = '/tmp/train16-tour';
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
const errors: string[] = [];
page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
page.on('pageerror', (e) => errors.push(String(e)));
await page.goto('http://127.0.0.1:3242/?template=vocab-size-model');
const t0 = Date.now();
for (const id of ['small-vocab', 'large-vocab']) {
  await page.getByTestId(`node-${id}`).getByTestId('node-status').and(page.locator('[data-status="done"], [data-status="cached"], [data-status="error"]')).waitFor({ timeout: 400_000 });
  console.log(id, 'done at', (Date.now() - t0) / 1000);
}
await page.screenshot({ path: `${out}/vocab-canvas.png` });
for (const id of ['small-vocab', 'large-vocab']) {
  await page.getByTestId(`node-${id}`).locator('span.font-semibold').first().click();
  await page.waitForTimeout(1000);
  const insp = page.getByTestId('inspector');
  console.log('=== ', id, '\n', (await insp.innerText()).slice(0, 3000));
  await insp.screenshot({ path: `${out}/vocab-${id}.png` });
  console.log('BODY', await page.getByTestId(`node-${id}`).innerText());
}
console.log('errors', errors);
await browser.close();

/**
 * Keystroke → updated pre-tokens, measured in Chromium on a production build.
 *
 * A 2 KB text is loaded into the Text node with the Pretokenize inspector open; then characters
 * are typed one at a time (120 ms apart, like a fast typist). For each keystroke the page
 * records the time from the keydown event to the moment the inspector shows pieces ending at
 * the new text length (MutationObserver), i.e. the whole path: React state → worker → engine →
 * events → render. Prints median and p95.
 *
 * Run: npm run build && npx tsx bench/keystroke.ts
 */
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH, percentile, startServer } from './serve';

const PORT = 3190;
const KEYSTROKES = 60;

export async function benchKeystroke(): Promise<{ median: number; p95: number; n: number }> {
  const server = await startServer(PORT);
  try {
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    await page.goto(`${server.url}/`);
    const input = page.getByTestId('node-text').getByTestId('text-input');
    const base = 'Tokenizers cut text into pieces and map each piece to an ID. ';
    const text = base.repeat(Math.ceil(2048 / base.length)).slice(0, 2048);
    await input.fill(text);
    await page.getByTestId('node-pretokenize').locator('span.font-semibold').first().click();
    await page.waitForFunction((n) => document.querySelector('[data-testid="pieces"]')?.getAttribute('data-last-end') === String(n), text.length);
    await page.evaluate(() => {
      const w = window as unknown as { __lat: number[] };
      w.__lat = [];
      const ta = document.querySelector('[data-testid="text-input"]') as HTMLTextAreaElement;
      const pieces = document.querySelector('[data-testid="pieces"]')!;
      let started = 0;
      let expected = -1;
      ta.addEventListener('keydown', () => {
        started = performance.now();
        expected = ta.value.length + 1;
      }, true);
      new MutationObserver(() => {
        if (expected > 0 && pieces.getAttribute('data-last-end') === String(expected)) {
          w.__lat.push(performance.now() - started);
          expected = -1;
        }
      }).observe(pieces, { attributes: true, attributeFilter: ['data-last-end'] });
    });
    await input.focus();
    await page.keyboard.press('End');
    for (let i = 0; i < KEYSTROKES; i++) {
      await page.keyboard.type('abc d'[i % 5]!);
      await page.waitForTimeout(120);
    }
    const latencies = (await page.evaluate(() => (window as unknown as { __lat: number[] }).__lat)).sort((a, b) => a - b);
    await browser.close();
    return { median: percentile(latencies, 0.5), p95: percentile(latencies, 0.95), n: latencies.length };
  } finally {
    server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchKeystroke();
  console.log(`keystroke → updated pre-tokens (2 KB text, Chromium): median ${r.median.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms (n=${r.n})`);
}

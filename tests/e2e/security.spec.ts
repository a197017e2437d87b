import { expect, test, type Page } from '@playwright/test';
import { TEMPLATES } from '@/nodes/templates';

/**
 * The production server's security headers, read from `next start`, and every template run
 * under them: the Content-Security-Policy must be one the app really passes (no violation while
 * any template runs), and the page must be cross-origin isolated (WASM threads for the model).
 */

test('pages carry the CSP with a fresh nonce, isolation and the other security headers; no X-Powered-By', async ({ request }) => {
  const first = await request.get('/');
  const second = await request.get('/');
  const h = first.headers();
  const csp = h['content-security-policy'] ?? '';
  expect(csp).toContain("default-src 'self'");
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic' 'wasm-unsafe-eval'/);
  expect(csp).not.toContain("'unsafe-eval'");
  expect(csp).toContain("frame-ancestors 'self'");
  expect(csp).toContain("object-src 'none'");
  const nonce = (c: string) => /'nonce-([^']+)'/.exec(c)?.[1];
  expect(nonce(csp)).not.toEqual(nonce(second.headers()['content-security-policy'] ?? ''));
  // Next.js's inline scripts carry that nonce; none goes without.
  const html = await first.text();
  const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((m) => m[1] ?? '');
  expect(inline.length).toBeGreaterThan(0);
  for (const attrs of inline) expect(attrs).toContain(`nonce="${nonce(csp)}"`);

  // The page opens in its own browsing context group (isolation); on a loopback host like this.
  expect(h['cross-origin-opener-policy']).toBe('same-origin');
  for (const response of [first, await request.get('/api/trpc/graph.get?input=%7B%22json%22%3A%7B%22id%22%3A%22x%22%7D%7D'), await request.head('/ort/ort-wasm-simd-threaded.asyncify.mjs')]) {
    const headers = response.headers();
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(headers['cross-origin-embedder-policy']).toBe('require-corp');
    expect(headers['permissions-policy']).toContain('camera=()');
    expect(headers['x-powered-by']).toBeUndefined();
  }
});

/** Collects CSP violations the page reports, from the first script on. */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  const fromConsole: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to (load|execute|connect|create|apply)/i.test(m.text())) fromConsole.push(m.text());
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return async () => [...fromConsole, ...(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations))];
}

test('every template runs to the end under the CSP, cross-origin isolated, with no violation', async ({ page }) => {
  test.setTimeout(600_000);
  const violations = await watchViolations(page);
  for (const template of TEMPLATES) {
    await page.goto(`/?template=${template.id}`);
    expect(await page.evaluate(() => crossOriginIsolated), 'cross-origin isolated').toBe(true);
    // Wait for the state: every computing node has a result (ran or cached), none failed.
    await expect(async () => {
      const statuses = await page.getByTestId('node-status').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
      expect(statuses.length).toBeGreaterThan(0);
      expect(statuses.filter((s) => s !== 'done' && s !== 'cached'), template.id).toEqual([]);
    }).toPass({ timeout: 300_000 });
    expect(await violations(), template.id).toEqual([]);
  }
});

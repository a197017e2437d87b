import { expect, test } from '@playwright/test';

/**
 * The production server's security headers, read from `next start`. That every template runs
 * under them with no CSP violation, cross-origin isolated, is checked by the template tour
 * (templates-tour.spec.ts), which runs every template once.
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

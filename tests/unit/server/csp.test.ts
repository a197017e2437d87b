import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, frameAncestorsFrom } from '@/server/http/csp';

describe('the page Content-Security-Policy', () => {
  it('allows scripts only with the nonce, WebAssembly for the runtimes, and eval only in development', () => {
    const prod = contentSecurityPolicy({ nonce: 'n0nce', dev: false, frameAncestors: "'self'" });
    expect(prod).toContain("script-src 'self' 'nonce-n0nce' 'strict-dynamic' 'wasm-unsafe-eval';");
    expect(prod).not.toContain("'unsafe-eval'");
    expect(prod).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(prod).toContain("object-src 'none'");
    expect(prod.endsWith("frame-ancestors 'self'")).toBe(true);
    expect(contentSecurityPolicy({ nonce: 'x', dev: true, frameAncestors: "'self'" })).toMatch(/script-src[^;]*'unsafe-eval'/);
  });

  it('lets a school name the LMS origins that may embed lessons', () => {
    expect(frameAncestorsFrom(undefined)).toEqual({ sources: "'self'", problem: null });
    expect(frameAncestorsFrom("  'self'   https://lms.example.edu https://*.school.org:8443 ")).toEqual({
      sources: "'self' https://lms.example.edu https://*.school.org:8443",
      problem: null,
    });
  });

  it('falls back to this server alone when a frame-ancestors entry is not an origin, and says which', () => {
    for (const bad of ['*', "https://ok.edu 'unsafe-inline'", 'javascript:alert(1)', 'https://x.edu; script-src *', 'ftp://files.edu']) {
      const result = frameAncestorsFrom(bad);
      expect(result.sources, bad).toBe("'self'");
      expect(result.problem, bad).toMatch(/TOKENLOOM_FRAME_ANCESTORS has '.+', which is not 'self', 'none' or an http\(s\) origin/);
    }
    expect(frameAncestorsFrom("'none' https://a.edu").sources).toBe("'none'");
  });
});

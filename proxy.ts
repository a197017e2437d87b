/**
 * Next.js proxy (runs before every page request): gives each page render a fresh nonce and the
 * Content-Security-Policy that allows only scripts carrying it (server/http/csp.ts). Next.js
 * reads the nonce from the request's CSP header and puts it on its own inline scripts, which is
 * why pages render dynamically.
 *
 * Also Cross-Origin-Opener-Policy, where the browser can honour it (see isSecureContextFor).
 *
 * Not handled here: API routes and static files (no HTML, no CSP needed); the other security
 * headers (next.config.mjs).
 */
import { NextResponse, type NextRequest } from 'next/server';
import { contentSecurityPolicy, frameAncestorsFrom, ollamaOriginsFrom } from '@/server/http/csp';

const frame = frameAncestorsFrom(process.env.TOKENLOOM_FRAME_ANCESTORS);
if (frame.problem) console.warn(`[security] ${frame.problem}`);
const ollamaOrigins = ollamaOriginsFrom(process.env.TOKENLOOM_OLLAMA_URL);

export function proxy(request: NextRequest) {
  const nonce = btoa(crypto.randomUUID());
  const csp = contentSecurityPolicy({ nonce, dev: process.env.NODE_ENV === 'development', frameAncestors: frame.sources, ollamaOrigins });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('Content-Security-Policy', csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('Content-Security-Policy', csp);
  // Isolation needs a secure context (https, or localhost); over a classroom's plain-http LAN
  // address the browser ignores COOP and says so in the console, so send it only where it works.
  if (isSecureContextFor(request)) response.headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  return response;
}

/** Whether a browser treats this page's origin as secure: https, or a loopback host. */
function isSecureContextFor(request: NextRequest): boolean {
  const forwarded = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim();
  if ((forwarded ?? request.nextUrl.protocol.replace(':', '')) === 'https') return true;
  // The Host header the browser sent (nextUrl may be normalised to localhost by the dev server).
  const host = (request.headers.get('host') ?? request.nextUrl.host).replace(/:\d+$/, '');
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export const config = {
  matcher: [
    {
      source: '/((?!api|_next/static|_next/image|favicon.ico|ort/|tfjs/|models/|hub/).*)',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
};

/**
 * The page's Content-Security-Policy: what a Tokenloom page may load and run.
 *
 *   contentSecurityPolicy({ nonce: 'abc', dev: false, frameAncestors: "'self'" })
 *   // "default-src 'self'; script-src 'self' 'nonce-abc' 'strict-dynamic' 'wasm-unsafe-eval'; …"
 *
 * - Scripts: the app's own, started by Next.js's nonce'd bootstrap ('strict-dynamic' lets those
 *   load the rest), and WebAssembly compilation for ONNX Runtime Web and TensorFlow.js
 *   ('wasm-unsafe-eval'). No inline script runs without the request's nonce. Development adds
 *   'unsafe-eval' (React's dev tooling needs it; production does not).
 * - Styles: the app's stylesheet and inline style attributes (React Flow positions every node
 *   with one), so 'unsafe-inline' for styles only.
 * - Connections: this server, and the Hugging Face hub for online users who load a hub model
 *   or tokenizer (the shipped ones never leave the app), and a local Ollama (127.0.0.1 / localhost
 *   :11434, plus the origin of TOKENLOOM_OLLAMA_URL when set) for the Ollama model source.
 * - Workers: the engine's Web Worker and the runtimes' own (same origin, or blob: URLs).
 * - Framing: `frameAncestors`, 'self' unless TOKENLOOM_FRAME_ANCESTORS names others (a
 *   school's LMS that embeds lessons).
 *
 * Not handled here: the other security headers (next.config.mjs sets them on every response).
 */

export const HUB_ORIGINS = ['https://huggingface.co', 'https://*.huggingface.co', 'https://*.hf.co'] as const;

export const OLLAMA_ORIGINS = ['http://127.0.0.1:11434', 'http://localhost:11434'] as const;

/** The Ollama origins the page may connect to: the local defaults plus TOKENLOOM_OLLAMA_URL's origin. */
export function ollamaOriginsFrom(value: string | undefined): string[] {
  const origins: string[] = [...OLLAMA_ORIGINS];
  const url = value?.trim();
  if (url && URL.canParse(url)) {
    const parsed = new URL(url);
    if (/^https?:$/.test(parsed.protocol) && !origins.includes(parsed.origin)) origins.push(parsed.origin);
  }
  return origins;
}

/** One frame-ancestors source: 'self', 'none', or an http(s) origin (a leading *. wildcard allowed). */
const FRAME_SOURCE = /^(?:'self'|'none'|https?:\/\/(?:\*\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*(?::\d{1,5})?)$/i;

/**
 * The frame-ancestors sources from TOKENLOOM_FRAME_ANCESTORS (space separated), or 'self'.
 * An invalid entry makes the whole value fall back to 'self', with the reason.
 */
export function frameAncestorsFrom(value: string | undefined): { sources: string; problem: string | null } {
  const tokens = (value ?? '').trim().split(/\s+/).filter(Boolean);
  if (tokens.length === 0) return { sources: "'self'", problem: null };
  const bad = tokens.find((t) => !FRAME_SOURCE.test(t));
  if (bad !== undefined) {
    return {
      sources: "'self'",
      problem: `TOKENLOOM_FRAME_ANCESTORS has '${bad.slice(0, 80)}', which is not 'self', 'none' or an http(s) origin such as https://lms.example.edu; only this server may frame the lab.`,
    };
  }
  if (tokens.includes("'none'") && tokens.length > 1) {
    return { sources: "'none'", problem: "TOKENLOOM_FRAME_ANCESTORS mixes 'none' with other sources; 'none' wins." };
  }
  return { sources: tokens.join(' '), problem: null };
}

export function contentSecurityPolicy(options: { nonce: string; dev: boolean; frameAncestors: string; ollamaOrigins?: readonly string[] }): string {
  const directives: [string, ...string[]][] = [
    ['default-src', "'self'"],
    ['script-src', "'self'", `'nonce-${options.nonce}'`, "'strict-dynamic'", "'wasm-unsafe-eval'", ...(options.dev ? ["'unsafe-eval'"] : [])],
    ['style-src', "'self'", "'unsafe-inline'"],
    ['img-src', "'self'", 'data:', 'blob:'],
    ['font-src', "'self'", 'data:'],
    ['connect-src', "'self'", 'blob:', 'data:', ...HUB_ORIGINS, ...(options.ollamaOrigins ?? OLLAMA_ORIGINS), ...(options.dev ? ['ws:'] : [])],
    ['worker-src', "'self'", 'blob:'],
    ['object-src', "'none'"],
    ['base-uri', "'self'"],
    ['form-action', "'self'"],
    ['frame-ancestors', options.frameAncestors],
  ];
  return directives.map((d) => d.join(' ')).join('; ');
}

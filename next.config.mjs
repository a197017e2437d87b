import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import { join, relative } from 'node:path';
import process from 'node:process';
import { PHASE_DEVELOPMENT_SERVER, PHASE_PRODUCTION_SERVER } from 'next/constants.js';
import { tsImport } from 'tsx/esm/api';

/**
 * Security headers on every response (the page's Content-Security-Policy, which needs a
 * per-request nonce, is set by proxy.ts):
 * - Cross-origin isolation (COEP require-corp here, COOP same-origin on pages from proxy.ts): ONNX
 *   Runtime Web may then use WASM threads. Everything the app loads is its own, so nothing needs
 *   a cross-origin resource policy; hub downloads for online users are CORS fetches.
 * - nosniff, a referrer policy, and a Permissions-Policy that turns off what the lab never uses.
 */
const securityHeaders = [
  { key: 'Cross-Origin-Embedder-Policy', value: 'require-corp' },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  {
    key: 'Permissions-Policy',
    value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=()',
  },
];

/**
 * `npm run dev` serves its scripts only to the origins Next.js allows: localhost, plus these.
 * A class reaches the teacher's machine by its LAN address (the "Network:" line dev prints), or
 * by 127.0.0.1, so allow every address of this machine's interfaces, and any host named in
 * TOKENLOOM_DEV_ORIGINS (comma or space separated, e.g. "lab.school.lan").
 */
function devOrigins() {
  const addresses = Object.values(networkInterfaces())
    .flat()
    .filter((i) => i && !i.internal && i.family === 'IPv4')
    .map((i) => i.address);
  const named = (process.env.TOKENLOOM_DEV_ORIGINS ?? '').split(/[\s,]+/).filter(Boolean);
  return [...new Set(['127.0.0.1', hostname(), ...addresses, ...named])];
}

/**
 * The version of the files the browser keeps in its Cache API (nodes/shared/file-cache.ts): a
 * hash of every file under public/models, public/hub and public/ort (names and bytes), so a
 * retrained model or a new ONNX Runtime gets a new cache instead of a stale one. About 60 MB
 * read once per start.
 */
function cachedFilesVersion() {
  const hash = createHash('sha256');
  const walk = (dir) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch {
      return; // public/ort is copied by `npm run assets`; without it the rest still versions
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) hash.update(`${relative('public', path)}\0`).update(readFileSync(path));
    }
  };
  for (const dir of ['models', 'hub', 'ort']) walk(join('public', dir));
  return hash.digest('hex').slice(0, 16);
}

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  allowedDevOrigins: devOrigins(),
  env: { NEXT_PUBLIC_TOKENLOOM_FILES_VERSION: cachedFilesVersion() },
  // Type-checking is its own step of `npm test` (tsc --noEmit); the build does not repeat it.
  typescript: { ignoreBuildErrors: true },
  // Native and WASM runtimes stay out of the server bundle; Node loads them itself.
  serverExternalPackages: ['@huggingface/transformers', 'onnxruntime-node', '@electric-sql/pglite', 'tokenizers'],
  async headers() {
    return [{ source: '/:path*', headers: securityHeaders }];
  },
  // Pages name app/icon.svg in their <link rel="icon">; browsers and tools that ask for
  // /favicon.ico by name get the same icon rather than a 404.
  async rewrites() {
    return [{ source: '/favicon.ico', destination: '/icon.svg' }];
  },
};

/**
 * Before `next start` or `next dev` serves anything, check the environment as the server will
 * read it (server/env.ts `requireWebServerEnv`, loaded with tsx as the engine processes are): a
 * bad value, or DATABASE_URL without TOKENLOOM_SECRET, is one sentence and exit 1 instead of a
 * server that fails, or splits its clients, at the first request. `next build` is not checked.
 */
async function refuseBadServerEnv() {
  try {
    // Loading the module parses the environment already, so a bad value throws here too.
    const { requireWebServerEnv } = await tsImport('./server/env.ts', import.meta.url);
    requireWebServerEnv();
  } catch (error) {
    if (!(error instanceof Error) || error.name !== 'EnvError') throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

export default async function config(phase) {
  if (phase === PHASE_PRODUCTION_SERVER || phase === PHASE_DEVELOPMENT_SERVER) await refuseBadServerEnv();
  return nextConfig;
}

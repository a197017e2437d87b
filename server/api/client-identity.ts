/**
 * Who is asking, for per-client limits (runs, saves) and for cancelling one's own runs: a
 * signed, httpOnly cookie the server issues, never a header the client chooses.
 *
 * - Cookie `tl_client=v1.<id>.<sig>`: `id` is 16 random bytes, `sig` is HMAC-SHA256 of the id
 *   under the server secret (base64url). A cookie that is missing, malformed or signed with
 *   another secret is ignored and a new one is issued in the response (Set-Cookie: HttpOnly,
 *   SameSite=Lax, Path=/, a year; Secure over https).
 * - A request without a valid cookie is not yet anyone: it counts as `anon:<address>`, all
 *   such requests from one address sharing one budget, so dropping cookies gains nothing.
 *   The address comes from X-Forwarded-For only when TOKENLOOM_TRUST_PROXY says how many
 *   proxies append to it (the entry that many from the right); otherwise it is unknown and
 *   all cookieless requests share one budget. (A Fetch Request carries no socket address.)
 * - The secret: TOKENLOOM_SECRET (required with DATABASE_URL: server/env.ts), else a file `tokenloom-secret` beside the PGlite folder
 *   (`.data/` by default), created at first start with mode 0600, else (PGlite in memory, as
 *   in tests) a random one for this process.
 *
 * @example
 * identifyClient(new Headers({ cookie: 'tl_client=forged' })) // { client: 'anon:unknown', setCookie: 'tl_client=v1.…; HttpOnly; …' }
 *
 * Not handled here: accounts or authentication (graphs are guarded by per-graph edit
 * secrets), how the limits are enforced (run-manager.ts, save-rate-limit.ts). A script can
 * still collect many cookies; the server-wide run limit bounds what that buys.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { env, EnvError, webServerEnvProblem, type ServerEnv } from '@/server/env';

export const CLIENT_COOKIE = 'tl_client';
const COOKIE_MAX_AGE_S = 365 * 24 * 3600;

const holder = globalThis as typeof globalThis & { __tokenloomSecret?: Buffer };

/**
 * The secret kept in `file`: made (32 random bytes, base64url, mode 0600) if the file does not
 * exist, read if it does (its mode tightened to 0600 when looser). `wx` makes two processes
 * starting at once agree on one secret.
 */
export function readOrCreateSecretFile(file: string): Buffer {
  mkdirSync(path.dirname(file), { recursive: true });
  try {
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  const text = readFileSync(file, 'utf8').trim();
  if (text.length < 32) throw new Error(`The server secret in ${file} is shorter than 32 characters; delete the file to make a new one.`);
  return Buffer.from(text, 'utf8');
}

/** The key client cookies are signed with; read or made once per process. */
export function serverSecret(serverEnv: ServerEnv = env): Buffer {
  // next.config.mjs refuses to start without it; this holds for any other way of serving too.
  const problem = webServerEnvProblem(serverEnv);
  if (problem) throw new EnvError(problem);
  if (holder.__tokenloomSecret) return holder.__tokenloomSecret;
  let secret: Buffer;
  if (serverEnv.TOKENLOOM_SECRET) secret = Buffer.from(serverEnv.TOKENLOOM_SECRET, 'utf8');
  else if (serverEnv.PGLITE_DATA_DIR.startsWith('memory://')) secret = randomBytes(32);
  else secret = readOrCreateSecretFile(path.join(path.dirname(path.resolve(serverEnv.PGLITE_DATA_DIR)), 'tokenloom-secret'));
  holder.__tokenloomSecret = secret;
  return secret;
}

function sign(id: string): string {
  return createHmac('sha256', serverSecret()).update(`tokenloom-client:${id}`).digest('base64url');
}

/** A new signed cookie value, `v1.<id>.<sig>`. */
export function issueClientCookieValue(): string {
  const id = randomBytes(16).toString('base64url');
  return `v1.${id}.${sign(id)}`;
}

/** The client id inside a cookie value, or undefined when it is not one we signed. */
export function verifyClientCookieValue(value: string): string | undefined {
  const [version, id, sig, ...rest] = value.split('.');
  if (version !== 'v1' || !id || !sig || rest.length > 0 || !/^[A-Za-z0-9_-]{22}$/.test(id)) return undefined;
  const expected = Buffer.from(sign(id));
  const given = Buffer.from(sig);
  return given.length === expected.length && timingSafeEqual(given, expected) ? id : undefined;
}

function cookieValue(headers: Headers, name: string): string | undefined {
  for (const part of (headers.get('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * The client's network address: from X-Forwarded-For only when `trustedProxies` proxies are
 * known to append to it (the entry that many from the right); else undefined.
 *
 * @example
 * clientAddress(new Headers({ 'x-forwarded-for': 'forged, 203.0.113.7' }), 1) // '203.0.113.7'
 */
export function clientAddress(headers: Headers, trustedProxies: number): string | undefined {
  if (trustedProxies <= 0) return undefined;
  const hops = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((hop) => hop.trim())
    .filter(Boolean);
  return hops[Math.max(0, hops.length - trustedProxies)];
}

export interface ClientIdentity {
  /** `c:<id>` for a signed cookie, `anon:<address>` (or `anon:unknown`) without one. */
  client: string;
  /** A Set-Cookie value to send when the request had no valid cookie. */
  setCookie?: string;
}

export function identifyClient(headers: Headers, options: { secure?: boolean; serverEnv?: ServerEnv } = {}): ClientIdentity {
  const serverEnv = options.serverEnv ?? env;
  const presented = cookieValue(headers, CLIENT_COOKIE);
  const id = presented === undefined ? undefined : verifyClientCookieValue(presented);
  if (id) return { client: `c:${id}` };
  const address = clientAddress(headers, serverEnv.TOKENLOOM_TRUST_PROXY);
  const secure = options.secure || (serverEnv.TOKENLOOM_TRUST_PROXY > 0 && headers.get('x-forwarded-proto') === 'https');
  const attributes = ['HttpOnly', 'SameSite=Lax', 'Path=/', `Max-Age=${COOKIE_MAX_AGE_S}`, ...(secure ? ['Secure'] : [])];
  return {
    client: `anon:${address?.slice(0, 100) ?? 'unknown'}`,
    setCookie: `${CLIENT_COOKIE}=${issueClientCookieValue()}; ${attributes.join('; ')}`,
  };
}

/**
 * Server environment, validated with zod once when this module is first imported.
 *
 * - DATABASE_URL (optional): postgres:// or postgresql:// URL; when set, graphs live in that
 *   PostgreSQL server (node-postgres). Empty counts as unset.
 * - PGLITE_DATA_DIR (optional, default `.data/pglite`): where embedded PGlite keeps its files
 *   when DATABASE_URL is unset; created on first run. `memory://` keeps nothing on disk.
 * - TOKENLOOM_SECRET (32+ characters): signs client cookies. Required with DATABASE_URL, where
 *   several web instances may serve one site and must recognise each other's cookies: a web
 *   server refuses to start without it (`requireWebServerEnv`, called by next.config.mjs).
 *   Workers (`npm run worker`) sign nothing and do not need it. Without DATABASE_URL it is
 *   optional: the server makes one at first start and keeps it in `tokenloom-secret` beside the
 *   PGlite folder (mode 0600; server/api/client-identity.ts).
 * - TOKENLOOM_TRUST_PROXY (optional): how many proxies in front of the server append to
 *   X-Forwarded-For (`1`/`true` = one). Unset or 0: the header is ignored (anyone can set it).
 * - TOKENLOOM_SAVES_PER_MINUTE (optional, default 30): graph saves (create/update/fork) one
 *   client may make per minute.
 *
 * - TOKENLOOM_LIVE_MAX_STUDENTS (optional, default 200): students one live class admits.
 * - TOKENLOOM_LIVE_IDLE_MINUTES (optional, default 120): a live class with no teacher step and
 *   no answer for this long ends by itself.
 * - TOKENLOOM_LIVE_JOIN_GUESSES_PER_MINUTE (optional, default 10): join codes one client may
 *   get wrong per minute, on all instances together (guessing codes; server/live/join-guesses.ts).
 *
 * - TOKENLOOM_OLLAMA_URL (optional): the one Ollama server runs may talk to (http(s) URL, e.g.
 *   http://127.0.0.1:11434). Unset, server runs refuse Ollama; a graph naming any other URL is
 *   refused too (nodes/shared/ollama.ts). Its origin is also added to the page's connect-src.
 *
 * A bad value throws an EnvError whose message (and stack) is one line naming the variable,
 * so the terminal shows the mistake, not a stack trace. Never echoes a URL: it may hold a
 * password. Not handled here: reading .env files (Next.js does that before we run).
 */
import { z } from 'zod';

const emptyAsUnset = (value: unknown) => (value === '' ? undefined : value);

/** Whether a value is an http(s) URL (TOKENLOOM_OLLAMA_URL). */
export function isHttpUrl(value: string): boolean {
  return URL.canParse(value) && /^https?:$/.test(new URL(value).protocol);
}

/** A whole number ≥ 1 from the environment, `fallback` when unset. */
const positiveInt = (fallback: number) =>
  z.preprocess(
    emptyAsUnset,
    z.coerce.number({ message: 'must be a whole number ≥ 1' }).int({ message: 'must be a whole number ≥ 1' }).min(1, { message: 'must be a whole number ≥ 1' }).default(fallback),
  );

const envSchema = z.object({
  NODE_ENV: z
    .enum(['development', 'test', 'production'], { message: 'must be development, test or production' })
    .default('development'),
  DATABASE_URL: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .refine((value) => /^postgres(ql)?:\/\/[^\s]+$/.test(value) && URL.canParse(value), {
        message: 'must be a postgres:// or postgresql:// URL, e.g. postgres://user:password@localhost:5432/tokenloom',
      })
      .optional(),
  ),
  PGLITE_DATA_DIR: z.preprocess(emptyAsUnset, z.string().default('.data/pglite')),
  TOKENLOOM_SECRET: z.preprocess(emptyAsUnset, z.string().min(32, { message: 'must be at least 32 characters' }).optional()),
  TOKENLOOM_TRUST_PROXY: z.preprocess(
    (value) => (value === '' || value === 'false' ? '0' : value === 'true' ? '1' : value),
    z.coerce.number().int().min(0, { message: 'must be true, false or a number of proxies' }).default(0),
  ),
  TOKENLOOM_SAVES_PER_MINUTE: z.preprocess(
    emptyAsUnset,
    z.coerce.number({ message: 'must be a whole number ≥ 1' }).int({ message: 'must be a whole number ≥ 1' }).min(1, { message: 'must be a whole number ≥ 1' }).default(30),
  ),
  TOKENLOOM_LIVE_MAX_STUDENTS: positiveInt(200),
  TOKENLOOM_LIVE_IDLE_MINUTES: positiveInt(120),
  TOKENLOOM_LIVE_JOIN_GUESSES_PER_MINUTE: positiveInt(10),
  TOKENLOOM_OLLAMA_URL: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .refine((value) => isHttpUrl(value), { message: 'must be an http:// or https:// URL, e.g. http://127.0.0.1:11434' })
      .optional(),
  ),
});

export type ServerEnv = z.output<typeof envSchema>;

/** An invalid environment: `message` is one line, and so is `stack`, on purpose. */
export class EnvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnvError';
    this.stack = `${this.name}: ${message}`;
  }
}

/** Parse an environment (process.env by default); throws EnvError on a bad value. */
export function parseServerEnv(source: Record<string, string | undefined> = process.env): ServerEnv {
  const parsed = envSchema.safeParse(source);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(env)'} ${issue.message}`);
  throw new EnvError(`Invalid server environment: ${problems.join('; ')}.`);
}

/**
 * Why a web server must not serve with this environment, or undefined. With DATABASE_URL, web
 * instances that each made their own secret would not recognise each other's cookies: a
 * browser would be a new client on every instance, and per-client limits would break silently.
 */
export function webServerEnvProblem(serverEnv: ServerEnv): string | undefined {
  if (!serverEnv.DATABASE_URL || serverEnv.TOKENLOOM_SECRET) return undefined;
  return (
    'DATABASE_URL is set, so several web instances may serve this site and each must recognise the clients the others signed: ' +
    'set TOKENLOOM_SECRET to the same 32 or more random characters on every web instance, e.g. TOKENLOOM_SECRET=$(openssl rand -base64 32). ' +
    'Workers (npm run worker) do not need it.'
  );
}

/** parseServerEnv, plus what a web server needs (webServerEnvProblem); throws EnvError. */
export function requireWebServerEnv(source: Record<string, string | undefined> = process.env): ServerEnv {
  const parsed = parseServerEnv(source);
  const problem = webServerEnvProblem(parsed);
  if (problem) throw new EnvError(problem);
  return parsed;
}

export const env: ServerEnv = parseServerEnv();

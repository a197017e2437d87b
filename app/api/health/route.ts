/**
 * GET /api/health: whether this web instance can serve, for a load balancer or an operator.
 * JSON `{ ok, database: { ok, driver, ms }, runs }`, where `runs` is the job queue's depth, its
 * active jobs and the workers seen in the last 30 s (with DATABASE_URL), or this server's own
 * engine processes (embedded). HTTP 503 when the database does not answer, or when runs go to
 * the queue and no worker has been seen. Never shows a connection string or an error's text.
 * Not handled here: authentication (it tells nothing a visitor could misuse: counts and host names).
 */
import { readHealth } from '@/server/health';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  const health = await readHealth();
  return Response.json(health, { status: health.ok ? 200 : 503, headers: { 'cache-control': 'no-store' } });
}

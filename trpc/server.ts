/**
 * Calls the app's procedures from server components, in-process (no HTTP), with the app's
 * database. A server component has no client cookie: procedures that need one refuse.
 *
 * Not handled here: the HTTP route (app/api/trpc/[trpc]/route.ts), the browser (trpc/client.ts).
 */
import { createCaller } from '@/server/api/root';
import { getDb } from '@/server/db/client';

export async function serverCaller(headers: Headers = new Headers()) {
  return createCaller({ db: await getDb(), headers });
}

/**
 * Graph saves (graph.create / update / fork) per client: at most TOKENLOOM_SAVES_PER_MINUTE
 * (30) in any 60 s, counted per client from its cookie (client-identity.ts; cookieless
 * requests share their address's budget). One more is refused with TOO_MANY_REQUESTS (HTTP
 * 429) and "Too many saves: try again in N s.", N being when the oldest save in the window
 * leaves it.
 *
 * @example
 * // 30 per minute, saves at t = 0 s … 29 s, one per second: the 31st at t = 30 s is refused,
 * // "Too many saves: try again in 30 s." (the save at t = 0 s leaves the window at 60 s)
 *
 * Not handled here: other procedures; several server instances (each counts its own).
 * In-process callers (no ctx.client: server components, tests) are not counted.
 */
import { TRPCError } from '@trpc/server';
import { publicProcedure } from '@/server/api/trpc';
import { env } from '@/server/env';

const WINDOW_MS = 60_000;
/** Clients tracked at most; the least recently saving are forgotten first. */
const MAX_CLIENTS = 100_000;

export interface SaveRateLimiter {
  /** Count a save by `client` at `now`; throws TOO_MANY_REQUESTS when over the limit. */
  take(client: string, now?: number): void;
}

/** `refusal` words the refusal. */
export function createSaveRateLimiter(perMinute: number, refusal = (waitS: number) => `Too many saves: try again in ${waitS} s.`): SaveRateLimiter {
  const saves = new Map<string, number[]>();
  return {
    take(client, now = Date.now()) {
      const recent = (saves.get(client) ?? []).filter((t) => t > now - WINDOW_MS);
      if (recent.length >= perMinute) {
        saves.set(client, recent);
        const waitS = Math.max(1, Math.ceil((recent[0]! + WINDOW_MS - now) / 1000));
        throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: refusal(waitS) });
      }
      recent.push(now);
      saves.delete(client); // re-insert: the Map's order is then least recently saving first
      saves.set(client, recent);
      if (saves.size > MAX_CLIENTS) saves.delete(saves.keys().next().value!);
    },
  };
}

let limiter: SaveRateLimiter | undefined;

/** publicProcedure, with the save rate limit for HTTP callers. */
export const saveProcedure = publicProcedure.use(({ ctx, next }) => {
  if (ctx.client !== undefined) {
    limiter ??= createSaveRateLimiter(env.TOKENLOOM_SAVES_PER_MINUTE);
    limiter.take(ctx.client);
  }
  return next();
});

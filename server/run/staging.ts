/**
 * Staged graphs: a graph too large for a URL (run subscriptions are GET requests) is first
 * posted with `run.stage`, kept here for STAGE_TTL_MS, and started by its id; an id works once.
 * Room for a few full-size graphs at once (4 × the input limit), so staging cannot fill the
 * server's memory.
 *
 * Not handled here: validating the graph (run-router.ts). Per process: with several web
 * instances, stage and start must reach the same one.
 */
import { randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import { stringParamBytes, type RunLimits } from '@/server/run/limits';

export const STAGE_TTL_MS = 60_000;

export interface Staging {
  stage(doc: GraphDoc): { stagedId: string; expiresInMs: number };
  /** The staged graph, removed; NOT_FOUND once expired or taken. */
  take(stagedId: string): GraphDoc;
  /** Graphs staged now. */
  size(): number;
}

export function createStaging(limits: RunLimits): Staging {
  const staged = new Map<string, { doc: GraphDoc; bytes: number; expiresAt: number }>();
  let stagedBytes = 0;

  function sweep(now: number) {
    for (const [id, entry] of staged) {
      if (entry.expiresAt > now) continue;
      staged.delete(id);
      stagedBytes -= entry.bytes;
    }
  }

  return {
    stage(doc) {
      const now = Date.now();
      sweep(now);
      const bytes = stringParamBytes(doc) + 1000;
      // Room for a few full-size graphs at once; staged graphs live a minute at most.
      if (stagedBytes + bytes > 4 * limits.maxInputBytes) {
        throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: 'The server is holding too many large graphs waiting to run; try again in a minute.' });
      }
      const stagedId = randomUUID();
      staged.set(stagedId, { doc, bytes, expiresAt: now + STAGE_TTL_MS });
      stagedBytes += bytes;
      return { stagedId, expiresInMs: STAGE_TTL_MS };
    },
    take(stagedId) {
      sweep(Date.now());
      const entry = staged.get(stagedId);
      if (!entry) {
        throw new TRPCError({ code: 'NOT_FOUND', message: 'This staged graph has expired or was already started; send it again.' });
      }
      staged.delete(stagedId);
      stagedBytes -= entry.bytes;
      return entry.doc;
    },
    size: () => staged.size,
  };
}

/**
 * The one way to ask about a result held in a server recipe cache: a `CacheLookup` names the
 * recipe key and one question, and `answerLookup` answers it from one cache. Every engine
 * (in-process, the engine processes, a queue worker on another machine) carries the same
 * request and the same answer, so there is one message, one fan-out and one error rule
 * whichever engine holds the result.
 *
 * Two questions, one algorithm (find the cached outputs by key, then read them):
 * - `page`: a page of one output port by the generic rule in paging.ts (kind-independent);
 * - `query`: an inspector's question answered by its node kind (NodeDefinition.query, e.g. the
 *   IDs node's vocabulary search).
 *
 * @example
 * answerLookup(cache, { key, question: { kind: 'page', port: 'text', offset: 0, limit: 5 } })
 * // { ok: true, result: { kind: 'string', total: 11, offset: 0, text: 'I lov' } }
 *
 * A miss (`missing: true`) means this cache does not hold the key: another process may, so the
 * asker tries the others before saying so. Not handled here: finding which cache to ask
 * (process-engine.ts, queue-engine.ts), HTTP errors (run-manager.ts maps `missing` to NOT_FOUND).
 */
import type { RecipeCache } from '@/nodes/engine/cache';
import { answerQuery } from '@/nodes/engine/worker-host';
import { registry } from '@/nodes/index';
import { NotPageableError, pageOf } from '@/server/run/paging';

export type LookupQuestion =
  | { kind: 'page'; port: string; offset: number; limit: number }
  | { kind: 'query'; nodeType: string; request: unknown };

export interface CacheLookup {
  key: string;
  question: LookupQuestion;
}

export type LookupAnswer = { ok: true; result: unknown } | { ok: false; missing: boolean; message: string };

export const MISSING_RESULT = 'The server no longer holds this result (it was evicted or its engine restarted); run the graph again.';

export function answerLookup(cache: RecipeCache, { key, question }: CacheLookup): LookupAnswer {
  const hit = cache.get(key);
  if (!hit) return { ok: false, missing: true, message: MISSING_RESULT };
  if (question.kind === 'query') {
    const answer = answerQuery(registry, cache, { type: 'query', requestId: 0, key, nodeType: question.nodeType, request: question.request });
    return answer.ok ? { ok: true, result: answer.result } : { ok: false, missing: false, message: answer.message };
  }
  if (!Object.hasOwn(hit.outputs, question.port)) {
    const ports = Object.keys(hit.outputs).join(', ') || 'none';
    return { ok: false, missing: false, message: `This node has no output '${question.port}' (its outputs: ${ports}).` };
  }
  try {
    return { ok: true, result: pageOf(hit.outputs[question.port], question.offset, question.limit) };
  } catch (error) {
    if (error instanceof NotPageableError) return { ok: false, missing: false, message: error.message };
    throw error;
  }
}

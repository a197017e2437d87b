/**
 * What a graph computes, for the run manager: its fingerprint (runs with the same one are
 * deduplicated) and its affinity key (runs with the same one go preferably to the same engine
 * process or worker, where the recipe cache already holds their results).
 *
 * Not handled here: deduplicating or routing (run-manager.ts, the engines).
 */
import { createHash } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import type { GraphDoc } from '@/nodes/engine/graph-doc';

/**
 * sha256 of what the graph computes: node ids, types, params and the wiring; nothing visual.
 * Params nested so deep that JSON.stringify overflows the stack (a hand-made document) are
 * refused with a sentence rather than a RangeError.
 */
export function fingerprintOf(doc: GraphDoc): string {
  const shape = [doc.nodes.map((n) => [n.id, n.type, n.params]), doc.edges.map((e) => [e.source, e.sourcePort, e.target, e.targetPort])];
  let json: string;
  try {
    json = JSON.stringify(shape);
  } catch {
    throw new TRPCError({ code: 'BAD_REQUEST', message: 'This graph’s node settings are nested too deeply to run; remove the nested values.' });
  }
  return createHash('sha256').update(json).digest('base64url');
}

/**
 * sha256 of the params of the nodes that feed others and have no inputs: what a run's results
 * hinge on. A hash, not the params themselves: a root is often a Text node with megabytes of
 * corpus, and the key is kept per engine process and sent with every queued job.
 */
export function affinityOf(doc: GraphDoc): string {
  const targets = new Set(doc.edges.map((e) => e.target));
  const sources = new Set(doc.edges.map((e) => e.source));
  const roots = doc.nodes.filter((n) => sources.has(n.id) && !targets.has(n.id));
  return createHash('sha256').update(JSON.stringify((roots.length ? roots : doc.nodes).map((n) => [n.type, n.params]))).digest('base64url');
}

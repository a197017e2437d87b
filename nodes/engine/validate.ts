/**
 * Semantic validation of a GraphDoc against the registry: unknown node types, params that
 * fail their schema, edges to ports that do not exist, port-kind mismatches, two edges into
 * one input, missing required inputs, and cycles. Returns typed issues; never throws.
 * Every lookup by a name from the document (node type, port) goes through `ownEntry`, so a
 * node typed `__proto__` or `toString`, or an edge to port `constructor`, is an issue about the
 * user's graph rather than a crash on Object.prototype. Params go through the kind's zod
 * schema, which reads only the names it declares.
 *
 * Not handled here: the JSON shape (graph-doc.ts) and running anything (executor.ts).
 */
import type { AnyNodeDefinition } from './define-node';
import type { GraphDoc, GraphEdge } from './graph-doc';
import { PORT_KIND_LABEL } from './ports';
import { issueSentence, paramLabel } from './issue-sentence';

export type GraphIssue =
  | { code: 'unknown-type'; nodeId: string; message: string }
  | { code: 'bad-params'; nodeId: string; field: string; message: string }
  | { code: 'duplicate-id'; nodeId: string; message: string }
  | { code: 'dangling-edge'; edgeId: string; message: string }
  | { code: 'unknown-port'; edgeId: string; message: string }
  | { code: 'port-kind-mismatch'; edgeId: string; message: string }
  | { code: 'duplicate-input'; edgeId: string; nodeId: string; message: string }
  | { code: 'missing-input'; nodeId: string; port: string; message: string }
  | { code: 'cycle'; nodeIds: string[]; message: string };

export type Registry = Readonly<Record<string, AnyNodeDefinition>>;

/**
 * `record[key]` when `key` is the record's own property, else undefined. The one way nodes/
 * looks up a name that came from a document, a URL or a request:
 *   ownEntry(registry, 'clean')      // cleanNode
 *   ownEntry(registry, 'toString')   // undefined, not Object.prototype.toString
 */
export function ownEntry<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** The definition of a node type, or undefined for a type the registry does not hold. */
export function kindOf(registry: Registry, type: string): AnyNodeDefinition | undefined {
  return ownEntry(registry, type);
}

/** "text, tokens" or "none": the names a user may pick from. */
function portNames(ports: Readonly<Record<string, unknown>>): string {
  const names = Object.keys(ports);
  return names.length ? names.map((n) => `'${n}'`).join(', ') : 'none';
}

/** Why an output port may not feed an input port, or null when it may. Shared by the canvas. */
export function connectionRefusal(
  registry: Registry,
  from: { type: string; port: string },
  to: { type: string; port: string },
): string | null {
  const source = kindOf(registry, from.type);
  const target = kindOf(registry, to.type);
  if (!source) return `Unknown node type '${from.type}'.`;
  if (!target) return `Unknown node type '${to.type}'.`;
  const out = ownEntry(source.outputs, from.port);
  const inp = ownEntry(target.inputs, to.port);
  if (!out) return `${source.title} has no output '${from.port}'.`;
  if (!inp) return `${target.title} has no input '${to.port}'.`;
  if (out.kind !== inp.kind) {
    return `${target.title} needs ${PORT_KIND_LABEL[inp.kind]} here, this port gives ${PORT_KIND_LABEL[out.kind]}.`;
  }
  return null;
}

/**
 * Kahn's algorithm. Returns node ids in an order where every edge goes forward, or the ids
 * left on a cycle. Nodes ready at the start keep document order, and nodes released later come
 * in the order of their wires, so the order is stable across runs.
 */
export function topologicalOrder(
  nodeIds: readonly string[],
  edges: readonly Pick<GraphEdge, 'source' | 'target'>[],
): { order: string[]; cyclic: string[] } {
  const indegree = new Map(nodeIds.map((id) => [id, 0]));
  const next = new Map<string, string[]>(nodeIds.map((id) => [id, []]));
  for (const e of edges) {
    if (!indegree.has(e.source) || !indegree.has(e.target)) continue;
    indegree.set(e.target, indegree.get(e.target)! + 1);
    next.get(e.source)!.push(e.target);
  }
  const ready = nodeIds.filter((id) => indegree.get(id) === 0);
  const order: string[] = [];
  while (ready.length > 0) {
    const id = ready.shift()!;
    order.push(id);
    for (const t of next.get(id)!) {
      const d = indegree.get(t)! - 1;
      indegree.set(t, d);
      if (d === 0) ready.push(t);
    }
  }
  const placed = new Set(order);
  return { order, cyclic: nodeIds.filter((id) => !placed.has(id)) };
}

/** How a message names a node: its kind, and its own title when it was renamed ("BPE “Odia”"). */
function nodeName(kind: string, title: string | undefined): string {
  return title ? `${kind} “${title}”` : kind;
}

export function validateGraph(doc: GraphDoc, registry: Registry): GraphIssue[] {
  const issues: GraphIssue[] = [];
  const byId = new Map<string, GraphDoc['nodes'][number]>();
  for (const node of doc.nodes) {
    if (byId.has(node.id)) {
      issues.push({ code: 'duplicate-id', nodeId: node.id, message: `Two nodes share the id '${node.id}'.` });
      continue;
    }
    byId.set(node.id, node);
    const def = kindOf(registry, node.type);
    if (!def) {
      issues.push({ code: 'unknown-type', nodeId: node.id, message: `Node '${node.id}' has an unknown type '${node.type}'.` });
      continue;
    }
    const parsed = def.params.safeParse(node.params);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path.join('.') || '(params)';
        // No path: the params as a whole are wrong (not an object), so the sentence names them.
        const label = issue.path.length ? paramLabel(def.params, String(issue.path[0])) : 'The settings';
        issues.push({
          code: 'bad-params',
          nodeId: node.id,
          field,
          message: `${nodeName(def.title, node.title)}: ${issueSentence(label, issue)}`,
        });
      }
    }
  }

  const fed = new Map<string, string>(); // JSON [node, port] -> edge id
  // Wires that passed every check: a refused wire is reported once and counts as no wire, so it
  // neither feeds an input nor closes a loop (the executor runs on the same wires).
  const accepted: GraphEdge[] = [];
  for (const edge of doc.edges) {
    const source = byId.get(edge.source);
    const target = byId.get(edge.target);
    if (!source || !target) {
      issues.push({ code: 'dangling-edge', edgeId: edge.id, message: `Edge '${edge.id}' points at a node that does not exist.` });
      continue;
    }
    const sourceDef = kindOf(registry, source.type);
    const targetDef = kindOf(registry, target.type);
    if (!sourceDef || !targetDef) continue; // already reported
    if (!ownEntry(sourceDef.outputs, edge.sourcePort)) {
      issues.push({
        code: 'unknown-port',
        edgeId: edge.id,
        message: `Edge '${edge.id}' leaves ${sourceDef.title} '${source.id}' from an output '${edge.sourcePort}' it does not have (its outputs: ${portNames(sourceDef.outputs)}).`,
      });
      continue;
    }
    if (!ownEntry(targetDef.inputs, edge.targetPort)) {
      issues.push({
        code: 'unknown-port',
        edgeId: edge.id,
        message: `Edge '${edge.id}' goes into ${targetDef.title} '${target.id}' at an input '${edge.targetPort}' it does not have (its inputs: ${portNames(targetDef.inputs)}).`,
      });
      continue;
    }
    const refusal = connectionRefusal(
      registry,
      { type: source.type, port: edge.sourcePort },
      { type: target.type, port: edge.targetPort },
    );
    if (refusal) {
      issues.push({ code: 'port-kind-mismatch', edgeId: edge.id, message: `Edge '${edge.id}': ${refusal}` });
      continue;
    }
    const slot = JSON.stringify([edge.target, edge.targetPort]);
    if (fed.has(slot)) {
      issues.push({
        code: 'duplicate-input',
        edgeId: edge.id,
        nodeId: edge.target,
        message: `Input '${edge.targetPort}' of '${edge.target}' is fed by two edges; an input takes one.`,
      });
      continue;
    }
    fed.set(slot, edge.id);
    accepted.push(edge);
  }

  for (const node of byId.values()) {
    const def = kindOf(registry, node.type);
    if (!def) continue;
    for (const [port, spec] of Object.entries(def.inputs)) {
      if (!spec.optional && !fed.has(JSON.stringify([node.id, port]))) {
        issues.push({
          code: 'missing-input',
          nodeId: node.id,
          port,
          message: `${def.title} needs ${PORT_KIND_LABEL[spec.kind]} on its '${spec.label}' input: connect one.`,
        });
      }
    }
  }

  const onCycle = nodesOnCycles([...byId.keys()], accepted);
  if (onCycle.length > 0) {
    issues.push({
      code: 'cycle',
      nodeIds: onCycle,
      message: `These nodes form a cycle, so none of them can run first: ${onCycle.join(', ')}.`,
    });
  }
  return issues;
}

/**
 * The nodes Kahn's algorithm cannot place, minus those that are merely downstream of a cycle
 * (peeled off from the sink end), so a message names the loop itself.
 */
export function nodesOnCycles(nodeIds: readonly string[], edges: readonly Pick<GraphEdge, 'source' | 'target'>[]): string[] {
  const { cyclic } = topologicalOrder(nodeIds, edges);
  const left = new Set(cyclic);
  const inner = edges.filter((e) => left.has(e.source) && left.has(e.target));
  const reversed = inner.map((e) => ({ source: e.target, target: e.source }));
  const { cyclic: core } = topologicalOrder(cyclic, reversed);
  return core;
}

/** Would adding this edge close a cycle? Used by the canvas before it accepts a connection. */
export function wouldCreateCycle(edges: readonly Pick<GraphEdge, 'source' | 'target'>[], source: string, target: string): boolean {
  if (source === target) return true;
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.source, [...(next.get(e.source) ?? []), e.target]);
  const stack = [target];
  const seen = new Set<string>();
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === source) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const t of next.get(id) ?? []) stack.push(t);
  }
  return false;
}

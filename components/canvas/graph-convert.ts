/**
 * Conversion between the canvas's React Flow state and the GraphDoc the engine runs and the
 * server stores. React Flow calls ports "handles"; the document calls them ports.
 */
import type { Edge, Node } from '@xyflow/react';
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import { nodeKinds, isNodeType, type NodeType } from '@/nodes';
import { randomId } from './random-id';

/** `title`: the node's own title when the user (or a template) gave it one. */
export type LabNodeData = { params: Record<string, unknown>; title?: string };
export type LabNode = Node<LabNodeData, NodeType>;
export type LabEdge = Edge;

export function toGraphDoc(
  title: string,
  nodes: readonly LabNode[],
  edges: readonly LabEdge[],
  lesson?: GraphDoc['lesson'],
  runOn?: GraphDoc['runOn'],
): GraphDoc {
  return {
    schemaVersion: 1,
    title,
    nodes: nodes.map((n) => ({
      id: n.id,
      type: n.type ?? 'unknown',
      params: n.data.params,
      ...(n.data.title ? { title: n.data.title } : {}),
      position: { x: Math.round(n.position.x), y: Math.round(n.position.y) },
      // Only a kind with its own resizable card (the Note) has a width and height set.
      ...(n.width && n.height ? { size: { width: n.width, height: n.height } } : {}),
    })),
    edges: edges.map((e) => ({
      id: e.id,
      source: e.source,
      sourcePort: e.sourceHandle ?? '',
      target: e.target,
      targetPort: e.targetHandle ?? '',
    })),
    ...(lesson ? { lesson } : {}),
    ...(runOn === 'server' ? { runOn } : {}),
  };
}

/** Nodes of unknown type are kept out of the canvas; the caller reports them. */
export function fromGraphDoc(doc: GraphDoc): { nodes: LabNode[]; edges: LabEdge[]; unknown: string[] } {
  const unknown: string[] = [];
  const nodes: LabNode[] = [];
  for (const n of doc.nodes) {
    if (!isNodeType(n.type)) {
      unknown.push(`${n.id} (${n.type})`);
      continue;
    }
    nodes.push({
      id: n.id,
      type: n.type,
      position: n.position,
      data: { params: withDefaults(n.type, n.params), ...(n.title ? { title: n.title } : {}) },
      ...(n.size ? { width: n.size.width, height: n.size.height } : {}),
    });
  }
  const ids = new Set(nodes.map((n) => n.id));
  const edges: LabEdge[] = doc.edges
    .filter((e) => ids.has(e.source) && ids.has(e.target))
    .map((e) => ({ id: e.id, source: e.source, sourceHandle: e.sourcePort, target: e.target, targetHandle: e.targetPort }));
  return { nodes, edges, unknown };
}

/** Params with the kind's defaults filled in; invalid values are kept so validation can name them. */
export function withDefaults(type: NodeType, params: Record<string, unknown>): Record<string, unknown> {
  const parsed = nodeKinds[type].params.safeParse(params);
  return parsed.success ? (parsed.data as Record<string, unknown>) : { ...params };
}

export function newNodeId(type: string): string {
  return `${type}-${randomId().slice(0, 8)}`;
}

/**
 * Auto-layout, left to right, with dagre: data flows the way the reader reads.
 * dagre keys its graph by plain objects, so a node called '__proto__' breaks it; it sees each
 * node by its index ('n0', 'n1', …) instead, and positions come back keyed by the real ids.
 */
import dagre from '@dagrejs/dagre';
import type { XYPosition } from '@xyflow/react';
import type { LabEdge, LabNode } from './graph-convert';

export function layoutLeftToRight(nodes: readonly LabNode[], edges: readonly LabEdge[]): Record<string, XYPosition> {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 80 });
  g.setDefaultEdgeLabel(() => ({}));
  const size = (n: LabNode) => ({ width: n.measured?.width ?? n.width ?? 280, height: n.measured?.height ?? n.height ?? 160 });
  const keyOf = new Map(nodes.map((n, i) => [n.id, `n${i}`]));
  for (const n of nodes) g.setNode(keyOf.get(n.id)!, size(n));
  for (const e of edges) {
    const source = keyOf.get(e.source);
    const target = keyOf.get(e.target);
    if (source && target) g.setEdge(source, target);
  }
  dagre.layout(g);
  // Built from entries: an id like '__proto__' stays an own key.
  return Object.fromEntries(
    nodes.map((n) => {
      const p = g.node(keyOf.get(n.id)!);
      const { width, height } = size(n);
      return [n.id, { x: Math.round(p.x - width / 2), y: Math.round(p.y - height / 2) }];
    }),
  );
}

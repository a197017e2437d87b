/** Auto-layout, left to right, with dagre: data flows the way the reader reads. */
import dagre from '@dagrejs/dagre';
import type { XYPosition } from '@xyflow/react';
import type { LabEdge, LabNode } from './graph-convert';

export function layoutLeftToRight(nodes: readonly LabNode[], edges: readonly LabEdge[]): Record<string, XYPosition> {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 80 });
  g.setDefaultEdgeLabel(() => ({}));
  const size = (n: LabNode) => ({ width: n.measured?.width ?? n.width ?? 280, height: n.measured?.height ?? n.height ?? 160 });
  for (const n of nodes) g.setNode(n.id, size(n));
  for (const e of edges) g.setEdge(e.source, e.target);
  dagre.layout(g);
  const positions: Record<string, XYPosition> = {};
  for (const n of nodes) {
    const p = g.node(n.id);
    const { width, height } = size(n);
    positions[n.id] = { x: Math.round(p.x - width / 2), y: Math.round(p.y - height / 2) };
  }
  return positions;
}

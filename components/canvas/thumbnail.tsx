/** A template's thumbnail, drawn from its own graph: boxes where its nodes are, lines for wires. */
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import { nodeKinds, isNodeType } from '@/nodes';

const CATEGORY_COLOR: Record<string, string> = {
  input: '#0ea5e9',
  text: '#14b8a6',
  tokenize: '#8b5cf6',
  model: '#f43f5e',
  teach: '#f59e0b',
};

export function GraphThumbnail({ doc, width = 200, height = 90 }: { doc: GraphDoc; width?: number; height?: number }) {
  const boxes = doc.nodes.map((n) => ({ id: n.id, x: n.position.x, y: n.position.y, w: n.size?.width ?? 280, h: n.size?.height ?? 160, type: n.type }));
  const minX = Math.min(...boxes.map((b) => b.x));
  const minY = Math.min(...boxes.map((b) => b.y));
  const maxX = Math.max(...boxes.map((b) => b.x + b.w));
  const maxY = Math.max(...boxes.map((b) => b.y + b.h));
  const scale = Math.min((width - 8) / (maxX - minX || 1), (height - 8) / (maxY - minY || 1));
  const sx = (x: number) => 4 + (x - minX) * scale;
  const sy = (y: number) => 4 + (y - minY) * scale;
  const byId = new Map(boxes.map((b) => [b.id, b]));
  return (
    <svg width={width} height={height} aria-hidden className="rounded bg-slate-50 dark:bg-slate-800">
      {doc.edges.map((e) => {
        const a = byId.get(e.source);
        const b = byId.get(e.target);
        if (!a || !b) return null;
        return <line key={e.id} x1={sx(a.x + a.w)} y1={sy(a.y + a.h / 3)} x2={sx(b.x)} y2={sy(b.y + b.h / 3)} stroke="#94a3b8" strokeWidth={1} />;
      })}
      {boxes.map((b) => (
        <rect
          key={b.id}
          x={sx(b.x)}
          y={sy(b.y)}
          width={Math.max(2, b.w * scale)}
          height={Math.max(2, b.h * scale)}
          rx={2}
          fill={isNodeType(b.type) ? CATEGORY_COLOR[nodeKinds[b.type].category] : '#cbd5e1'}
          fillOpacity={0.8}
        />
      ))}
    </svg>
  );
}

'use client';
/** The palette: every node kind, grouped; drag one onto the canvas or click to add it. */
import { nodeKinds, NODE_TYPES, type NodeType } from '@/nodes';
import type { NodeCategory } from '@/nodes/engine/define-node';

export const DRAG_MIME = 'application/x-tokenloom-node';

const GROUPS: { category: NodeCategory; label: string }[] = [
  { category: 'input', label: 'Input' },
  { category: 'text', label: 'Text' },
  { category: 'tokenize', label: 'Tokenize' },
  { category: 'model', label: 'Model' },
  { category: 'teach', label: 'Teach' },
];

export function Palette({ onAdd }: { onAdd(type: NodeType): void }) {
  return (
    <nav className="panel grid content-start gap-3 overflow-y-auto p-3" aria-label="Node palette" data-testid="palette">
      {GROUPS.map(({ category, label }) => {
        const kinds = NODE_TYPES.filter((t) => nodeKinds[t].category === category);
        if (kinds.length === 0) return null;
        return (
          <section key={category} className="grid gap-1">
            <h3 className="text-[11px] font-semibold tracking-wide text-slate-500 uppercase">{label}</h3>
            {kinds.map((type) => (
              <button
                type="button"
                key={type}
                draggable
                data-testid={`palette-${type}`}
                onDragStart={(e) => {
                  e.dataTransfer.setData(DRAG_MIME, type);
                  e.dataTransfer.effectAllowed = 'move';
                }}
                onClick={() => onAdd(type)}
                title={`${nodeKinds[type].summary}\nDrag onto the canvas, or click to add.`}
                className="cursor-grab rounded-lg border border-slate-200 bg-white px-2 py-1.5 text-left text-sm hover:border-sky-400 active:cursor-grabbing dark:border-slate-700 dark:bg-slate-900"
              >
                <div className="font-medium">{nodeKinds[type].title}</div>
                <div className="text-[11px] leading-tight text-slate-500 dark:text-slate-400">{nodeKinds[type].question}</div>
              </button>
            ))}
          </section>
        );
      })}
    </nav>
  );
}

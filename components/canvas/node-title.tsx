'use client';
/**
 * A node's title, renamed in place: double-click it, type, Enter (or leaving the field) saves,
 * Escape cancels, and an empty title goes back to the kind's own. The store keeps the rename
 * undoable and in the saved graph (GraphDoc `title`, at most 60 characters).
 */
import { useRef, useState } from 'react';
import { GRAPH_LIMITS } from '@/nodes/engine/graph-doc';
import { nodeKinds, type NodeType } from '@/nodes';
import { useLab } from './store';

/** What a node is called on the canvas, in the inspector and in lesson steps. */
export function nodeTitle(node: { type?: NodeType; data: { title?: string } } | undefined): string {
  if (!node?.type) return '';
  return node.data.title || nodeKinds[node.type].title;
}

export function NodeTitle({ id, type, title, className }: { id: string; type: NodeType; title?: string; className?: string }) {
  const [draft, setDraft] = useState<string | null>(null);
  // Escape unmounts the field; a blur that follows must not save what was cancelled.
  const open = useRef(false);
  const shown = title || nodeKinds[type].title;
  const close = (save: boolean) => {
    if (!open.current || draft === null) return;
    open.current = false;
    if (save) useLab.getState().renameNode(id, draft);
    setDraft(null);
  };
  if (draft === null) {
    return (
      <span
        // nopan: a double-click here renames; it must not also zoom the canvas.
        className={`nopan ${className ?? ''}`}
        data-testid={`node-title-${id}`}
        title="Double-click to rename"
        onDoubleClick={(e) => {
          e.stopPropagation();
          if (useLab.getState().refuseIfReadOnly()) return;
          open.current = true;
          setDraft(shown);
        }}
      >
        {shown}
      </span>
    );
  }
  return (
    <input
      autoFocus
      aria-label={`Rename ${shown}`}
      data-testid={`node-title-input-${id}`}
      className="nodrag nopan field min-w-0 flex-1 py-0 text-sm font-semibold"
      maxLength={GRAPH_LIMITS.nodeTitleLength}
      value={draft}
      placeholder={nodeKinds[type].title}
      onChange={(e) => setDraft(e.target.value)}
      onFocus={(e) => e.target.select()}
      onBlur={() => close(true)}
      onKeyDown={(e) => {
        // Keys typed here are the title's, not the canvas's shortcuts (Delete, F, L, …).
        e.stopPropagation();
        if (e.key === 'Enter') close(true);
        if (e.key === 'Escape') close(false);
      }}
    />
  );
}

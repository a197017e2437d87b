'use client';
/**
 * The Note's body is its whole card: a sticky note, resizable, coloured, editable in place. It
 * takes the place of the node card the computing kinds share (no ports, no status).
 */
import { NodeResizer, type NodeProps } from '@xyflow/react';
import clsx from 'clsx';
import { memo } from 'react';
import type { LabNode } from '@/components/canvas/graph-convert';
import { useLab } from '@/components/canvas/store';

const COLORS: Record<string, string> = {
  yellow: 'bg-amber-100 border-amber-300 text-amber-950 dark:bg-amber-900/60 dark:border-amber-700 dark:text-amber-50',
  blue: 'bg-sky-100 border-sky-300 text-sky-950 dark:bg-sky-900/60 dark:border-sky-700 dark:text-sky-50',
  green: 'bg-emerald-100 border-emerald-300 text-emerald-950 dark:bg-emerald-900/60 dark:border-emerald-700 dark:text-emerald-50',
  pink: 'bg-pink-100 border-pink-300 text-pink-950 dark:bg-pink-900/60 dark:border-pink-700 dark:text-pink-50',
};

function NoteCardImpl({ id, data, selected }: NodeProps<LabNode>) {
  const updateParams = useLab((s) => s.updateParams);
  return (
    <div data-testid={`node-${id}`} data-node-type="note" className={clsx('h-full w-full rounded-lg border p-2 shadow', COLORS[String(data.params.color)] ?? COLORS.yellow)}>
      <NodeResizer isVisible={selected} minWidth={160} minHeight={60} />
      <textarea
        aria-label="Note"
        className="nodrag nowheel h-full w-full resize-none bg-transparent text-sm outline-none"
        value={String(data.params.text ?? '')}
        onChange={(e) => updateParams(id, { text: e.target.value }, `${id}:text`)}
      />
    </div>
  );
}

export const NoteCard = memo(NoteCardImpl);

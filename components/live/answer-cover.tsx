'use client';
/**
 * Draws a node whose result would give away the step's answer (nodes/live/hidden-answer.ts) as
 * a blurred card with "Hidden until the reveal" over it: the projector and the students' pages
 * provide the hidden ids, every node card (lab.tsx's nodeTypes) is wrapped by withAnswerCover.
 * The covered card keeps its size, so the canvas does not move at the reveal.
 * Not handled here: which nodes are hidden (the rule), or the inspector (its page hides it).
 */
import { createContext, memo, useContext, type ComponentType } from 'react';
import type { NodeProps } from '@xyflow/react';
import type { LabNode } from '@/components/canvas/graph-convert';

const NONE: ReadonlySet<string> = new Set();
export const HiddenAnswers = createContext<ReadonlySet<string>>(NONE);

export function withAnswerCover(Card: ComponentType<NodeProps<LabNode>>) {
  function Covered(props: NodeProps<LabNode>) {
    const hidden = useContext(HiddenAnswers).has(props.id);
    if (!hidden) return <Card {...props} />;
    return (
      <div className="relative h-full w-full" data-testid={`answer-cover-${props.id}`}>
        <div className="pointer-events-none h-full w-full blur-md select-none" aria-hidden inert data-testid={`answer-covered-${props.id}`}>
          <Card {...props} />
        </div>
        <div className="absolute inset-0 grid place-items-center rounded-xl bg-slate-100/60 p-3 text-center text-sm font-semibold text-slate-700 dark:bg-slate-900/60 dark:text-slate-200">
          Hidden until the reveal
        </div>
      </div>
    );
  }
  return memo(Covered);
}

'use client';
/** The Generate node's body on the canvas: what is worth seeing without opening the inspector. */
import { ownEntry } from '@/nodes/engine/validate';
import { useLab } from '@/components/canvas/store';
import type { BodyProps } from '../types';
import { HeldRunPanel } from '@/components/ui/held-run';

export function GenerateBody({ id, view: v }: BodyProps<'generate'>) {
  const runtime = useLab((s) => ownEntry(s.runtime, id));
  const streaming = runtime?.status === 'running' ? runtime.progressMessage : undefined;
  if (streaming !== undefined) {
    return (
      <p className="line-clamp-4 text-xs whitespace-pre-wrap text-fuchsia-700 dark:text-fuchsia-300" data-testid="generate-stream">
        {streaming}▍
      </p>
    );
  }
  if (!v) return <p className="text-xs text-slate-500">Loads the model on first run…</p>;
  if (v.held) return <HeldRunPanel nodeId={id} held={v.held} kind="generate" compact />;
  return (
    <div className="grid gap-1 text-xs" data-testid="generate-body">
      {v.warning && <span className="text-amber-700">⚠ IDs from another tokenizer</span>}
      <span className="line-clamp-4 whitespace-pre-wrap">
        <span className="text-slate-500">{v.promptText.slice(-80)}</span>
        <span className="text-fuchsia-700 dark:text-fuchsia-300">{v.text}</span>
      </span>
      <span className="text-[11px] text-slate-500">
        {v.steps.length} tokens · {v.strategy === 'greedy' ? 'greedy' : `sampled, seed ${v.seed}`} · {v.backend}
      </span>
    </div>
  );
}

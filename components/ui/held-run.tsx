'use client';
/**
 * A model run held back in the browser because it would be slow here (Generate's continuation,
 * the Transformer's forward pass): the estimate from the speed measured right after loading, the
 * server's, and the two ways on in one click each: run it on the server (the whole graph), or
 * run it here anyway (this node stops asking).
 *
 * Not handled here: the estimate (nodes/transformer/probe.ts), making the server a lesson's
 * default (the graph's runOn, set when the lesson is saved from a server run).
 */
import type { HeldRun } from '@/nodes/transformer/probe';
import { useLab } from '@/components/canvas/store';
import { formatMs } from '@/components/ui/format';

const about = (ms: number) => (ms < 1000 ? formatMs(ms) : `${Math.round(ms / 1000)} s`);

/** "About 25 s in this browser; on the server about 2 s." */
export function heldSentence(held: HeldRun): string {
  return `About ${about(held.browserMs)} in this browser${held.serverMs !== null ? `; on the server about ${about(held.serverMs)}` : ''}.`;
}

/** What the estimate is made of: per token for a continuation, per position for one pass. */
function measuredSentence(held: HeldRun): string {
  const measured =
    held.newTokens > 0
      ? `${formatMs(held.msPerToken)} per token × ${held.newTokens} tokens`
      : `${formatMs(held.msPerPosition)} per position × ${held.positions} positions, with attention`;
  return ` Measured here: ${measured}, over this node’s limit of ${held.limitS} s, so it has not started.`;
}

export function HeldRunPanel({ nodeId, held, kind, compact = false }: { nodeId: string; held: HeldRun; kind: 'generate' | 'transformer'; compact?: boolean }) {
  const setRunOn = useLab((s) => s.setRunOn);
  const updateParams = useLab((s) => s.updateParams);
  return (
    <div className={`grid gap-2 rounded-md bg-amber-50 p-2 text-amber-900 dark:bg-amber-950 dark:text-amber-100 ${compact ? 'text-xs' : 'text-sm'}`} data-testid={`${kind}-held`}>
      <p>
        <b data-testid={`${kind}-estimate`}>{heldSentence(held)}</b>
        {!compact && measuredSentence(held)}
      </p>
      <div className="flex flex-wrap gap-2">
        <button type="button" className="btn nodrag font-semibold" onClick={() => setRunOn('server')} data-testid={`${kind}-run-on-server`}>
          Run on the server
        </button>
        <button type="button" className="btn nodrag" onClick={() => updateParams(nodeId, { askAboveS: 0 })} data-testid={`${kind}-run-here`}>
          Run here anyway
        </button>
      </div>
    </div>
  );
}

'use client';
/**
 * The one React Flow node component for every computing kind: title, status and timing, typed
 * ports (coloured by kind), the kind's inline body, and its error if it failed.
 */
import { Handle, Position, type NodeProps } from '@xyflow/react';
import clsx from 'clsx';
import { Square } from 'lucide-react';
import { memo } from 'react';
import { nodeKinds, type NodeType, type ParamsOf } from '@/nodes';
import { PORT_KIND_LABEL, type PortMap } from '@/nodes/engine/ports';
import { PORT_COLOR } from '@/components/ui/ports';
import { StatusBadge } from '@/components/ui/status-badge';
import { uiOf, viewOf } from '@/components/kinds';
import { titleOf, useLab } from './store';
import { NodeTitle } from './node-title';
import type { LabNode } from './graph-convert';
import { ownEntry } from '@/nodes/engine/validate';

function NodeCardImpl({ id, type, data, selected }: NodeProps<LabNode>) {
  const def = nodeKinds[type];
  const runtime = useLab((s) => ownEntry(s.runtime, id));
  const blocker = useLab((s) => (runtime?.blockedBy ? titleOf(s, runtime.blockedBy) : undefined));
  const inputs = Object.entries(def.inputs as PortMap);
  const outputs = Object.entries(def.outputs as PortMap);
  return (
    <div
      data-testid={`node-${id}`}
      data-node-type={type}
      className={clsx(
        'w-[280px] rounded-xl border bg-white shadow-sm dark:bg-slate-900',
        selected ? 'border-sky-500 ring-2 ring-sky-300 dark:ring-sky-700' : 'border-slate-200 dark:border-slate-700',
        runtime?.status === 'error' && 'border-rose-400',
      )}
    >
      <div className="flex items-center justify-between gap-2 rounded-t-xl border-b border-slate-100 px-3 py-2 dark:border-slate-800">
        <NodeTitle id={id} type={type} title={data.title} className="min-w-0 truncate font-semibold" />
        <span className="flex items-center gap-1">
          <StatusBadge runtime={runtime} />
          {runtime?.status === 'running' && runtime.startedAt !== undefined && (
            <button
              type="button"
              className="nodrag rounded border border-slate-300 px-1.5 text-[11px] hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
              data-testid="node-stop"
              aria-label={`Stop ${data.title || def.title}`}
              onClick={() => useLab.getState().requestStop?.()}
            >
              <Square size={10} className="inline" /> Stop
            </button>
          )}
        </span>
      </div>
      {runtime?.status === 'running' && (
        <>
          <div className="h-1 bg-sky-100 dark:bg-sky-950">
            <div className="h-1 bg-sky-500 transition-all" style={{ width: `${Math.round((runtime.progress ?? 0) * 100)}%` }} />
          </div>
          {runtime.progressMessage && (
            <div className="truncate px-3 pt-1 text-[11px] text-sky-700 dark:text-sky-300" data-testid="node-progress" title={runtime.progressMessage}>
              {runtime.progressMessage}
            </div>
          )}
        </>
      )}
      <div className="flex justify-between px-0 pt-2 text-[11px] text-slate-500 dark:text-slate-400">
        <div className="grid gap-1">
          {inputs.map(([port, spec]) => (
            <div key={port} className="relative pl-3" title={`Input: ${PORT_KIND_LABEL[spec.kind]}`}>
              <Handle
                type="target"
                position={Position.Left}
                id={port}
                data-testid={`handle-${id}-in-${port}`}
                style={{ background: PORT_COLOR[spec.kind], width: 12, height: 12 }}
                className={clsx(runtime?.needs?.includes(port) && 'animate-pulse !ring-4 !ring-sky-300 dark:!ring-sky-600')}
                data-needed={runtime?.needs?.includes(port) ? 'true' : undefined}
              />
              {spec.label} <span className="opacity-60">({spec.kind})</span>
            </div>
          ))}
        </div>
        <div className="grid gap-1 text-right">
          {outputs.map(([port, spec]) => (
            <div key={port} className="relative pr-3" title={`Output: ${PORT_KIND_LABEL[spec.kind]}`}>
              {spec.label} <span className="opacity-60">({spec.kind})</span>
              <Handle
                type="source"
                position={Position.Right}
                id={port}
                data-testid={`handle-${id}-out-${port}`}
                style={{ background: PORT_COLOR[spec.kind], width: 12, height: 12 }}
              />
            </div>
          ))}
        </div>
      </div>
      <div className="px-3 py-2">
        <KindBody type={type} id={id} params={data.params} view={runtime?.view} />
      </div>
      {runtime?.status === 'error' && (
        <div data-testid="node-error" className="rounded-b-xl bg-rose-50 px-3 py-2 text-xs text-rose-700 dark:bg-rose-950 dark:text-rose-200">
          {runtime.error}
        </div>
      )}
      {runtime?.status === 'needs-input' && (
        <div data-testid="node-needs-input" className="rounded-b-xl bg-slate-50 px-3 py-2 text-xs text-slate-600 dark:bg-slate-800 dark:text-slate-300">
          {runtime.error}
        </div>
      )}
      {runtime?.status === 'stopped' && (
        <div data-testid="node-stopped" className="rounded-b-xl bg-orange-50 px-3 py-2 text-xs text-orange-900 dark:bg-orange-950 dark:text-orange-100">
          {runtime.stoppedBecause}
        </div>
      )}
      {runtime?.status === 'blocked' && (
        <div className="rounded-b-xl bg-amber-50 px-3 py-2 text-xs text-amber-800 dark:bg-amber-950 dark:text-amber-200">
          Waiting for {blocker}, which failed.
        </div>
      )}
    </div>
  );
}

/** The kind's own body, with its view and params typed by its kind. */
function KindBody<K extends NodeType>({ type, id, params, view }: { type: K; id: string; params: Record<string, unknown>; view: unknown }) {
  const ui = uiOf(type);
  if (!('body' in ui)) return null;
  const Body = ui.body;
  // Params carry the kind's defaults (graph-convert's withDefaults); see viewOf for the view.
  return <Body id={id} params={params as ParamsOf<K>} view={viewOf(type, view)} />;
}

export const NodeCard = memo(NodeCardImpl);

'use client';
/**
 * The right-hand panel: the inspected node's trigger question at the top, then the answer
 * built from the data flowing through it now, then its settings.
 */
import type { ComponentType } from 'react';
import { X } from 'lucide-react';
import { nodeKinds } from '@/nodes';
import { useLab } from '@/components/canvas/store';
import { ParamsForm } from '@/components/ui/params-form';
import { StatusBadge } from '@/components/ui/status-badge';
import { MODE_INFO } from '@/nodes/pretokenize/explain';
import { hiddenParams, inspectors } from '.';

const optionLabels = { pretokenize: { mode: Object.fromEntries(Object.entries(MODE_INFO).map(([k, v]) => [k, v.label])) } };

export function InspectorPanel() {
  const inspected = useLab((s) => s.inspected);
  const node = useLab((s) => s.nodes.find((n) => n.id === s.inspected));
  const runtime = useLab((s) => (s.inspected ? s.runtime[s.inspected] : undefined));
  const updateParams = useLab((s) => s.updateParams);
  const inspect = useLab((s) => s.inspect);
  const readOnly = useLab((s) => s.readOnly);

  if (!inspected || !node?.type) {
    return (
      <aside className="panel grid content-start gap-3 p-4 text-sm text-slate-600 dark:text-slate-300" data-testid="inspector-empty">
        <h2 className="text-base font-semibold text-slate-900 dark:text-slate-100">Inspector</h2>
        <p>Click a node to see the question it answers, answered with the data flowing through it right now.</p>
        <p>Drag a node kind from the palette onto the canvas, and wire an output (right) to an input (left) of the same colour.</p>
      </aside>
    );
  }
  const type = node.type;
  const def = nodeKinds[type];
  const Inspector = inspectors[type] as ComponentType<{
    nodeId: string;
    view: unknown;
    params: Record<string, unknown>;
    setParams(patch: Record<string, unknown>): void;
  }>;
  return (
    <aside className="panel grid content-start gap-4 overflow-y-auto p-4" data-testid="inspector" aria-label={`${def.title} inspector`}>
      <div className="flex items-start justify-between gap-2">
        <div>
          <div className="text-xs font-medium tracking-wide text-slate-500 uppercase">
            {def.title} · <span className="normal-case">{node.id}</span>
          </div>
          <h2 className="text-xl leading-tight font-semibold" data-testid="inspector-question">
            {def.question}
          </h2>
        </div>
        <button type="button" className="btn" aria-label="Close inspector" onClick={() => inspect(null)}>
          <X size={14} />
        </button>
      </div>
      <div className="flex items-center gap-2 text-xs text-slate-500">
        <StatusBadge runtime={runtime} /> <span>in the browser (Web Worker)</span>
      </div>
      {runtime?.status === 'error' && (
        <p role="alert" className="rounded-md bg-rose-50 p-2 text-sm text-rose-800 dark:bg-rose-950 dark:text-rose-200">
          {runtime.error}
        </p>
      )}
      {runtime?.status === 'blocked' && (
        <p className="rounded-md bg-amber-50 p-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
          This node waits for {runtime.blockedBy}, which failed. Fix that node and this one runs.
        </p>
      )}
      {runtime?.view !== undefined && runtime.status !== 'error' && runtime.status !== 'blocked' ? (
        <Inspector
          nodeId={node.id}
          view={runtime.view}
          params={node.data.params}
          setParams={(patch) => updateParams(node.id, patch)}
        />
      ) : runtime?.status === 'running' || !runtime ? (
        <p className="text-sm text-slate-500">Computing…</p>
      ) : null}
      <fieldset disabled={readOnly} className="grid gap-2 border-t border-slate-200 pt-3 dark:border-slate-700">
        <h3 className="text-sm font-semibold">Settings{readOnly ? ' (read-only)' : ''}</h3>
        <ParamsForm
          type={type}
          params={node.data.params}
          hidden={hiddenParams[type]}
          optionLabels={optionLabels[type as keyof typeof optionLabels]}
          idPrefix={`param-${node.id}`}
          onChange={(patch, key) => updateParams(node.id, patch, key)}
        />
      </fieldset>
    </aside>
  );
}

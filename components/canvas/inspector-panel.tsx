'use client';
/**
 * The right-hand panel: the inspected node's trigger question at the top, then the answer
 * built from the data flowing through it now, then its settings. `NodeAnswer` is the answer
 * alone, which lesson mode shows large on the projector.
 */
import type { ReactNode } from 'react';
import { X } from 'lucide-react';
import { nodeKinds, type NodeType, type ParamsOf } from '@/nodes';
import { ownEntry } from '@/nodes/engine/validate';
import { ParamsForm } from '@/components/ui/params-form';
import { StatusBadge } from '@/components/ui/status-badge';
import { uiOf, viewOf } from '@/components/kinds';
import type { LabNode } from './graph-convert';
import { NodeTitle, nodeTitle } from './node-title';
import { titleOf, useLab, type NodeRuntime } from './store';
import { ConnectMenu } from './connect-menu';

/** The answer for one node: status problems, or its inspector fed with the live view. */
export function NodeAnswer({ nodeId }: { nodeId: string }) {
  const node = useLab((s) => s.nodes.find((n) => n.id === nodeId));
  const runtime = useLab((s) => ownEntry(s.runtime, nodeId));
  const blocker = useLab((s) => (runtime?.blockedBy ? titleOf(s, runtime.blockedBy) : undefined));
  const updateParams = useLab((s) => s.updateParams);
  if (!node?.type) return null;
  if (runtime?.status === 'error') {
    return (
      <p role="alert" className="rounded-md bg-rose-50 p-2 text-sm text-rose-800 dark:bg-rose-950 dark:text-rose-200">
        {runtime.error}
      </p>
    );
  }
  if (runtime?.status === 'needs-input') {
    return (
      <p data-testid="inspector-needs-input" className="rounded-md bg-slate-50 p-2 text-sm text-slate-700 dark:bg-slate-800 dark:text-slate-200">
        {runtime.error} Drag a wire from a matching output (the same colour) to the highlighted port.
      </p>
    );
  }
  if (runtime?.status === 'stopped') {
    return (
      <p role="alert" data-testid="inspector-stopped" className="rounded-md bg-orange-50 p-2 text-sm text-orange-900 dark:bg-orange-950 dark:text-orange-100">
        {runtime.stoppedBecause} Press Run again in the toolbar, or change its settings or its input, and it runs again.
      </p>
    );
  }
  if (runtime?.status === 'blocked') {
    return (
      <p className="rounded-md bg-amber-50 p-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
        This node waits for {blocker}, which failed. Fix that node and this one runs.
      </p>
    );
  }
  const Live = uiOf(node.type).live;
  // Progress data is the running node's own report (its kind's live view reads it).
  if (runtime?.status === 'running' && Live && runtime.progressData !== undefined) return <Live data={runtime.progressData as never} />;
  if (runtime?.status === 'running' && runtime.view === undefined) {
    return (
      <p className="text-sm text-slate-500" data-testid="inspector-progress">
        Computing… {Math.round((runtime.progress ?? 0) * 100)}%{runtime.progressMessage ? ` — ${runtime.progressMessage}` : ''}
      </p>
    );
  }
  if (runtime?.view === undefined) return <p className="text-sm text-slate-500">Computing…</p>;
  return <KindInspector type={node.type} node={node} runtime={runtime} setParams={(patch) => updateParams(node.id, patch)} />;
}

/** The kind's own inspector, with its view and params typed by its kind. */
function KindInspector<K extends NodeType>({
  type,
  node,
  runtime,
  setParams,
}: {
  type: K;
  node: LabNode;
  runtime: NodeRuntime;
  setParams(patch: Record<string, unknown>): void;
}) {
  const Inspector = uiOf(type).inspector;
  const view = viewOf(type, runtime.view);
  if (view === undefined) return null;
  // Params carry the kind's defaults (graph-convert's withDefaults); an invalid value stays for
  // validation to name, and the node then shows its error instead of this inspector.
  return <Inspector nodeId={node.id} view={view} params={node.data.params as ParamsOf<K>} setParams={setParams} />;
}

/** The kind's own settings controls (a file picker, …), shown whether or not the node has run. */
function KindSettings<K extends NodeType>({ type, node, setParams }: { type: K; node: LabNode; setParams(patch: Record<string, unknown>): void }) {
  const Settings = uiOf(type).settings;
  return Settings ? <Settings nodeId={node.id} params={node.data.params as ParamsOf<K>} setParams={setParams} /> : null;
}

/** The params a student sees: the kind's own hidden ones are edited in place, a lesson may hide more. */
function hiddenFor(type: NodeType, nodeId: string, visible: Record<string, string[]> | undefined): readonly string[] {
  const own: readonly string[] = uiOf(type).hiddenParams ?? [];
  const allowed = visible ? ownEntry(visible, nodeId) : undefined; // a node may be called 'constructor'
  if (!allowed) return own;
  return [...own, ...Object.keys(nodeKinds[type].params.shape ?? {}).filter((k) => !allowed.includes(k))];
}

export function InspectorPanel({ empty }: { empty?: ReactNode }) {
  const inspected = useLab((s) => s.inspected);
  const node = useLab((s) => s.nodes.find((n) => n.id === s.inspected));
  const runtime = useLab((s) => (s.inspected ? ownEntry(s.runtime, s.inspected) : undefined));
  const updateParams = useLab((s) => s.updateParams);
  const inspect = useLab((s) => s.inspect);
  const readOnly = useLab((s) => s.readOnly);
  const visibleParams = useLab((s) => s.lesson?.controls.visibleParams);

  if (!inspected || !node?.type) {
    return (
      <aside className="panel grid content-start gap-3 overflow-y-auto p-4 text-sm text-slate-600 dark:text-slate-300" data-testid="inspector-empty">
        <h2 className="text-base font-semibold text-slate-900 dark:text-slate-100">Inspector</h2>
        <p>Click a node to see the question it answers, answered with the data flowing through it right now.</p>
        {empty}
      </aside>
    );
  }
  const type = node.type;
  const def = nodeKinds[type];
  return (
    <aside className="panel grid content-start gap-4 overflow-y-auto p-4" data-testid="inspector" data-node-id={node.id} aria-label={`${nodeTitle(node)} inspector`}>
      <div className="flex items-start justify-between gap-2">
        <div>
          <div className="flex items-baseline gap-1 text-xs font-medium tracking-wide text-slate-500">
            <NodeTitle id={node.id} type={type} title={node.data.title} className="uppercase" />
            {node.data.title && <span className="normal-case">({def.title})</span>}
            <span>·</span> <span className="normal-case">{node.id}</span>
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
        <StatusBadge runtime={runtime} />{' '}
        <span data-testid="inspector-where">{runtime?.where === 'server' ? 'on the server (Node, same engine)' : 'in the browser (Web Worker)'}</span>
      </div>
      <NodeAnswer nodeId={node.id} />
      {!readOnly && <ConnectMenu nodeId={node.id} type={type} />}
      {uiOf(type).settings && (
        <fieldset disabled={readOnly} className="border-t border-slate-200 pt-3 dark:border-slate-700">
          <KindSettings type={type} node={node} setParams={(patch) => updateParams(node.id, patch)} />
        </fieldset>
      )}
      <fieldset disabled={readOnly} className="grid gap-2 border-t border-slate-200 pt-3 dark:border-slate-700">
        <h3 className="text-sm font-semibold">Settings{readOnly ? ' (read-only)' : ''}</h3>
        <ParamsForm
          type={type}
          params={node.data.params}
          hidden={hiddenFor(type, node.id, visibleParams)}
          optionLabels={uiOf(type).optionLabels}
          idPrefix={`param-${node.id}`}
          onChange={(patch, key) => updateParams(node.id, patch, key)}
        />
      </fieldset>
    </aside>
  );
}

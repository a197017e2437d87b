import clsx from 'clsx';
import { useEffect, useState } from 'react';
import type { NodeRuntime } from '@/components/canvas/store';
import { formatMs } from './format';

const LABEL: Record<NodeRuntime['status'], string> = {
  idle: 'idle',
  running: 'running',
  done: 'ran',
  cached: 'cached',
  error: 'error',
  blocked: 'waiting',
  stopped: 'stopped',
  'needs-input': 'needs input',
};

export function StatusBadge({ runtime }: { runtime: NodeRuntime | undefined }) {
  const status = runtime?.status ?? 'idle';
  // Where a result came from, for the results there are: the run location is a choice in the toolbar.
  const shown = status === 'done' || status === 'cached';
  return (
    <span
      data-testid="node-status"
      data-status={status}
      data-where={shown ? runtime?.where : undefined}
      title={
        status === 'cached'
          ? `Reused from the cache ${runtime?.where === 'server' ? 'on the server' : 'in this browser'}: nothing it depends on changed`
          : status === 'done'
            ? `Ran ${runtime?.where === 'server' ? 'on the server' : 'in this browser'}`
            : undefined
      }
      className={clsx(
        'rounded-full px-2 py-0.5 text-[11px] font-medium whitespace-nowrap',
        (status === 'idle' || status === 'needs-input') && 'bg-slate-100 text-slate-500 dark:bg-slate-800 dark:text-slate-400',
        status === 'running' && 'bg-sky-100 text-sky-700 dark:bg-sky-900 dark:text-sky-200',
        status === 'done' && 'bg-emerald-100 text-emerald-700 dark:bg-emerald-900 dark:text-emerald-200',
        status === 'cached' && 'bg-indigo-100 text-indigo-700 dark:bg-indigo-900 dark:text-indigo-200',
        status === 'error' && 'bg-rose-100 text-rose-700 dark:bg-rose-900 dark:text-rose-200',
        status === 'blocked' && 'bg-amber-100 text-amber-700 dark:bg-amber-900 dark:text-amber-200',
        status === 'stopped' && 'bg-orange-100 text-orange-800 dark:bg-orange-900 dark:text-orange-200',
      )}
    >
      {LABEL[status]}
      {runtime?.ms !== undefined && (status === 'done' || status === 'cached') ? ` · ${formatMs(runtime.ms)}` : ''}
      {shown && runtime?.where ? ` · ${runtime.where}` : ''}
      {status === 'running' && runtime?.progress ? ` · ${Math.round(runtime.progress * 100)}%` : ''}
      {status === 'running' && runtime?.startedAt !== undefined ? <Elapsed since={runtime.startedAt} /> : null}
    </span>
  );
}

/** " · 4 s", ticking while a node runs long enough for the wait to matter. */
function Elapsed({ since }: { since: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, []);
  return <span data-testid="node-elapsed">{` · ${Math.max(0, Math.floor((now - since) / 1000))} s`}</span>;
}

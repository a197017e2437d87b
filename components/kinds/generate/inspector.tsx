'use client';
/**
 * The Generate inspector: "How does a model write text, one token at a time?" answered with the
 * prompt and the text it added, every chosen token with its probability (and how many tokens
 * the sample was drawn from), why it stopped, and the per-token speed on the backend that ran.
 *
 * Not handled here: generating (nodes/generate), live streaming (the node body shows the text
 * as it grows; this shows the finished run).
 */
import { TokenText, useTokenViews } from '@/components/ui/token-display';
import { describeBackend, formatMs, percent } from '@/components/ui/format';
import { Bar } from '@/components/ui/bar';
import type { InspectorProps } from '../types';
import { BrowserBackendSelect } from '@/components/ui/browser-backend';
import { HeldRunPanel } from '@/components/ui/held-run';
import { ModelCardLine } from '@/components/ui/model-card';

const STOPPED = {
  length: 'it reached the max new tokens',
  eos: 'the model chose the end-of-text token',
  context: 'the model’s context is full',
} as const;

export function GenerateInspector({ nodeId, view, params }: InspectorProps<'generate'>) {
  // The new tokens in order: one character's bytes may be spread over two steps.
  const views = useTokenViews(view.steps.map((s) => s.token));
  return (
    <div className="grid gap-4">
      {view.warning && (
        <p role="alert" className="rounded-md bg-amber-50 p-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100" data-testid="generate-warning">
          ⚠ {view.warning}
        </p>
      )}
      {view.ollama && (
        <p className="text-sm" data-testid="generate-ollama">
          {view.ollama.note}
        </p>
      )}
      <p className="rounded-lg bg-sky-50 p-3 text-base dark:bg-sky-950">
        The model only ever predicts <b>one</b> next token. To write, it picks one, appends it to the input and predicts again.{' '}
        {view.strategy === 'greedy'
          ? 'Greedy decoding always picks the most likely token, so the same prompt always gives the same text (and often repeats itself).'
          : `Sampling draws each token at random from the (cut and re-weighted) probabilities; seed ${view.seed} makes the draws repeatable.`}
      </p>
      <ModelCardLine line={view.modelCard} />
      {view.held && <HeldRunPanel nodeId={nodeId} held={view.held} kind="generate" />}
      <div className="grid gap-1">
        <h4 className="text-sm font-semibold">Text</h4>
        <p className="rounded-md bg-slate-50 p-2 text-sm whitespace-pre-wrap dark:bg-slate-800" data-testid="generate-text">
          <span className="text-slate-500">{view.promptText}</span>
          <span className="font-medium text-fuchsia-700 dark:text-fuchsia-300">{view.text}</span>
        </p>
        <p className="text-xs text-slate-500">
          {view.held ? 'Not run yet in this browser.' : `${view.steps.length} new tokens; stopped because ${STOPPED[view.stopped]}.`} Grey: the prompt; colour: what the
          model wrote.
        </p>
      </div>
      <table className="w-full text-left text-xs" data-testid="generate-steps">
        <thead className="text-slate-500">
          <tr>
            <th>#</th>
            <th>token</th>
            <th>ID</th>
            <th colSpan={2}>probability (bar: 0–100%)</th>
            <th className="text-right">chosen from</th>
          </tr>
        </thead>
        <tbody className="font-mono">
          {view.steps.map((s, i) => (
            <tr key={i} className="border-t border-slate-100 dark:border-slate-800">
              <td>{i + 1}</td>
              <td className="whitespace-pre">
                <TokenText view={views[i]!} />
              </td>
              <td>{s.id >= 0 ? s.id : '—'}</td>
              <td className="w-24 pr-2 align-middle">{Number.isFinite(s.prob) && <Bar fraction={s.prob} tone="fuchsia" testId="generate-prob-bar" />}</td>
              <td className="text-right" data-testid="generate-prob">
                {Number.isFinite(s.prob) ? percent(s.prob) : '—'}
              </td>
              <td className="text-right">{s.pool === 0 ? 'Ollama' : s.pool === 1 ? 'argmax' : `${s.pool.toLocaleString('en')} tokens`}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p
        className="text-xs text-slate-600 dark:text-slate-300"
        data-testid="generate-backend"
        data-backend={view.backend}
        data-load-ms={view.loadMs}
        data-load-phases={view.loadPhases ? JSON.stringify(view.loadPhases) : ''}
        data-first-token-ms={view.firstTokenMs}
        data-ms-per-token={view.msPerToken ?? ''}
        data-tokens={view.steps.length}
      >
        {view.held ? 'Loaded on' : 'Ran on'} <b data-testid="generate-backend-label">{describeBackend(view.backend, view.threads ?? null, view.backendReason ?? null)}</b> · {view.model} · first token {formatMs(view.firstTokenMs)} (reads the whole prompt)
        {view.msPerToken !== null ? ` · then ${formatMs(view.msPerToken)} per token (one position each, thanks to the key/value cache)` : ''} · model
        loaded in {formatMs(view.loadMs)}
        {view.loadWaitMs < view.loadMs / 2 ? ' (earlier; reused)' : ''}
        {view.backendNote ? ` · ${view.backendNote}` : ''}
      </p>
      {view.backend !== 'ollama' && <BrowserBackendSelect nodeDevice={String(params.device)} />}
      {view.budget < view.maxPositions && view.stopped === 'context' && (
        <p className="text-xs text-amber-700">The model reads at most {view.maxPositions} positions; prompt plus new tokens must fit.</p>
      )}
    </div>
  );
}

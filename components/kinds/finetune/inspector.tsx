'use client';
/**
 * The Fine-tune inspector: "Do token IDs change during fine-tuning?" answered with the run's own
 * numbers. First the IDs check (same IDs before and after), then what did change: the loss on
 * the user's text and on held-out text from the model's corpus, how far the watched tokens' embedding rows moved,
 * how far each attention matrix moved, and the probe prompt's top-5 before and now.
 *
 * Not handled here: the training (nodes/finetune, where the node ran); live curves during a run
 * (the node's progress line shows the latest step).
 */
import { LineChart } from '@/components/ui/charts';
import { TokenChips, visibleWhitespace } from '@/components/ui/token-display';
import type { FinetuneLive, ShownCandidate } from '@/nodes/finetune';
import { Bar } from '@/components/ui/bar';
import { percent } from '@/components/ui/format';
import type { InspectorProps } from '../types';

function TopFive({ title, rows, testId }: { title: string; rows: ShownCandidate[]; testId: string }) {
  return (
    <div className="grid content-start gap-1" data-testid={testId}>
      <h5 className="text-xs font-semibold text-slate-500">{title}</h5>
      {rows.map((c) => (
        <div key={c.id} className="grid grid-cols-[5rem_1fr_3.5rem] items-center gap-2 text-xs">
          <span className="truncate font-mono" title={`ID ${c.id}`}>
            {visibleWhitespace(c.text)}
          </span>
          <Bar fraction={c.prob} tone="violet" testId="finetune-probe-bar" />
          <span className="text-right tabular-nums">{percent(c.prob)}</span>
        </div>
      ))}
    </div>
  );
}

export function FinetuneInspector({ view }: InspectorProps<'finetune'>) {
  if (!view) return <p className="text-sm text-slate-500">Connect a text to fine-tune on.</p>;
  const first = view.history[0]!;
  const last = view.history[view.history.length - 1]!;
  const ids = (rows: { id: number }[]) => rows.map((t) => t.id).join(' ');
  const maxRow = Math.max(...view.watchedRows.map((r) => r.change), view.history[view.history.length - 1]!.meanRowChange, 1e-12);
  const maxAttention = Math.max(...view.attention.map((m) => m.relative), 1e-12);
  return (
    <div className="grid gap-4">
      <div
        data-testid="finetune-ids-check"
        className={`rounded-lg p-3 text-base ${view.watch.identical ? 'bg-emerald-50 text-emerald-950 dark:bg-emerald-950 dark:text-emerald-50' : 'bg-rose-50 text-rose-950 dark:bg-rose-950 dark:text-rose-50'}`}
      >
        <p className="font-semibold" data-testid="finetune-ids-verdict">
          {view.watch.identical ? '✓ IDs unchanged' : '✗ IDs changed'}
        </p>
        <p className="text-sm">
          Token IDs before: <span className="font-mono">{ids(view.watch.before)}</span> · after: <span className="font-mono">{ids(view.watch.after)}</span>
          {view.watch.identical
            ? ' — identical: the tokenizer is not part of what training changes.'
            : ' — they differ, which training cannot cause: the tokenizer itself was changed.'}
        </p>
        <TokenChips tokens={view.watch.after} className="mt-2" />
        <p className="mt-1 text-xs opacity-80">
          Encoded with {view.watch.tokenizer}, before the first step and again after step {view.steps}. What training changed is below: weights, not IDs.
        </p>
      </div>

      <p className="text-xs text-slate-500" data-testid="finetune-summary" data-step-ms={view.stepMs} data-backend={view.backend}>
        {view.steps} steps on {view.trainTokens.toLocaleString()} tokens of your text · {Math.round(view.stepMs).toLocaleString()} ms per step (median) on{' '}
        {view.backendDetail}
        {view.freezeEmbedding ? ' · embedding frozen' : ''}
      </p>

      <section className="grid gap-1">
        <h4 className="text-sm font-semibold">Loss (lower = the model predicts that text better)</h4>
        <LineChart yFromData
          testId="finetune-loss-chart"
          xLabel="step"
          yLabel="nats/token"
          series={[
            { label: 'your text', points: view.history.map((h) => ({ x: h.step, y: h.fineTuneLoss })) },
            { label: 'held-out (never trained on)', points: view.history.map((h) => ({ x: h.step, y: h.corpusLoss })) },
          ]}
        />
        <p className="text-xs text-slate-600 dark:text-slate-300" data-testid="finetune-loss-summary">
          Your text: {first.fineTuneLoss.toFixed(3)} → {last.fineTuneLoss.toFixed(3)}. Held-out text ({view.corpusLabel}): {first.corpusLoss.toFixed(3)} →{' '}
          {last.corpusLoss.toFixed(3)}
          {last.corpusLoss > first.corpusLoss + 0.005 ? ' — rising: the model starts to forget what it knew.' : '.'}
        </p>
      </section>

      <section className="grid gap-1">
        <h4 className="text-sm font-semibold">How far the watched tokens’ embedding rows moved (L2)</h4>
        {view.watchNote && <p className="text-xs text-amber-700 dark:text-amber-300">{view.watchNote}</p>}
        <table className="w-full text-xs" data-testid="finetune-rows">
          <tbody>
            {view.watchedRows.map((r) => (
              <tr key={r.id} data-testid="finetune-row">
                <td className="pr-2 font-mono whitespace-pre">{r.piece}</td>
                <td className="pr-2 text-slate-500 tabular-nums">{r.id}</td>
                <td className="w-1/2">
                  <Bar fraction={r.change / maxRow} tone="sky" />
                </td>
                <td className="pl-2 text-right tabular-nums" data-testid="finetune-row-change">
                  {r.change.toFixed(4)}
                </td>
                <td className="pl-2 text-slate-500">{r.inTrainingText ? `×${r.inTrainingText} in text` : 'not in text'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="text-xs text-slate-600 dark:text-slate-300">
          {view.freezeEmbedding
            ? 'The embedding table is frozen: its rows (and the tied output layer) stay exactly as they were; only the blocks learn.'
            : `A row is the token’s vector and moves; its ID, the row number, stays. An average row of the table moved ${last.meanRowChange.toFixed(4)}: the same table is the output layer, so every token gets a gradient at every step, and Adam moves each weight by about the learning rate per step.`}
        </p>
      </section>

      <section className="grid gap-1">
        <h4 className="text-sm font-semibold">How far each attention matrix moved (change / size)</h4>
        <div className="grid gap-1" data-testid="finetune-attention">
          {view.attention.map((m) => (
            <div key={m.label} className="grid grid-cols-[8rem_1fr_4rem] items-center gap-2 text-xs">
              <span>{m.label}</span>
              <Bar fraction={m.relative / maxAttention} tone="violet" />
              <span className="text-right tabular-nums" title={`L2 change ${m.change.toFixed(4)}`}>
                {percent(m.relative)}
              </span>
            </div>
          ))}
        </div>
      </section>

      <section className="grid gap-1">
        <h4 className="text-sm font-semibold">
          Next token after “<span className="font-mono">{view.probePrompt}</span>”
        </h4>
        <div className="grid grid-cols-2 gap-4">
          <TopFive title="before" rows={view.probeBefore} testId="finetune-probe-before" />
          <TopFive title={`after ${view.steps} steps`} rows={view.probeAfter} testId="finetune-probe-after" />
        </div>
      </section>

      <p className="text-xs text-slate-500" data-testid="finetune-output">
        Output: {view.modelLabel} (weights {view.weightsId}). Connect it to a Transformer or Generate node to compare with the original model.
      </p>
    </div>
  );
}

/** While training runs: the curves so far, redrawn after every step. */
export function FinetuneLiveView({ data }: { data: FinetuneLive }) {
  const last = data.history[data.history.length - 1];
  if (!last) return null;
  return (
    <div className="grid gap-2" data-testid="finetune-live">
      <p className="text-sm">
        Training: step {last.step} of {data.steps}. Loss on your text {last.fineTuneLoss.toFixed(3)}, on held-out text {last.corpusLoss.toFixed(3)};
        the watched tokens’ embedding rows have moved {last.watchedChange.toFixed(4)}. Their IDs cannot move: the tokenizer is not trained.
      </p>
      <LineChart
        yFromData
        testId="finetune-live-chart"
        xLabel="step"
        yLabel="nats/token"
        series={[
          { label: 'your text', points: data.history.map((h) => ({ x: h.step, y: h.fineTuneLoss })) },
          { label: 'held-out (never trained on)', points: data.history.map((h) => ({ x: h.step, y: h.corpusLoss })) },
        ]}
      />
    </div>
  );
}

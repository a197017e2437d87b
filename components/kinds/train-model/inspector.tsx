'use client';
/**
 * The Train model inspector: "Can I train a language model on my own tokenizer?" answered while
 * it trains and after. The train and held-out loss against the unigram and bigram lines (the
 * model must go below them to have learned more than counting), the samples from the fixed
 * prompt stacked step by step (noise, then letters, then words), the most frequent tokens'
 * embeddings moving in 2-D (embedding-map.tsx), the speed and the time left, and, at the end,
 * the model it made and where to plug it in.
 *
 * Not handled here: the training (nodes/train-model, where the node ran).
 */
import { useState } from 'react';
import { strToU8, zipSync } from 'fflate';
import { LineChart } from '@/components/ui/charts';
import { downloadText } from '@/components/canvas/sharing';
import { askNode } from '@/components/canvas/use-node-query';
import type { TrainLive } from '@/nodes/train-model';
import type { ModelFiles } from '@/nodes/train-model/model-files';
import type { InspectorProps } from '../types';
import { EmbeddingMap } from './embedding-map';

/**
 * The model as a folder in a zip: config.json, tokenizer files, onnx/model.onnx, the layout the
 * Transformer node and transformers.js (AutoModelForCausalLM.from_pretrained on the folder) load.
 */
function DownloadModel({ nodeId, folder }: { nodeId: string; folder: string }) {
  const [state, setState] = useState<string | null>(null);
  const download = async () => {
    setState('Packing…');
    try {
      const files = (await askNode(nodeId, 'train-model', { files: true })) as ModelFiles;
      const entries = Object.fromEntries(Object.entries(files).map(([name, content]) => [`${folder}/${name}`, typeof content === 'string' ? strToU8(content) : content]));
      downloadText(`${folder}.zip`, zipSync(entries, { level: 6 }), 'application/zip');
      setState(null);
    } catch (error) {
      setState(error instanceof Error ? error.message : String(error));
    }
  };
  return (
    <div className="flex items-center gap-2 text-xs">
      <button type="button" className="rounded border border-slate-300 px-2 py-1 hover:bg-slate-50 dark:border-slate-600 dark:hover:bg-slate-800" onClick={() => void download()} data-testid="train-download">
        Download the model (.zip: ONNX, config.json, tokenizer.json)
      </button>
      {state && <span className="text-slate-500">{state}</span>}
    </div>
  );
}

const seconds = (s: number) => (s >= 90 ? `${Math.round(s / 60)} min` : s < 1 ? 'a second' : `${Math.round(s)} s`);

/** The first held-out evaluation at or below a line, or null. */
function beatenAt(live: TrainLive, line: number): number | null {
  return live.history.find((h) => h.heldOutLoss !== null && h.heldOutLoss < line)?.step ?? null;
}

function Verdict({ live }: { live: TrainLive }) {
  const heldOut = live.history.filter((h) => h.heldOutLoss !== null);
  const last = heldOut.at(-1);
  if (!last) return null;
  const bigram = beatenAt(live, live.baselines.bigram);
  const unigram = beatenAt(live, live.baselines.unigram);
  const loss = last.heldOutLoss!;
  let sentence: string;
  if (bigram !== null) sentence = `Below the bigram line since step ${bigram}: the model predicts held-out text better than counting pairs of tokens can.`;
  else if (unigram !== null) sentence = `Below the unigram line since step ${unigram}: it has learned which tokens are common. Next: the bigram line, which knows what follows what.`;
  else sentence = 'Still above both lines: so far it guesses worse than simply counting tokens. Keep training.';
  return (
    <p className="text-sm" data-testid="train-verdict">
      Held-out loss at step {last.step}: <b className="tabular-nums">{loss.toFixed(3)}</b> nats per token (unigram {live.baselines.unigram.toFixed(3)}, bigram{' '}
      {live.baselines.bigram.toFixed(3)}). {sentence}
    </p>
  );
}

/** Loss curves, samples and speed: drawn live from progress data, and again from the final view. */
export function TrainCurves({ live }: { live: TrainLive }) {
  const evals = live.history.filter((h) => h.heldOutLoss !== null).map((h) => ({ x: h.step, y: h.heldOutLoss! }));
  return (
    <div className="grid gap-3">
      <section className="grid gap-1">
        <h4 className="text-sm font-semibold">Loss (lower = better predictions of the next token)</h4>
        <LineChart
          yFromData
          testId="train-loss-chart"
          xLabel="step"
          yLabel="nats/token"
          series={[
            { label: 'training batch', points: live.history.map((h) => ({ x: h.step, y: h.trainLoss })) },
            { label: 'held-out (never trained on)', points: evals },
          ]}
          rules={[
            { label: 'unigram', y: live.baselines.unigram },
            { label: 'bigram', y: live.baselines.bigram },
          ]}
        />
        <Verdict live={live} />
      </section>
      <section className="grid gap-1">
        <h4 className="text-sm font-semibold">What it writes after the same prompt, at the same seed</h4>
        <ol className="grid gap-1 text-xs" data-testid="train-samples">
          {live.samples.map((s) => (
            <li key={s.step} className="grid grid-cols-[4.5rem_1fr] gap-2" data-testid="train-sample">
              <span className="text-slate-500 tabular-nums">step {s.step}</span>
              <span className="font-mono break-words whitespace-pre-wrap">{s.text}</span>
            </li>
          ))}
        </ol>
      </section>
      {live.embedding && <EmbeddingMap map={live.embedding} />}
      <p className="text-xs text-slate-500" data-testid="train-speed">
        Step {live.step} of {live.steps}
        {live.msPerStep > 0 && ` · ${Math.round(live.tokensPerSecond).toLocaleString('en')} tokens/s · ${Math.round(live.msPerStep)} ms per step`}
        {live.nextSampleStep !== null && live.msPerStep > 0 && ` · about ${seconds(live.secondsLeft)} left`}
        {live.nextSampleStep !== null && ` · next sample at step ${live.nextSampleStep}`}
        {live.secondsToNextSample !== null && `, in about ${seconds(live.secondsToNextSample)}`}
      </p>
    </div>
  );
}

/** While training runs. */
export function TrainModelLiveView({ data }: { data: TrainLive }) {
  return (
    <div className="grid gap-2" data-testid="train-live">
      <p className="text-sm">Training from random weights: the loss starts near ln(vocabulary), the score of a uniform guess, and falls as the model learns.</p>
      <TrainCurves live={data} />
    </div>
  );
}

export function TrainModelInspector({ nodeId, view }: InspectorProps<'train-model'>) {
  if (!view) return <p className="text-sm text-slate-500">Connect a tokenizer and a corpus to train on.</p>;
  const last = view.history.filter((h) => h.heldOutLoss !== null).at(-1);
  const perChar = last ? last.heldOutLoss! / view.charsPerToken : null;
  return (
    <div className="grid gap-4">
      <p
        className="text-sm"
        data-testid="train-summary"
        data-backend={view.backend}
        data-bench={JSON.stringify({ backend: view.backend, msPerStep: view.msPerStep, tokensPerSecond: view.tokensPerSecond, stepsDone: view.stepsDone, baselines: view.baselines, history: last ? [last] : [] })}
      >
        A GPT-2 with {view.layers} layers × {view.width} dimensions ({view.heads} heads), a context of {view.context} tokens and {view.vocabSize.toLocaleString('en')} embedding
        rows, one per token of {view.tokenizer}: {view.parameters.toLocaleString('en')} weights, trained from random for {view.stepsDone} steps on{' '}
        {view.trainTokens.toLocaleString('en')} tokens ({view.batchSize} {view.batchSize === 1 ? 'window' : 'windows'} a step), on {view.backendDetail}.
        {view.resumedFrom > 0 && ` This run continued from step ${view.resumedFrom}.`}
        {view.stepsDone < view.steps && ` The time budget of ${view.timeBudget} s ran out at step ${view.stepsDone} of ${view.steps}: on a faster machine it gets further.`}
      </p>
      <TrainCurves live={view} />
      {perChar !== null && (
        <p className="text-xs text-slate-600 dark:text-slate-300" data-testid="train-per-char">
          Per character: {perChar.toFixed(3)} nats ({view.charsPerToken.toFixed(2)} characters per token). A loss per token depends on how much text a token holds, so compare
          models with different tokenizers per character.
        </p>
      )}
      <p className="text-xs text-slate-500" data-testid="train-output">
        Output: {view.modelLabel} (weights {view.weightsId}, {(view.onnxBytes / 1e6).toFixed(1)} MB of ONNX). Connect it to a Transformer or Generate node, with IDs from the same
        tokenizer. A saved graph keeps this recipe, not the weights: opening it trains again, to the same weights on the same backend.
      </p>
      <DownloadModel nodeId={nodeId} folder={view.weightsId} />
    </div>
  );
}

'use client';
/**
 * The N-gram inspector: "Is BPE the same as an n-gram?" answered side by side, then the most
 * frequent n-grams and the next-unit prediction as bar charts, with the add-k arithmetic for the
 * top prediction written out in the actual numbers.
 *
 * Token units read as their text (·the, ଭାଷା), or as stored (Ġthe) when the learner flips "show
 * as the tokenizer stores it", like every token view; n-gram rows are read as sequences, so bytes
 * shared across neighbouring tokens name their character.
 *
 * Not handled here: comparing with a Transformer's prediction on the same canvas (one line says
 * how the two differ); counting (nodes/ngram/ does it where the node ran).
 */
import { createContext, useContext } from 'react';
import { TokenText, useLabelOf, useTokenViews } from '@/components/ui/token-display';
import type { NgramAnalysis } from '@/nodes/ngram/analyze';
import type { NextUnit, Prediction } from '@/nodes/ngram/predict';
import { PLAIN } from '@/nodes/shared/token-text';
import { Bar } from '@/components/ui/bar';
import { percent } from '@/components/ui/format';
import type { InspectorProps } from '../types';

/** A number as the arithmetic shows it: integers plain, others with up to 3 decimals. */
function num(x: number): string {
  return Number.isInteger(x) ? x.toLocaleString('en') : String(Number(x.toFixed(3)));
}

/** How the units spell their text, for every view of them below. */
const UnitsSpelling = createContext<Pick<NgramAnalysis, 'spelling' | 'specials'>>({ spelling: PLAIN, specials: [] });

/** One unit as a string (readable, or stored when the switch is on). */
function useUnitLabel(): (unit: string) => string {
  return useLabelOf([], useContext(UnitsSpelling).spelling);
}

/** Units that follow each other (an n-gram, the input's preview): read together, one TokenText each. */
function UnitRun({ units, chips = false }: { units: readonly string[]; chips?: boolean }) {
  const { spelling, specials } = useContext(UnitsSpelling);
  const views = useTokenViews(units, spelling, specials);
  return views.map((v, i) =>
    chips ? (
      <span key={i} className="chip">
        <TokenText view={v} />
      </span>
    ) : (
      <span key={i}>
        {i > 0 && ' '}
        <TokenText view={v} />
      </span>
    ),
  );
}

function ContextText({ prediction }: { prediction: Prediction }) {
  if (prediction.context.length === 0) return <i>nothing</i>;
  return (
    <span className="font-mono">
      “<UnitRun units={prediction.context} />”
    </span>
  );
}

/** The add-k formula for one next unit, with its numbers. */
function Smoothing({ prediction, best }: { prediction: Prediction; best: NextUnit }) {
  const { k, vocabSize, contextCount } = prediction;
  const labelOf = useUnitLabel();
  const ctx = prediction.context.map(labelOf).join(' ');
  const w = labelOf(best.unit);
  const numerator = best.count + k;
  const denominator = contextCount + k * vocabSize;
  return (
    <div className="grid gap-1 rounded-md bg-slate-50 p-2 text-sm dark:bg-slate-800" data-testid="ngram-smoothing">
      <div className="font-semibold">Add-k smoothing for the top prediction</div>
      <div className="font-mono text-xs">P(w | context) = (count(context, w) + k) / (count(context) + k·|V|)</div>
      <div className="font-mono text-xs">
        count({ctx ? `${ctx}, ` : ''}
        {w}) = {num(best.count)}, count({ctx || '·'}) = {num(contextCount)}, |V| = {num(vocabSize)}, k = {num(k)}
      </div>
      <div className="font-mono text-xs">
        → P({w}
        {ctx ? ` | ${ctx}` : ''}) = ({num(best.count)} + {num(k)}) / ({num(contextCount)} + {num(k)}·{num(vocabSize)}) = {num(numerator)}/
        {num(denominator)} = {best.probability.toFixed(3)}
      </div>
      <p className="text-xs text-slate-600 dark:text-slate-300">
        {prediction.context.length === 0
          ? 'With n = 1 there is no context: count(·) is the number of units, and the model predicts the same thing everywhere.'
          : `count(context) is how often “${ctx}” is followed by some unit in the input.`}{' '}
        {k > 0
          ? `Adding k to every count gives the ${num(vocabSize)} units of V a share even if they never followed the context, so nothing gets probability 0.`
          : 'With k = 0 these are plain relative frequencies: a unit never seen after the context gets probability 0.'}
      </p>
    </div>
  );
}

function PredictionNote({ prediction, unitCount, n }: { prediction: Prediction; unitCount: number; n: number }) {
  switch (prediction.status) {
    case 'seen':
      return null;
    case 'unseen':
      return (
        <p className="rounded-md bg-amber-50 p-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100" data-testid="ngram-unseen">
          The context <ContextText prediction={prediction} /> was never followed by anything in the input
          {prediction.from === 'input' ? ' (it only occurs at the very end)' : ''}. Plain counts give nothing here (0/0); add-k gives each of
          the {num(prediction.vocabSize)} units the same probability, 1/{num(prediction.vocabSize)}. This model does not back off to a
          shorter context.
        </p>
      );
    case 'undefined':
      return (
        <p className="rounded-md bg-amber-50 p-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100" data-testid="ngram-unseen">
          {unitCount === 0 ? (
            'No units yet: the input is empty.'
          ) : (
            <>
              The context <ContextText prediction={prediction} /> was never seen and k = 0, so plain counts give 0/0: no prediction. Raise k
              to smooth, or type another context.
            </>
          )}
        </p>
      );
    case 'short':
      return (
        <p className="rounded-md bg-amber-50 p-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100" data-testid="ngram-short">
          {unitCount === 0
            ? 'No units yet: the input is empty.'
            : `With n = ${n} the context is ${n - 1} units; there ${
                prediction.context.length === 1 ? 'is only 1' : `are only ${prediction.context.length}`
              }. Type a longer context or lower n.`}
        </p>
      );
  }
}

function ProbabilityRow({ label, value, tone }: { label: string; value: number; tone: 'sky' | 'violet' }) {
  return (
    <div className="grid grid-cols-[5rem_1fr_3.5rem] items-center gap-2">
      <span className="truncate font-mono whitespace-pre">{label}</span>
      <Bar fraction={value} tone={tone} />
      <span className="text-right tabular-nums">{percent(value)}</span>
    </div>
  );
}

export function NgramInspector({ view, params }: InspectorProps<'ngram'>) {
  if (!view) return <p className="text-sm text-slate-500">Connect text or tokens.</p>;
  return (
    <UnitsSpelling.Provider value={{ spelling: view.spelling, specials: view.specials }}>
      <NgramAnalysisView view={view} lowercase={params.lowercase} />
    </UnitsSpelling.Provider>
  );
}

function NgramAnalysisView({ view, lowercase }: { view: NonNullable<InspectorProps<'ngram'>['view']>; lowercase: boolean }) {
  const labelOf = useUnitLabel();
  const candidateLabel = useLabelOf(view.transformer?.candidates.map((c) => c.token) ?? []);
  const { prediction } = view;
  const maxCount = view.top[0]?.count ?? 1;
  const best = prediction.next[0];
  const unitWord = view.level === 'word' ? 'words' : 'tokens';
  const width = view.n - 1;
  return (
    <div className="grid gap-4">
      <p className="rounded-lg bg-sky-50 p-3 text-base dark:bg-sky-950" data-testid="ngram-answer">
        <b>No.</b> BPE decides what the <b>units</b> are; an n-gram model <b>counts sequences</b> of units that already exist. They meet
        in one place: a BPE merge is a frequent 2-gram of symbols turned into a new symbol.
      </p>
      <div className="grid grid-cols-2 gap-2 text-sm">
        <section className="grid content-start gap-1 rounded-md border border-emerald-200 p-2 dark:border-emerald-800">
          <h4 className="font-semibold text-emerald-800 dark:text-emerald-200">BPE builds the units</h4>
          <p>
            Starts from characters (bytes) and again and again merges the most frequent <i>adjacent pair</i> into a new symbol. What it
            learns is a vocabulary and an ordered list of merges: <i>what the pieces are</i>. It predicts nothing.
          </p>
          {view.firstMerge ? (
            <p className="text-xs text-slate-600 dark:text-slate-300" data-testid="ngram-first-merge">
              On these words its first merge would be <span className="font-mono">“{view.firstMerge.left}” + “{view.firstMerge.right}”</span> →{' '}
              <span className="font-mono">“{view.firstMerge.left + view.firstMerge.right}”</span>: a character 2-gram seen{' '}
              {num(view.firstMerge.count)} times. BPE keeps the new symbol and forgets the count.
            </p>
          ) : view.level === 'token' ? (
            <p className="text-xs text-slate-600 dark:text-slate-300">
              The units here are already BPE’s output: every token of {view.source} is the result of merges.
            </p>
          ) : null}
        </section>
        <section className="grid content-start gap-1 rounded-md border border-violet-200 p-2 dark:border-violet-800">
          <h4 className="font-semibold text-violet-800 dark:text-violet-200">An n-gram counts sequences</h4>
          <p>
            Takes the units as given (here: {view.level === 'word' ? 'words' : `${view.source} tokens`}) and counts every run of n = {view.n}{' '}
            in a row. The counts are features, and divided they are the old way to predict the next unit: from the last {width === 0 ? 'zero' : width}{' '}
            unit{width === 1 ? '' : 's'} only. The counts <i>are</i> the model.
          </p>
        </section>
      </div>

      <div className="grid gap-1">
        <h4 className="text-sm font-semibold">
          Units: {view.level === 'word' ? `words${lowercase ? ', lowercased' : ''}` : `tokens from ${view.source}`} ·{' '}
          {num(view.unitCount)} in all, |V| = {num(view.vocabSize)} distinct
        </h4>
        <div className="flex max-h-20 flex-wrap gap-1 overflow-hidden" data-testid="ngram-units">
          <UnitRun units={view.unitsPreview} chips />
        </div>
      </div>

      <div className="grid gap-1">
        <h4 className="text-sm font-semibold">
          Most frequent {view.n}-grams · {num(view.ngramTotal)} in all, {num(view.distinctNgrams)} distinct
        </h4>
        {view.top.length === 0 ? (
          <p className="text-sm text-slate-500" data-testid="ngram-none">
            No {view.n}-grams: the input has {num(view.unitCount)} unit{view.unitCount === 1 ? '' : 's'}, fewer than n = {view.n}.
          </p>
        ) : (
          <div className="grid grid-cols-[minmax(0,auto)_1fr_auto] items-center gap-x-2 gap-y-0.5 text-xs" data-testid="ngram-top">
            {view.top.map((g, i) => (
              <div key={i} className="contents" data-testid="ngram-row">
                <span className="truncate font-mono" data-testid="ngram-units-text">
                  <UnitRun units={g.units} />
                </span>
                <Bar fraction={g.count / maxCount} tone="sky" />
                <span className="text-right tabular-nums" data-testid="ngram-count">
                  {num(g.count)}
                </span>
              </div>
            ))}
          </div>
        )}
      </div>

      <div className="grid gap-2">
        <h4 className="text-sm font-semibold">
          Next {view.level === 'word' ? 'word' : 'token'} after <ContextText prediction={prediction} />
          <span className="font-normal text-slate-500"> ({prediction.from === 'typed' ? 'typed context' : `the last ${width} ${unitWord} of the input`})</span>
        </h4>
        <PredictionNote prediction={prediction} unitCount={view.unitCount} n={view.n} />
        {prediction.next.length > 0 && (
          <div className="grid grid-cols-[minmax(0,auto)_1fr_auto] items-center gap-x-2 gap-y-0.5 text-xs" data-testid="ngram-prediction">
            {prediction.next.map((x) => (
              <div key={x.unit} className="contents" data-testid="ngram-next">
                <span className="truncate font-mono" title={x.unit} data-testid="ngram-next-unit">
                  {labelOf(x.unit)}
                </span>
                <Bar fraction={x.probability} tone="violet" testId="ngram-next-bar" />
                <span className="text-right tabular-nums" title={`count ${x.count}`} data-testid="ngram-next-probability">
                  {percent(x.probability)}
                </span>
              </div>
            ))}
          </div>
        )}
        {prediction.othersCount > 0 && prediction.unseenProbability !== null && prediction.next.length > 0 && (
          <p className="text-xs text-slate-500">
            The other {num(prediction.othersCount)} units of V are not listed; each one never seen after the context gets{' '}
            {percent(prediction.unseenProbability)}. All {num(prediction.vocabSize)} together sum to 100%.
          </p>
        )}
        {best && <Smoothing prediction={prediction} best={best} />}
      </div>

      {view.perplexity !== null && (
        <p className="text-sm" data-testid="ngram-perplexity">
          Perplexity on its own input: <b>{view.perplexity.toFixed(2)}</b>, as unsure on average as a choice among{' '}
          {view.perplexity.toFixed(1)} equally likely units. Measured on the text it counted, so it flatters the model; a larger k raises it.
        </p>
      )}
      {view.transformer && (
        <div className="grid gap-2" data-testid="ngram-vs-transformer">
          <h4 className="text-sm font-semibold">The same context, two predictors</h4>
          {!view.transformer.sameContext && (
            <p className="text-xs text-amber-700 dark:text-amber-300">
              The two do not predict after the same unit here: give the N-gram the tokens of the text the Transformer reads, and leave
              its context empty.
            </p>
          )}
          <div className="grid grid-cols-2 gap-3 text-xs">
            <div>
              <div className="mb-1 font-medium">
                {view.n}-gram (counts of the last {view.n - 1})
              </div>
              {view.prediction.next.slice(0, 5).map((u) => (
                <ProbabilityRow key={u.unit} label={labelOf(u.unit)} value={u.probability} tone="sky" />
              ))}
            </div>
            <div>
              <div className="mb-1 font-medium">{view.transformer.model} (all previous tokens)</div>
              {view.transformer.candidates.slice(0, 5).map((c) => (
                <ProbabilityRow key={c.id} label={candidateLabel(c.token)} value={c.prob} tone="violet" />
              ))}
            </div>
          </div>
        </div>
      )}
      <p className="text-sm text-slate-600 dark:text-slate-300">
        A Transformer predicts the next token from <i>all</i> the previous tokens in its window, not only the last n−1, and learns to give
        contexts it never saw sensible probabilities instead of counting them.
      </p>
    </div>
  );
}

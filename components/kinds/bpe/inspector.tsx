'use client';
/**
 * The BPE inspector: how a byte-level vocabulary is made (the merges replayed on the learner's
 * text, the merge timeline, ID against frequency) and what encode() does to one word, step by
 * step. GPT-2's frozen merges show the same views without the training ones.
 *
 * Not handled here: training or encoding (nodes/bpe/), the corpus file picker (corpus-file.tsx),
 * the sections every trained tokenizer shares (components/ui/tokenizer-sections.tsx).
 */
import { useState } from 'react';
import { LineChart } from '@/components/ui/charts';
import { RowsTable, Section, Stat } from '@/components/ui/inspector-kit';
import { ExportSection } from '@/components/ui/tokenizer-sections';
import type { InspectorProps } from '../types';
import { OdiaMeasurementTable } from './odia';
import { TokenText, useLabelOf, useTokenViews } from '@/components/ui/token-display';
import { BYTE_LEVEL, viewToken, type TokenView } from '@/nodes/shared/token-text';
import { IdVersusFrequency } from './id-frequency';

const STOP_REASON: Record<string, string> = {
  'vocab-size': 'it reached the vocabulary size you asked for',
  'no-pairs-left': 'no adjacent pair was left to merge: every piece of the corpus is one token already',
  'min-frequency': 'the most frequent remaining pair occurs fewer times than the minimum pair count',
};

/** One byte-level token: read on its own unless its place in a sequence (`view`) says more. */
const Tok = ({ t, hot, view }: { t: string; hot?: boolean; view?: TokenView }) => (
  <span className={`rounded border px-1 font-mono text-xs whitespace-pre ${hot ? 'border-rose-400 bg-rose-50 dark:bg-rose-950' : 'border-violet-200 bg-violet-50 dark:border-violet-800 dark:bg-violet-950'}`}>
    <TokenText view={view ?? viewToken(t, BYTE_LEVEL)} />
  </span>
);

/** Tokens of one text in order, so bytes shared across tokens name their character. */
function TokSeq({ tokens, hot }: { tokens: string[]; hot?: (i: number) => boolean }) {
  const views = useTokenViews(tokens, BYTE_LEVEL);
  return tokens.map((t, i) => <Tok key={i} t={t} view={views[i]} hot={hot?.(i)} />);
}


export function BpeInspector({ nodeId, view }: InspectorProps<'bpe'>) {
  // The slider and the stepper follow a retrain: a new vocabulary starts them afresh (at the
  // final merge, and at the word's bytes); a new text under the same vocabulary keeps them.
  const training = `${view.vocabSize}:${view.mergeCount}:${view.corpusChars}:${view.frames.length}`;
  const [picked, setPicked] = useState<{ training: string; frame: number } | null>(null);
  const frame = picked?.training === training ? Math.min(picked.frame, view.frames.length - 1) : view.frames.length - 1;
  const setFrame = (f: number) => setPicked({ training, frame: f });
  const [word, setWord] = useState(0);
  const [stepAt, setStepAt] = useState<{ training: string; step: number }>({ training, step: 0 });
  const labelOf = useLabelOf([], BYTE_LEVEL);
  const trace = view.traces[Math.min(word, view.traces.length - 1)];
  const step = stepAt.training === training && trace ? Math.min(stepAt.step, trace.steps.length) : 0;
  const setStep = (next: number | ((s: number) => number)) => setStepAt({ training, step: typeof next === 'function' ? next(step) : next });
  const current = view.frames[Math.min(frame, view.frames.length - 1)];
  const trained = view.training !== null;

  return (
    <div className="grid gap-4">
      <div className="grid grid-cols-4 gap-2 text-center text-xs">
        {[
          ['vocabulary', view.vocabSize],
          ['merges', view.mergeCount],
          ['tokens here', view.tokenCount],
          ['chars / token', view.tokenCount ? (view.charCount / view.tokenCount).toFixed(2) : '—'],
        ].map(([label, value]) => (
          <Stat key={label} label={String(label)} value={value} testId={`bpe-stat-${String(label).replace(/\W+/g, '-')}`} />
        ))}
      </div>

      {view.hint && (
        <p data-testid="bpe-inspector-hint" className="rounded-md bg-amber-50 p-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
          {view.hint}
        </p>
      )}

      {trained ? (
        <p>
          A vocabulary is made by counting: start from the 256 bytes, find the adjacent pair that occurs most often in the corpus
          ({view.corpusChars.toLocaleString()} characters, {view.training!.uniqueWords.toLocaleString()} distinct pieces), merge it into
          a new token with the next free ID, and repeat. Training stopped because {STOP_REASON[view.training!.stoppedBecause]}.
        </p>
      ) : (
        <p>These are GPT-2’s own 50,000 merges, learned once on its training data and frozen since: the same rules give the same IDs everywhere.</p>
      )}

      {view.faithful && (
        <p
          data-testid="faithful-badge"
          className={`rounded-md p-2 text-sm ${view.faithful.equal ? 'bg-emerald-50 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100' : 'bg-amber-50 text-amber-900 dark:bg-amber-950 dark:text-amber-100'}`}
        >
          {view.faithful.equal
            ? `✓ Same IDs as the official GPT-2 tokenizer on this text (${view.faithful.officialCount} tokens).`
            : `✗ Differs from the official GPT-2 tokenizer at token ${view.faithful.index}: this chain gives ${view.faithful.ours.join(' ') || 'nothing'}, GPT-2 gives ${view.faithful.official.join(' ') || 'nothing'}. A Clean step GPT-2 does not have (lowercasing, normalisation) is the usual cause.`}
        </p>
      )}

      {trained && view.frames.length > 1 && current && (
        <Section title="Replay the merges on your text" testId="bpe-replay">
          <input
            type="range"
            aria-label="Merges applied"
            min={0}
            max={view.frames.length - 1}
            value={Math.min(frame, view.frames.length - 1)}
            onChange={(e) => setFrame(Number(e.target.value))}
          />
          <div className="text-xs text-slate-500">
            After {current.merges.toLocaleString()} merges (vocabulary {current.vocabSize.toLocaleString()}): {current.tokenCount.toLocaleString()} tokens,{' '}
            {current.tokensPerChar.toFixed(3)} per character
          </div>
          <div className="flex max-h-40 flex-wrap gap-0.5 overflow-y-auto">
            <TokSeq tokens={current.tokens} />
          </div>
          <LineChart
            testId="compression-chart"
            series={[{ label: 'tokens per character', points: view.frames.map((f) => ({ x: f.vocabSize, y: f.tokensPerChar })) }]}
            highlight={{ series: 0, index: Math.min(frame, view.frames.length - 1) }}
            xLabel="vocabulary size"
            yLabel="tokens per character"
          />
        </Section>
      )}

      <Section
        title={`Merge timeline: merge k makes token ${view.headRows[0] ? view.headRows[0].id : 256} + k`}
        testId="merge-timeline"
      >
        <RowsTable
          head={
            <>
              <th>#</th>
              <th>ID</th>
              <th>merge</th>
              {trained && <th title="how often the pair occurred when it was merged">count then</th>}
              {trained && <th title="how often the token occurs in the corpus after training">frequency</th>}
            </>
          }
          rows={view.headRows}
          bodyClassName="font-mono"
          more="Show more merges"
          row={(r) => (
            <tr key={r.rank} className="border-t border-slate-100 dark:border-slate-800">
              <td>{r.rank}</td>
              <td>{r.id}</td>
              <td>
                <Tok t={r.left} /> + <Tok t={r.right} /> → <Tok t={r.merged} />
              </td>
              {trained && <td>{r.count.toLocaleString()}</td>}
              {trained && <td>{r.frequency.toLocaleString()}</td>}
            </tr>
          )}
        />
        {view.tailRows.length > 0 && (
          <p className="text-xs text-slate-500">
            … the last merges: {view.tailRows.slice(-8).map((r) => labelOf(r.merged)).join('  ')}
          </p>
        )}
      </Section>

      {trained && <IdVersusFrequency view={view} />}

      {trace && (
        <Section title="What does encode() do? Step through one word" testId="encode-stepper">
          <select
            aria-label="Word to encode"
            className="field text-xs"
            value={word}
            onChange={(e) => {
              setWord(Number(e.target.value));
              setStep(0);
            }}
          >
            {view.traces.map((t, i) => (
              <option key={i} value={i}>
                {JSON.stringify(t.piece)}
              </option>
            ))}
          </select>
          <p className="text-xs text-slate-500">
            Start from its bytes; at each step apply the merge with the lowest rank among adjacent pairs; stop when no pair has a merge.
          </p>
          <div className="flex flex-wrap gap-1" data-testid="stepper-tokens">
            <TokSeq
              tokens={step === 0 ? trace.initial : trace.steps[step - 1]!.tokens}
              hot={(i) => step > 0 && trace.steps[step - 1]!.tokens[i] === trace.steps[step - 1]!.merged}
            />
          </div>
          <div className="text-xs" data-testid="stepper-status">
            {step === 0
              ? `Bytes: ${trace.initial.length}. ${trace.steps.length} merge(s) apply.`
              : `Step ${step}: merge #${trace.steps[step - 1]!.rank} ${labelOf(trace.steps[step - 1]!.left)} + ${labelOf(trace.steps[step - 1]!.right)} → ${labelOf(trace.steps[step - 1]!.merged)} (ID ${trace.steps[step - 1]!.mergedId})`}
            {step === trace.steps.length && step > 0 && ` — no merge applies any more: IDs ${trace.ids.join(' ')}`}
          </div>
          <div className="flex gap-2">
            <button type="button" className="btn" disabled={step === 0} onClick={() => setStep((s) => s - 1)}>
              ← Back
            </button>
            <button type="button" className="btn" disabled={step >= trace.steps.length} onClick={() => setStep((s) => s + 1)} data-testid="stepper-next">
              Next merge →
            </button>
          </div>
        </Section>
      )}

      {view.odia && (
        <Section title="Odia: your own tokenizer against GPT-2, BERT and TinyLlama" testId="odia-comparison">
          <OdiaMeasurementTable odia={view.odia} />
        </Section>
      )}

      <ExportSection
        nodeId={nodeId}
        kind="bpe"
        names={['tokenizer.json', 'vocab.json', 'merges.txt']}
        note="tokenizer.json loads in Hugging Face tokenizers and transformers.js (AutoTokenizer) and gives these IDs."
      />
    </div>
  );
}

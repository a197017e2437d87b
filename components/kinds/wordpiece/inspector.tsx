'use client';
/**
 * The WordPiece inspector: training as BPE with the ## prefix (the merges), encoding as the
 * longest match from the left (one word traced step by step), and the learner's text as tokens.
 *
 * Not handled here: training or encoding (nodes/wordpiece/), the sections every trained
 * tokenizer shares (components/ui/tokenizer-sections.tsx).
 */
import { useState } from 'react';
import { TokenChips } from '@/components/ui/token-display';
import { WORDPIECE } from '@/nodes/shared/token-text';
import { RowsTable, Section } from '@/components/ui/inspector-kit';
import { ExportSection, YourTextSection } from '@/components/ui/tokenizer-sections';
import type { InspectorProps } from '../types';

const STOP_REASON: Record<string, string> = {
  'vocab-size': 'it reached the vocabulary size you asked for',
  'no-pairs-left': 'no adjacent pair was left to merge: every word of the corpus is one token already',
  'min-frequency': 'the most frequent remaining pair occurs fewer times than the minimum pair count',
};

export function WordpieceInspector({ nodeId, view }: InspectorProps<'wordpiece'>) {
  const [word, setWord] = useState(0);
  const [step, setStep] = useState(0);
  const trace = view.traces[Math.min(word, view.traces.length - 1)];
  const t = view.training;
  return (
    <div className="grid gap-3 text-sm">
      <p data-testid="wordpiece-summary">
        Trained on {view.corpusChars.toLocaleString()} characters ({t.uniqueWords.toLocaleString()} different words): {t.startVocabulary.toLocaleString()} starting
        tokens (special tokens, every character, and every character again with {view.prefix} for inside a word), then {t.merges.toLocaleString()} merges, to{' '}
        {t.vocabSize.toLocaleString()} tokens. It stopped because {STOP_REASON[t.stoppedBecause]}.
      </p>

      <Section title="The merges, as BPE makes them, with the prefix" testId="wordpiece-merges">
        <p className="text-xs text-slate-500">
          Training is BPE: the most frequent adjacent pair is joined, again and again. A piece after a word’s first character carries {view.prefix}, so “h” +
          “{view.prefix}ug” makes “hug” (a word start) and “{view.prefix}u” + “{view.prefix}g” makes “{view.prefix}ug” (a word middle). Only the vocabulary is kept.
        </p>
        <RowsTable
          head={
            <>
              <th>#</th>
              <th>pair</th>
              <th>token</th>
              <th className="text-right">count</th>
            </>
          }
          rows={view.headRows}
          more="Show more merges"
          row={(r) => (
            <tr key={r.rank}>
              <td>{r.rank + 1}</td>
              <td className="font-mono">
                {r.left} + {r.right}
              </td>
              <td className="font-mono">
                {r.merged} <span className="text-slate-400">#{r.id}</span>
              </td>
              <td className="text-right">{r.count.toLocaleString()}</td>
            </tr>
          )}
        />
      </Section>

      <Section title="Encoding a word: the longest match, step by step" testId="wordpiece-trace">
        {trace ? (
          <>
            <div className="flex flex-wrap gap-1">
              {view.traces.map((tr, i) => (
                <button
                  type="button"
                  key={tr.word}
                  className={`rounded border px-1 font-mono text-xs ${i === word ? 'border-sky-500 bg-sky-50 dark:bg-sky-950' : 'border-slate-200 dark:border-slate-700'}`}
                  onClick={() => {
                    setWord(i);
                    setStep(0);
                  }}
                >
                  {tr.word}
                </button>
              ))}
            </div>
            <ol className="grid gap-1 text-xs">
              {trace.steps.slice(0, step + 1).map((s, i) => (
                <li key={i} data-testid="wordpiece-step">
                  From character {s.start}: tried{' '}
                  {s.tried.map((c, k) => (
                    <span key={k} className={`mr-1 font-mono ${c === s.found ? 'rounded bg-emerald-100 px-1 dark:bg-emerald-900' : 'text-slate-400 line-through'}`}>
                      {c}
                    </span>
                  ))}
                  {s.found ? `→ ${s.found}` : '→ nothing fits: the whole word becomes [UNK]'}
                </li>
              ))}
            </ol>
            <div className="flex items-center gap-2">
              <button type="button" className="btn" disabled={step >= trace.steps.length - 1} onClick={() => setStep((n) => n + 1)}>
                Next step
              </button>
              <span className="font-mono text-xs" data-testid="wordpiece-trace-result">
                {trace.pieces ? trace.pieces.join(' ') : '[UNK]'}
              </span>
            </div>
          </>
        ) : (
          <p className="text-xs text-slate-500">The text has no word of two characters or more to trace.</p>
        )}
      </Section>

      <YourTextSection
        tokenCount={view.tokenCount}
        charCount={view.charCount}
        unknown={view.unknownCount ? `${view.unknownCount} word(s) could not be spelled and became [UNK]` : undefined}
      >
        <TokenChips tokens={view.pieces.slice(0, 300)} spelling={WORDPIECE} />
      </YourTextSection>

      <ExportSection
        nodeId={nodeId}
        kind="wordpiece"
        names={['tokenizer.json', 'vocab.txt']}
        note="tokenizer.json loads in Hugging Face tokenizers and transformers.js and gives these IDs; vocab.txt is BERT’s format."
      />
    </div>
  );
}

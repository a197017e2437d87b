'use client';
/**
 * The Unigram inspector: the vocabulary pruned round by round, each piece's probability, and the
 * Viterbi lattice of one word (any word of the text, on a click), with the best path marked.
 *
 * Not handled here: training or the lattice itself (nodes/unigram/; the node answers
 * `{ lattice: word }`), the sections every trained tokenizer shares (components/ui/tokenizer-sections.tsx).
 */
import { useState } from 'react';
import { LineChart } from '@/components/ui/charts';
import { askNode } from '@/components/canvas/use-node-query';
import { useLab } from '@/components/canvas/store';
import { TokenChip, useTokenViews } from '@/components/ui/token-display';
import { SENTENCEPIECE } from '@/nodes/shared/token-text';
import type { ViewOf } from '@/nodes';
import { RowsTable, Section } from '@/components/ui/inspector-kit';
import { ExportSection, YourTextSection } from '@/components/ui/tokenizer-sections';
import type { InspectorProps } from '../types';

type LatticeView = ViewOf<'unigram'>['lattice'];

/** Candidate pieces packed into rows so none overlaps; the best path in green. */
function LatticeGrid({ lattice }: { lattice: LatticeView }) {
  const chars = [...lattice.word];
  const rows: LatticeView['nodes'][] = [];
  const sorted = [...lattice.nodes].sort((a, b) => a.start - b.start || b.end - a.end);
  for (const node of sorted) {
    const row = rows.find((r) => r.at(-1)!.end <= node.start);
    if (row) row.push(node);
    else rows.push([node]);
  }
  const columns = { gridTemplateColumns: `repeat(${Math.max(1, chars.length)}, minmax(1.6rem, auto))` };
  return (
    <div className="grid gap-1 overflow-x-auto" data-testid="unigram-lattice">
      <div className="grid gap-0.5" style={columns}>
        {chars.map((c, i) => (
          <span key={i} className="text-center font-mono text-xs text-slate-500">
            {c}
          </span>
        ))}
      </div>
      {rows.map((row, r) => (
        <div key={r} className="grid gap-0.5" style={columns}>
          {row.map((n) => (
            <span
              key={`${n.start}-${n.end}`}
              title={`${n.piece}: score ${n.score.toFixed(3)} (p = ${Math.exp(n.score).toPrecision(3)})`}
              data-best={n.best ? 'true' : undefined}
              className={`truncate rounded border px-1 text-center font-mono text-xs ${n.best ? 'border-emerald-500 bg-emerald-100 font-semibold dark:bg-emerald-900' : 'border-slate-200 dark:border-slate-700'}`}
              style={{ gridColumn: `${n.start + 1} / ${n.end + 1}` }}
            >
              {n.piece} <span className="text-slate-400">{n.score.toFixed(1)}</span>
            </span>
          ))}
        </div>
      ))}
      <p className="text-xs" data-testid="unigram-best-path">
        Best path: <span className="font-mono">{lattice.best.join(' ')}</span> (log probability {lattice.score.toFixed(2)})
      </p>
    </div>
  );
}

export function UnigramInspector({ nodeId, view }: InspectorProps<'unigram'>) {
  const views = useTokenViews(view.pieces.slice(0, 300).map((p) => p.piece), SENTENCEPIECE);
  const [lattice, setLattice] = useState<LatticeView | null>(null);
  const shown = lattice ?? view.lattice;
  const t = view.training;
  const showLattice = async (word: string) => {
    try {
      setLattice((await askNode(nodeId, 'unigram', { lattice: word })) as LatticeView);
    } catch (e) {
      useLab.getState().showToast(`The lattice could not be drawn: ${(e as Error).message}`);
    }
  };
  return (
    <div className="grid gap-3 text-sm">
      <p data-testid="unigram-summary">
        Trained on {view.corpusChars.toLocaleString()} characters ({t.sentences.toLocaleString()} lines, {t.uniqueWords.toLocaleString()} different words):{' '}
        {t.vocabSize.toLocaleString()} pieces, {t.requiredChars} of them the characters the corpus needs.
      </p>

      <Section title="Start big, then prune" testId="unigram-rounds">
        <p className="text-xs text-slate-500">
          Unigram starts from every frequent substring ({view.rounds[0]?.size.toLocaleString()} seed pieces), estimates each piece’s probability with EM, then drops
          the pieces whose loss would cost the corpus least likelihood, round after round, down to the vocabulary size.
        </p>
        <LineChart
          series={[{ label: 'vocabulary size', points: view.rounds.map((r, i) => ({ x: i, y: r.size })) }]}
          xLabel="step (seed, EM, prune, …)"
          yLabel="pieces"
          testId="unigram-rounds-chart"
        />
        <p className="text-xs text-slate-500">{view.rounds.map((r) => `${r.step} ${r.size.toLocaleString()}`).join(' → ')}</p>
      </Section>

      <Section title="Each piece’s probability" testId="unigram-pieces">
        <RowsTable
          head={
            <>
              <th>id</th>
              <th>piece</th>
              <th className="text-right">probability</th>
              <th className="text-right">score (log p)</th>
            </>
          }
          rows={view.topPieces}
          first={40}
          row={(p) => (
            <tr key={p.id}>
              <td>{p.id}</td>
              <td className="font-mono">{p.piece}</td>
              <td className="text-right">{(p.probability * 100).toFixed(3)} %</td>
              <td className="text-right">{p.score.toFixed(3)}</td>
            </tr>
          )}
        />
      </Section>

      <Section title="The Viterbi lattice of one word" testId="unigram-viterbi">
        <p className="text-xs text-slate-500">Every piece that fits the word, with its score; the most probable segmentation is the path with the highest total. Click a word below.</p>
        <LatticeGrid lattice={shown} />
      </Section>

      <YourTextSection tokenCount={view.tokenCount} charCount={view.charCount} unknown={view.unknownCount ? `${view.unknownCount} unknown` : undefined}>
        {view.pieces.slice(0, 300).map((p, i) => (
          <button type="button" key={i} data-testid={`unigram-token-${i}`} title="Show this word’s lattice" onClick={() => p.start !== null && p.end !== null && showLattice(wordAt(view, i))}>
            <TokenChip view={views[i]!} id={p.id} kind={p.kind} />
          </button>
        ))}
      </YourTextSection>

      <ExportSection
        nodeId={nodeId}
        kind="unigram"
        names={['tokenizer.json', 'tokenizer.model']}
        note="tokenizer.json loads in Hugging Face tokenizers and transformers.js; tokenizer.model is SentencePiece’s own file (spm_encode reads it)."
      />
    </div>
  );
}

/** The word of the text a token belongs to (from its start back to a space, to the next space). */
function wordAt(view: ViewOf<'unigram'>, index: number): string {
  const text = view.text;
  const p = view.pieces[index]!;
  let from = p.start ?? 0;
  while (from > 0 && !/\s/.test(text[from - 1]!)) from--;
  let to = p.end ?? from;
  while (to < text.length && !/\s/.test(text[to]!)) to++;
  return text.slice(from, to);
}

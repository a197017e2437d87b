'use client';
import type { InspectorProps } from '../types';
import { SpanText, TokenChips, TokenText, useTokenViews } from '@/components/ui/token-display';
import { KeyValue, Stat } from '@/components/ui/inspector-kit';
import { spellingOfModel } from '@/nodes/shared/token-text';
import { templateInWords } from '@/nodes/pretrained/describe-tokenizer';

export function PretrainedInspector({ nodeId, view }: InspectorProps<'pretrained'>) {
  const d = view.description;
  return (
    <div className="grid gap-4">
      <p>
        A pretrained tokenizer is frozen: its vocabulary and rules came with the model and never change. Its IDs are positions in{' '}
        <b>its own</b> vocabulary of {d.vocabSize.toLocaleString()} tokens, so the same word gets a different number in another model.
      </p>
      <div className="grid grid-cols-3 gap-2 text-center" data-testid="pretrained-stats">
        <Stat label="tokens" value={String(view.count)} />
        <Stat label="characters per token" value={view.charsPerToken?.toFixed(2) ?? '—'} />
        <Stat label="vocabulary" value={d.vocabSize} />
      </div>
      <div>
        <h4 className="mb-1 text-sm font-semibold">Tokens and their IDs in {view.label}</h4>
        <div data-testid="pretrained-pieces">
          <TokenChips tokens={view.pieces} scope={nodeId} spelling={spellingOfModel(d)} />
        </div>
        <SpanText text={view.text} scope={nodeId} />
        {view.count > view.pieces.length && <p className="text-xs text-slate-500">Showing the first {view.pieces.length} tokens.</p>}
      </div>
      {view.splitWords.length > 0 && (
        <div data-testid="split-words">
          <h4 className="mb-1 text-sm font-semibold">Words it had to build from pieces</h4>
          <ul className="grid gap-1 text-sm">
            {view.splitWords.map((w, i) => (
              <li key={i}>
                “{w.word.trim()}” is not one token in {view.label}’s vocabulary, so it is spelled <SplitPieces pieces={w.pieces} spelling={spellingOfModel(d)} /> →{' '}
                <span className="font-mono">{w.ids.join(' ')}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {(view.unknownCount > 0 || view.byteCount > 0) && (
        <p className="rounded-md bg-amber-50 p-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
          {view.unknownCount > 0 && `${view.unknownCount} token(s) are unknown (${d.unkToken ?? '[UNK]'}): the text they stood for is lost. `}
          {view.byteCount > 0 && `${view.byteCount} token(s) are raw bytes: the vocabulary has no piece for those characters, so it spells their UTF-8 bytes one by one.`}
        </p>
      )}
      <div>
        <h4 className="mb-1 text-sm font-semibold">How {view.label} tokenizes</h4>
        <KeyValue
          rows={[
            ['Model', d.modelSummary],
            ['Normalizer', d.normalizer.summary],
            ['Pre-tokenizer', d.preTokenizer.summary],
            ['Special tokens added', `It ${templateInWords(d.template)}.`],
            ['Special tokens', d.specialTokens.map((t) => `${t.content}=${t.id}`).join('  '), 'font-mono text-xs'],
          ]}
        />
      </div>
    </div>
  );
}

/** A word's pieces joined with +, read together (their bytes may share a character). */
function SplitPieces({ pieces, spelling }: { pieces: string[]; spelling: ReturnType<typeof spellingOfModel> }) {
  const views = useTokenViews(pieces, spelling);
  return views.map((v, i) => (
    <span key={i}>
      {i > 0 && ' + '}
      <TokenText view={v} />
    </span>
  ));
}

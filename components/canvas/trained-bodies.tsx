/** Canvas bodies of the WordPiece and Unigram nodes: size, the first tokens, tokens per character. */
import type { ViewOf } from '@/nodes';
import { TokenChip } from '@/components/ui/token-chip';
import type { BodyProps } from './node-bodies';

function Summary({ title, pieces, tokenCount, charCount }: { title: string; pieces: ViewOf<'wordpiece'>['pieces']; tokenCount: number; charCount: number }) {
  return (
    <div className="grid gap-1 text-xs">
      <span>{title}</span>
      <div className="flex max-h-16 flex-wrap gap-0.5 overflow-hidden">
        {pieces.slice(0, 14).map((p, i) => (
          <TokenChip key={i} piece={p.piece} id={p.id} kind={p.kind} />
        ))}
      </div>
      <span className="text-slate-500">
        {tokenCount.toLocaleString()} tokens · {tokenCount ? (charCount / tokenCount).toFixed(2) : '—'} chars/token
      </span>
    </div>
  );
}

export function WordpieceBody({ view }: BodyProps) {
  const v = view as ViewOf<'wordpiece'> | undefined;
  if (!v) return <p className="text-xs text-slate-500">…</p>;
  return <Summary title={`Trained: ${v.training.vocabSize.toLocaleString()} tokens, ${v.training.merges.toLocaleString()} merges`} pieces={v.pieces} tokenCount={v.tokenCount} charCount={v.charCount} />;
}

export function UnigramBody({ view }: BodyProps) {
  const v = view as ViewOf<'unigram'> | undefined;
  if (!v) return <p className="text-xs text-slate-500">…</p>;
  return <Summary title={`Trained: ${v.training.vocabSize.toLocaleString()} pieces from ${v.rounds[0]?.size.toLocaleString() ?? '?'} seeds`} pieces={v.pieces} tokenCount={v.tokenCount} charCount={v.charCount} />;
}

'use client';
/**
 * The inline body of each computing node kind: the one or two things worth seeing and changing
 * without opening the inspector. Keyed by node type; a kind without a body is a compile error.
 */
import type { NodeType, ViewOf } from '@/nodes';
import { MODE_INFO } from '@/nodes/pretokenize/explain';
import { PRETOKENIZE_MODES } from '@/nodes/pretokenize/pretokenize';
import { useLab } from './store';
import { TokenChip, TokenChips, TokenText, spanIn, useTokenViews } from '@/components/ui/token-chip';
import { BYTE_LEVEL, spellingOfModel, viewOfPiece } from '@/nodes/shared/token-text';
import { PRETRAINED_CHOICES } from '@/nodes/pretrained';
import { SHIPPED_TOKENIZER_LABELS } from '@/nodes/pretrained/shipped';
import { TextBody } from './text-body';
import { ownEntry } from '@/nodes/engine/validate';

type BodyProps = { id: string; params: Record<string, unknown>; view: unknown };

function CleanBody({ view }: BodyProps) {
  const v = view as ViewOf<'clean'> | undefined;
  if (!v) return <p className="text-xs text-slate-500">…</p>;
  const active = v.steps.map((s) => s.name);
  return (
    <div className="grid gap-1 text-xs">
      <span className="text-slate-600 dark:text-slate-300">{active.length ? active.join(' · ') : 'No cleaning steps on'}</span>
      <span className="text-slate-500 dark:text-slate-400">
        {v.changes.length === 0 ? 'No characters changed' : `${v.changes.length}${v.changes.length >= 60 ? '+' : ''} changes`}
        {v.loneSurrogates.length > 0 && <span className="text-rose-600"> · {v.loneSurrogates.length} lone surrogates</span>}
      </span>
    </div>
  );
}

export function visibleWhitespace(s: string): string {
  return s.replace(/ /g, '·').replace(/\n/g, '⏎').replace(/\t/g, '⇥');
}

function PretokenizeBody({ id, params, view }: BodyProps) {
  const updateParams = useLab((s) => s.updateParams);
  const v = view as ViewOf<'pretokenize'> | undefined;
  return (
    <div className="grid gap-2">
      <select
        aria-label="Pretokenize mode"
        className="nodrag field text-xs"
        value={String(params.mode)}
        onChange={(e) => updateParams(id, { mode: e.target.value })}
      >
        {PRETOKENIZE_MODES.map((m) => (
          <option key={m} value={m}>
            {MODE_INFO[m].label}
          </option>
        ))}
      </select>
      {v && (
        <>
          <div className="flex max-h-20 flex-wrap gap-1 overflow-hidden">
            {v.pieces.slice(0, 24).map((p, i) => (
              <TokenChip key={i} view={viewOfPiece(p.text, p.shown)} span={spanIn(id, p)} />
            ))}
          </div>
          <span className="text-[11px] text-slate-500 dark:text-slate-400">
            {v.count.toLocaleString()} pieces · {v.distinct.toLocaleString()} distinct
          </span>
        </>
      )}
    </div>
  );
}

function PretrainedBody({ id, params, view }: BodyProps) {
  const updateParams = useLab((s) => s.updateParams);
  const v = view as ViewOf<'pretrained'> | undefined;
  return (
    <div className="grid gap-2">
      <select
        aria-label="Pretrained model"
        className="nodrag field text-xs"
        value={String(params.model)}
        onChange={(e) => updateParams(id, { model: e.target.value })}
      >
        {PRETRAINED_CHOICES.map((m) => (
          <option key={m} value={m}>
            {m === 'hub' ? 'Hugging Face id…' : SHIPPED_TOKENIZER_LABELS[m]}
          </option>
        ))}
      </select>
      {params.model === 'hub' && (
        <input
          aria-label="Hugging Face id"
          className="nodrag field text-xs"
          placeholder="e.g. Xenova/gpt2"
          value={String(params.hubId ?? '')}
          onChange={(e) => updateParams(id, { hubId: e.target.value }, `${id}:hubId`)}
        />
      )}
      {v && (
        <>
          <TokenChips tokens={v.pieces.slice(0, 16)} scope={id} spelling={spellingOfModel(v.description)} className="max-h-24 overflow-hidden" />
          <span className="text-[11px] text-slate-500 dark:text-slate-400">
            {v.count} tokens · {v.description.modelKind}
          </span>
        </>
      )}
    </div>
  );
}

function CompareBody({ view }: BodyProps) {
  const v = view as ViewOf<'compare'> | undefined;
  if (!v) return <p className="text-xs text-slate-500">…</p>;
  return (
    <table className="w-full text-[11px]">
      <tbody>
        {v.rows.map((row, i) => (
          <tr key={row.label}>
            <td className="pr-1 font-medium whitespace-nowrap">{row.label}</td>
            <td className="truncate font-mono text-slate-600 dark:text-slate-300" style={{ maxWidth: 150 }}>
              {v.kinds[i]?.ids.slice(0, 10).join(' ')}
            </td>
            <td className="pl-1 text-right text-slate-500">{row.tokenCount}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function NgramBody({ view }: BodyProps) {
  const v = view as ViewOf<'ngram'> | undefined;
  if (!v) return <p className="text-xs text-slate-500">…</p>;
  const best = v.prediction.next[0];
  return (
    <div className="grid gap-1 text-[11px]">
      {v.top.slice(0, 3).map((g, i) => (
        <div key={i} className="flex justify-between gap-2">
          <span className="truncate font-mono">{g.units.map(visibleWhitespace).join(' ')}</span>
          <span className="text-slate-500">×{g.count}</span>
        </div>
      ))}
      <span className="text-slate-500 dark:text-slate-400">
        {v.unitCount.toLocaleString()} {v.level === 'word' ? 'words' : 'tokens'} · n = {v.n}
        {best && ` · next: ${visibleWhitespace(best.unit)} ${(best.probability * 100).toFixed(1)}%`}
      </span>
    </div>
  );
}

function BpeBody({ id, view }: BodyProps) {
  const v = view as ViewOf<'bpe'> | undefined;
  if (!v) return <p className="text-xs text-slate-500">…</p>;
  return (
    <div className="grid gap-1 text-xs">
      <span>
        {v.training ? 'Trained' : 'GPT-2 merges'}: {v.vocabSize.toLocaleString()} tokens, {v.mergeCount.toLocaleString()} merges
      </span>
      <TokenChips tokens={v.pieces.slice(0, 14)} scope={id} spelling={BYTE_LEVEL} className="max-h-16 overflow-hidden" />
      <span className="text-slate-500">
        {v.tokenCount.toLocaleString()} tokens · {v.tokenCount ? (v.charCount / v.tokenCount).toFixed(2) : '—'} chars/token
      </span>
      {v.faithful && (
        <span className={v.faithful.equal ? 'text-emerald-700' : 'text-amber-700'}>{v.faithful.equal ? '✓ same IDs as GPT-2' : '✗ differs from GPT-2'}</span>
      )}
    </div>
  );
}

function IdsBody({ view }: BodyProps) {
  const v = view as ViewOf<'ids'> | undefined;
  if (!v) return <p className="text-xs text-slate-500">…</p>;
  return (
    <div className="grid gap-1 text-xs">
      <span className="truncate font-mono" data-testid="ids-body">
        [{v.rows.slice(0, 12).map((r) => r.id).join(', ')}
        {v.length > 12 ? ', …' : ''}]
      </span>
      <span className="text-slate-500">{v.length} IDs</span>
    </div>
  );
}

function DecodeBody({ view }: BodyProps) {
  const v = view as ViewOf<'decode'> | undefined;
  if (!v) return <p className="text-xs text-slate-500">…</p>;
  return (
    <div className="grid gap-1 text-xs">
      <span className="line-clamp-3 whitespace-pre-wrap">{v.text}</span>
      {v.roundTrip && <span className={v.roundTrip.equal ? 'text-emerald-700' : 'text-amber-700'}>{v.roundTrip.equal ? '✓ round trip exact' : '✗ differs from the original'}</span>}
    </div>
  );
}

function TransformerBody({ view }: BodyProps) {
  const v = view as ViewOf<'transformer'> | undefined;
  if (!v) return <p className="text-xs text-slate-500">Loads the model on first run…</p>;
  return (
    <div className="grid gap-1 text-[11px]" data-testid="transformer-body">
      {v.warning && <span className="text-amber-700" data-testid="transformer-body-warning">⚠ IDs from {v.idsTokenizer}, model reads {v.modelTokenizer}</span>}
      <Candidates candidates={v.topK[0]?.candidates.slice(0, 3) ?? []} />
      <span className="text-slate-500 dark:text-slate-400">
        next token · {v.backend} · {Math.round(v.runMs)} ms
      </span>
    </div>
  );
}

/** The top next tokens, each read on its own (a candidate has no neighbours to borrow bytes from). */
function Candidates({ candidates }: { candidates: { token: string; prob: number }[] }) {
  const views = useTokenViews(candidates.map((c) => c.token), undefined, undefined, true);
  return candidates.map((c, i) => (
    <div key={i} className="flex justify-between gap-2">
      <TokenText view={views[i]!} className="truncate" />
      <span className="text-slate-500">{(c.prob * 100).toFixed(1)}%</span>
    </div>
  ));
}

function GenerateBody({ id, view }: BodyProps) {
  const runtime = useLab((s) => ownEntry(s.runtime, id));
  const v = view as ViewOf<'generate'> | undefined;
  const streaming = runtime?.status === 'running' ? runtime.progressMessage : undefined;
  if (streaming !== undefined) {
    return (
      <p className="line-clamp-4 text-xs whitespace-pre-wrap text-fuchsia-700 dark:text-fuchsia-300" data-testid="generate-stream">
        {streaming}▍
      </p>
    );
  }
  if (!v) return <p className="text-xs text-slate-500">Loads the model on first run…</p>;
  return (
    <div className="grid gap-1 text-xs" data-testid="generate-body">
      {v.warning && <span className="text-amber-700">⚠ IDs from another tokenizer</span>}
      <span className="line-clamp-4 whitespace-pre-wrap">
        <span className="text-slate-500">{v.promptText.slice(-80)}</span>
        <span className="text-fuchsia-700 dark:text-fuchsia-300">{v.text}</span>
      </span>
      <span className="text-[11px] text-slate-500">
        {v.steps.length} tokens · {v.strategy === 'greedy' ? 'greedy' : `sampled, seed ${v.seed}`} · {v.backend}
      </span>
    </div>
  );
}

function FinetuneBody({ view }: BodyProps) {
  const v = view as ViewOf<'finetune'> | undefined;
  if (!v) return <p className="text-xs text-slate-500">…</p>;
  const first = v.history[0]!;
  const last = v.history[v.history.length - 1]!;
  return (
    <div className="grid gap-1 text-xs" data-testid="finetune-body">
      <span>
        loss {first.fineTuneLoss.toFixed(2)} → {last.fineTuneLoss.toFixed(2)} · {v.steps} steps
      </span>
      <span className={v.watch.identical ? 'text-emerald-700' : 'text-rose-700'}>{v.watch.identical ? '✓ IDs unchanged' : '✗ IDs changed'}</span>
    </div>
  );
}

export const nodeBodies = {
  bpe: BpeBody,
  ids: IdsBody,
  decode: DecodeBody,
  text: TextBody,
  clean: CleanBody,
  pretokenize: PretokenizeBody,
  pretrained: PretrainedBody,
  compare: CompareBody,
  ngram: NgramBody,
  transformer: TransformerBody,
  generate: GenerateBody,
  finetune: FinetuneBody,
} satisfies Record<Exclude<NodeType, 'note'>, (props: BodyProps) => React.ReactNode>;

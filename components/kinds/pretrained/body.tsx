'use client';
/** The Tokenizer (pretrained) node's body on the canvas: what is worth seeing without opening the inspector. */
import { PRETRAINED_CHOICES } from '@/nodes/pretrained';
import { SHIPPED_TOKENIZER_LABELS } from '@/nodes/pretrained/shipped';
import { TokenChips } from '@/components/ui/token-display';
import { spellingOfModel } from '@/nodes/shared/token-text';
import { useLab } from '@/components/canvas/store';
import type { BodyProps } from '../types';

export function PretrainedBody({ id, params, view: v }: BodyProps<'pretrained'>) {
  const updateParams = useLab((s) => s.updateParams);
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

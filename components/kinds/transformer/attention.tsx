'use client';
/**
 * The Transformer inspector's attention panel: one heatmap per head of the chosen layer, over
 * the last N input tokens (a learner picks N), with the tokens written on both axes. Colour is
 * scaled per row (default) or per head, so the strongest cell is solid even when every weight
 * of a long input is a few per cent; the legend says which scale is on.
 *
 * Not handled here: the head thumbnails of every layer and lines over the text (not built yet),
 * computing attention (nodes/transformer).
 */
import { useState } from 'react';
import { visibleWhitespace } from '@/components/ui/token-display';
import { percent } from '@/components/ui/format';
import { attentionMax, attentionOpacity, type AttentionScale } from '@/components/ui/scales';
import type { AttentionView } from '@/nodes/transformer/transformer';

const SHOWN = [12, 24, 48] as const;
const CELL = 14;

/** One head's attention over the shown tokens: row = the token looking, column = the token looked at. */
function Heatmap({ matrix, tokens, label, scale }: { matrix: number[][]; tokens: string[]; label: string; scale: AttentionScale }) {
  const n = matrix.length;
  const opacity = attentionOpacity(matrix, scale);
  const max = attentionMax(matrix);
  return (
    <figure className="grid max-w-full gap-1" data-testid="attention-head" data-max={max}>
      <figcaption className="text-[11px] text-slate-500">
        {label}
        {scale === 'head' ? ` · solid = ${percent(max)}` : ''}
      </figcaption>
      <div className="max-h-[28rem] overflow-auto">
        <div
          className="grid font-mono text-[10px] leading-none"
          style={{ gridTemplateColumns: `minmax(0, 5rem) repeat(${n}, ${CELL}px)`, gridTemplateRows: '4rem', gridAutoRows: `${CELL}px` }}
          role="img"
          aria-label={`Attention, ${label}`}
        >
          <span />
          {tokens.map((t, c) => (
            <span key={`c${c}`} className="rotate-180 truncate pt-1 text-left text-slate-500 [writing-mode:vertical-rl]" title={t}>
              {visibleWhitespace(t)}
            </span>
          ))}
          {matrix.map((row, r) => [
            <span key={`r${r}`} className="truncate pr-1 text-right text-slate-500" title={tokens[r]}>
              {visibleWhitespace(tokens[r] ?? '')}
            </span>,
            ...row.map((w, c) => (
              <div
                key={`${r}-${c}`}
                data-testid="attention-cell"
                data-weight={w}
                data-opacity={opacity[r]![c]}
                title={`${visibleWhitespace(tokens[r] ?? '')} → ${visibleWhitespace(tokens[c] ?? '')}: ${percent(w)}`}
                style={{ background: `rgba(2, 132, 199, ${opacity[r]![c]})` }}
                className="border-[0.5px] border-white/40 dark:border-slate-900/40"
              />
            )),
          ])}
        </div>
      </div>
    </figure>
  );
}

/** A strip from empty to solid, with what solid means on the chosen scale. */
function Legend({ scale }: { scale: AttentionScale }) {
  return (
    <div className="flex items-center gap-2 text-[11px] text-slate-500" data-testid="attention-legend" data-scale={scale}>
      <span>0</span>
      <span className="inline-block h-3 w-24 rounded" style={{ background: 'linear-gradient(to right, rgba(2,132,199,0), rgba(2,132,199,1))' }} />
      <span>{scale === 'row' ? 'the largest weight in its row' : 'the largest weight in the head'}</span>
    </div>
  );
}

export function AttentionPanel({ attention, positions }: { attention: AttentionView; positions: number }) {
  const [layer, setLayer] = useState(0);
  const [scale, setScale] = useState<AttentionScale>('row');
  const [shown, setShown] = useState<number>(24);
  const heads = attention.layers[Math.min(layer, attention.layers.length - 1)] ?? [];
  const total = attention.tokens.length;
  const k = Math.min(shown, total);
  const from = total - k;
  const tokens = attention.tokens.slice(from);
  const window = (m: number[][]) => m.slice(from).map((row) => row.slice(from));
  return (
    <>
      <div className="flex flex-wrap items-center gap-2 text-xs">
        <label htmlFor="attention-layer">Layer</label>
        <select id="attention-layer" className="field text-xs" value={layer} onChange={(e) => setLayer(Number(e.target.value))} data-testid="attention-layer">
          {attention.layers.map((_, i) => (
            <option key={i} value={i}>
              {i + 1} of {attention.layers.length}
            </option>
          ))}
        </select>
        <label htmlFor="attention-shown">Tokens</label>
        <select id="attention-shown" className="field text-xs" value={shown} onChange={(e) => setShown(Number(e.target.value))} data-testid="attention-shown">
          {SHOWN.filter((s) => s < total).map((s) => (
            <option key={s} value={s}>
              last {s}
            </option>
          ))}
          <option value={Number.MAX_SAFE_INTEGER}>all {total}</option>
        </select>
        <label htmlFor="attention-scale">Colour</label>
        <select id="attention-scale" className="field text-xs" value={scale} onChange={(e) => setScale(e.target.value as AttentionScale)} data-testid="attention-scale">
          <option value="row">per row</option>
          <option value="head">per head</option>
        </select>
      </div>
      <Legend scale={scale} />
      <p className="text-xs text-slate-500">
        Rows: the token looking · columns: the token looked at · each row’s weights sum to 100% over all the tokens it reads
        {k < positions ? ` (the last ${k} of ${positions} tokens are shown)` : ''}.
      </p>
      <div className="flex flex-wrap gap-3" data-testid="attention">
        {heads.map((matrix, h) => (
          <Heatmap key={h} matrix={window(matrix)} tokens={tokens} label={`layer ${layer + 1}, head ${h + 1}`} scale={scale} />
        ))}
      </div>
    </>
  );
}

'use client';
/**
 * Tokens as the lab draws them, everywhere: the text a token stands for (nodes/shared/token-text.ts),
 * or, when the learner flips "show as the tokenizer stores it", the stored form (Ġ, ▁, ##, <0xE0>).
 * One switch for every view. A chip with offsets is tied to its span of the text: hovering the
 * chip lights the span (SpanText), hovering a character lights the chips that hold it.
 */
import { memo, useMemo } from 'react';
import clsx from 'clsx';
import { create } from 'zustand';
import { guessSpelling, showWhitespace, tokenLabel, viewToken, viewTokens, type TokenSpelling, type TokenView } from '@/nodes/shared/token-text';

export interface Span {
  /** Which text the offsets point into: the node whose view shows it. */
  scope: string;
  start: number;
  end: number;
}

interface TokenDisplay {
  /** Show tokens as the tokenizer stores them instead of as text. */
  stored: boolean;
  setStored(stored: boolean): void;
  hovered: Span | null;
  hover(span: Span | null): void;
}

export const useTokenDisplay = create<TokenDisplay>()((set) => ({
  stored: false,
  setStored: (stored) => set({ stored }),
  hovered: null,
  hover: (hovered) => set({ hovered }),
}));

/**
 * Readable views of tokens (memoised on the pieces): a tokenization in order by default, so
 * bytes shared across neighbours name their character; `alone` for tokens that are not a
 * sequence (a model's candidates, vocabulary rows, merge rules).
 */
export function useTokenViews(pieces: readonly string[], spelling?: TokenSpelling, specials?: readonly string[], alone = false): TokenView[] {
  const key = pieces.join('\u0000');
  const specialKey = specials?.join('\u0000') ?? '';
  // Keyed on the pieces' content, not the array's identity: a re-run with the same tokens keeps the views.
  return useMemo(() => {
    const how = spelling ?? guessSpelling(pieces);
    const set = new Set(specials);
    return alone ? pieces.map((p) => viewToken(p, how, set)) : viewTokens(pieces, how, set);
  }, [key, specialKey, spelling, alone]);
}

const overlaps = (a: Span | null, b: Span | null | undefined) => !!a && !!b && a.scope === b.scope && a.start < b.end && b.start < a.end;

/** The label a token shows now: readable, or stored when the switch is on. */
export function useTokenLabel(view: TokenView): string {
  const stored = useTokenDisplay((s) => s.stored);
  return tokenLabel(view, stored);
}

function titleOf(view: TokenView, stored: boolean, extra?: string): string {
  const parts = [stored ? `reads as “${view.shown}”` : `stored as “${view.raw}”`];
  if (view.hint) parts.push(view.hint);
  if (extra) parts.push(extra);
  return parts.join(' · ');
}

/** A token with its ID underneath; special, byte and unknown tokens are coloured apart. */
export function TokenChip({ view, id, kind, span, title }: { view: TokenView; id?: number; kind?: string; span?: Span | null; title?: string }) {
  const stored = useTokenDisplay((s) => s.stored);
  const lit = useTokenDisplay((s) => overlaps(s.hovered, span));
  const hover = useTokenDisplay((s) => s.hover);
  const partial = !stored && view.segments.some((s) => s.kind !== 'text');
  return (
    <span
      data-testid="token"
      data-lit={lit || undefined}
      title={titleOf(view, stored, title)}
      onMouseEnter={span ? () => hover(span) : undefined}
      onMouseLeave={span ? () => hover(null) : undefined}
      className={clsx(
        'grid rounded border px-1.5 py-0.5 text-center font-mono text-xs whitespace-pre',
        lit && 'ring-2 ring-sky-400',
        kind === 'special' && 'border-slate-300 bg-slate-100 text-slate-700 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-200',
        (kind === 'byte' || partial) && kind !== 'special' && 'border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100',
        kind === 'unknown' && 'border-rose-300 bg-rose-50 text-rose-900 dark:border-rose-700 dark:bg-rose-950 dark:text-rose-100',
        (!kind || kind === 'text') && !partial && 'border-emerald-200 bg-emerald-50 text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100',
      )}
    >
      <span data-testid="token-text">{tokenLabel(view, stored)}</span>
      {id !== undefined && (
        <span className="text-[10px] opacity-70" data-testid="token-id">
          {id}
        </span>
      )}
    </span>
  );
}

export interface ChipToken {
  piece: string;
  id?: number;
  kind?: string;
  start?: number | null;
  end?: number | null;
}

/** A row of chips for a tokenization: read together, so bytes shared across tokens name their character. */
export function TokenChips({ tokens, scope, spelling, specials, className }: { tokens: readonly ChipToken[]; scope?: string; spelling?: TokenSpelling; specials?: readonly string[]; className?: string }) {
  const views = useTokenViews(
    tokens.map((t) => t.piece),
    spelling,
    specials ?? tokens.filter((t) => t.kind === 'special' || t.kind === 'unknown').map((t) => t.piece),
  );
  return (
    <div className={clsx('flex flex-wrap gap-1', className)}>
      {tokens.map((t, i) => (
        <TokenChip key={i} view={views[i]!} id={t.id} kind={t.kind} span={scope && t.start !== undefined && t.end !== undefined ? spanIn(scope, { start: t.start, end: t.end }) : null} />
      ))}
    </div>
  );
}

/**
 * A labeller for tokens shown one at a time in text (a prediction, a heatmap axis): readable or
 * stored, following the switch. The spelling is judged once from `sample` unless given.
 */
export function useLabelOf(sample: readonly string[], spelling?: TokenSpelling): (token: string) => string {
  const stored = useTokenDisplay((s) => s.stored);
  const key = sample.join('\u0000');
  const how = useMemo(() => spelling ?? guessSpelling(sample), [key, spelling]);
  return (token: string) => tokenLabel(viewToken(token, how), stored);
}

/** A token inline, without an ID: in merge rules, lists of candidates, tables. */
export function TokenText({ view, className }: { view: TokenView; className?: string }) {
  const stored = useTokenDisplay((s) => s.stored);
  return (
    <span data-testid="token-inline" title={titleOf(view, stored)} className={clsx('font-mono whitespace-pre', className)}>
      {tokenLabel(view, stored)}
    </span>
  );
}

/** The one switch: "show as the tokenizer stores it". */
export function StoredFormToggle() {
  const stored = useTokenDisplay((s) => s.stored);
  const setStored = useTokenDisplay((s) => s.setStored);
  return (
    <label className="btn cursor-pointer" title="Tokens as text (ଭାଷା, ·love) or as the vocabulary stores them (Ġ, ▁, ##, <0xE0>)">
      <input type="checkbox" data-testid="stored-form" checked={stored} onChange={(e) => setStored(e.target.checked)} />
      show as the tokenizer stores it
    </label>
  );
}

/**
 * The beginning of a text with the hovered chip's span lit; hovering a character lights the
 * chips whose span holds it. Offsets are UTF-16 positions, as the tokens carry them.
 */
export function SpanText({ text, scope, limit = 600 }: { text: string; scope: string; limit?: number }) {
  return <SpanChars shown={text.slice(0, limit)} scope={scope} more={text.length > limit} />;
}

/** Memoised on the shown beginning: an edit past it (most keystrokes in a long text) renders nothing here. */
const SpanChars = memo(function SpanChars({ shown, scope, more }: { shown: string; scope: string; more: boolean }) {
  const hovered = useTokenDisplay((s) => (s.hovered?.scope === scope ? s.hovered : null));
  const hover = useTokenDisplay((s) => s.hover);
  const characters = useMemo(() => {
    const out: { char: string; start: number; end: number }[] = [];
    let at = 0;
    for (const char of shown) {
      out.push({ char, start: at, end: at + char.length });
      at += char.length;
    }
    return out;
  }, [shown]);
  return (
    <p className="rounded-md bg-slate-50 p-2 text-sm break-words whitespace-pre-wrap dark:bg-slate-800" data-testid="span-text">
      {characters.map((c) => (
        <span
          key={c.start}
          data-lit={(hovered && c.start < hovered.end && hovered.start < c.end) || undefined}
          className="data-[lit]:bg-sky-200 dark:data-[lit]:bg-sky-800"
          onMouseEnter={() => hover({ scope, start: c.start, end: c.end })}
          onMouseLeave={() => hover(null)}
        >
          {c.char}
        </span>
      ))}
      {more && <span className="text-slate-400">…</span>}
    </p>
  );
});

/** A chip's span, or null for a token that stands for no text ([CLS]). */
export function spanIn(scope: string, token: { start: number | null; end: number | null }): Span | null {
  return token.start === null || token.end === null ? null : { scope, start: token.start, end: token.end };
}

/** Whitespace made visible, as the token views show it: space ·, newline ⏎, tab ⇥ (plain text, not tokens). */
export function visibleWhitespace(s: string): string {
  return showWhitespace(s);
}

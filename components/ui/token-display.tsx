import clsx from 'clsx';
/** How tokens are shown: a chip with the piece over its ID, and whitespace made visible. */

/** A token with its ID underneath; special, byte and unknown tokens are coloured apart. */
export function TokenChip({ piece, id, kind, title }: { piece: string; id: number; kind?: string; title?: string }) {
  return (
    <span
      data-testid="token"
      title={title}
      className={clsx(
        'grid rounded border px-1.5 py-0.5 text-center font-mono text-xs whitespace-pre',
        kind === 'special' && 'border-slate-300 bg-slate-100 text-slate-700 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-200',
        kind === 'byte' && 'border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100',
        kind === 'unknown' && 'border-rose-300 bg-rose-50 text-rose-900 dark:border-rose-700 dark:bg-rose-950 dark:text-rose-100',
        (!kind || kind === 'text') && 'border-emerald-200 bg-emerald-50 text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100',
      )}
    >
      <span>{piece}</span>
      <span className="text-[10px] opacity-70" data-testid="token-id">
        {id}
      </span>
    </span>
  );
}

/** Whitespace made visible, as the token views show it: space ·, newline ⏎, tab ⇥. */
export function visibleWhitespace(s: string): string {
  return s.replace(/ /g, '·').replace(/\n/g, '⏎').replace(/\t/g, '⇥');
}

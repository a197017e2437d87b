'use client';
/**
 * The same text three ways, lined up: grapheme clusters (what a reader calls a letter), the
 * code points in each, and the UTF-8 bytes of each code point. Answers "why does one Odia
 * letter cost GPT-2 three tokens?": a byte-level tokenizer starts from the bottom row.
 */
import type { GraphemeColumn } from '@/nodes/text/graphemes';
import { showWhitespace } from '@/nodes/shared/token-text';

export function GraphemeView({ columns }: { columns: GraphemeColumn[] }) {
  if (columns.length === 0) return null;
  const codePoints = columns.reduce((n, c) => n + c.codePoints.length, 0);
  const bytes = columns.reduce((n, c) => n + c.codePoints.reduce((m, p) => m + p.bytes.length, 0), 0);
  return (
    <div className="grid gap-1" data-testid="grapheme-view">
      <h4 className="text-sm font-semibold">Letters, code points, bytes</h4>
      <div className="flex gap-2 overflow-x-auto pb-1 text-xs">
        <div className="grid shrink-0 grid-rows-[2rem_auto] gap-1 text-slate-500">
          <span>grapheme</span>
          <span className="grid gap-0.5">
            <span>code point</span>
            <span>UTF-8</span>
          </span>
        </div>
        {columns.map((g) => (
          <div key={g.start} className="grid shrink-0 grid-rows-[2rem_auto] gap-1 rounded border border-slate-200 p-1 dark:border-slate-700" data-testid="grapheme">
            <span className="text-center text-lg leading-8">{showWhitespace(g.grapheme)}</span>
            <span className="flex gap-1">
              {g.codePoints.map((p, i) => (
                <span key={i} className="grid gap-0.5 rounded bg-slate-50 px-1 text-center dark:bg-slate-800" data-testid="grapheme-code-point">
                  <span className="font-mono">
                    {/^\p{M}$/u.test(p.char) ? `\u25CC${p.char}` : showWhitespace(p.char)} <span className="text-slate-500">{p.codePoint}</span>
                  </span>
                  <span className="font-mono text-amber-800 dark:text-amber-200" data-testid="grapheme-bytes">
                    {p.bytes.length ? p.bytes.join(' ') : 'none (invalid)'}
                  </span>
                </span>
              ))}
            </span>
          </div>
        ))}
      </div>
      <p className="text-xs text-slate-500">
        The first {columns.length} letters are {codePoints} code
        points and {bytes} bytes. A byte-level tokenizer starts from the bytes: a letter its vocabulary never merged costs one token per byte.
      </p>
    </div>
  );
}

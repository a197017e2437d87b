'use client';
import { visibleWhitespace } from '@/components/ui/token-display';
import { Stat } from '@/components/ui/inspector-kit';
import type { InspectorProps } from '../types';
import { GraphemeView } from '@/components/ui/grapheme-view';

export function TextInspector({ view }: InspectorProps<'text'>) {
  const total = view.scripts.reduce((a, s) => a + s.codePoints, 0) || 1;
  return (
    <div className="grid gap-4">
      <p>
        Everything starts from plain text. But a neural network only computes with numbers, so the text must become a list of
        numbers first. Even before any tokenizer, a computer already stores each character as numbers: a{' '}
        <b>code point</b> (its number in Unicode) and the <b>UTF-8 bytes</b> that encode it.
      </p>
      <div className="grid grid-cols-4 gap-2">
        <Stat label="characters" value={view.codePoints} hint="Unicode code points" />
        <Stat label="UTF-8 bytes" value={view.utf8Bytes} hint="What byte-level BPE starts from" />
        <Stat label="words" value={view.words} hint="Runs of non-space characters" />
        <Stat label="lines" value={view.lines} hint="Lines of text" />
      </div>
      {view.utf8Bytes > view.codePoints && (
        <p className="text-sm text-slate-600 dark:text-slate-300">
          There are more bytes than characters: outside plain English, one character takes 2–4 bytes in UTF-8. A byte-level
          tokenizer that knows little of a script spends a token per byte.
        </p>
      )}
      {view.loneSurrogates.length > 0 && (
        <p role="alert" className="rounded-md bg-rose-50 p-2 text-sm text-rose-800 dark:bg-rose-950 dark:text-rose-200">
          This text is not valid Unicode: {view.loneSurrogates.length} lone surrogate(s), the first at offset {view.loneSurrogates[0]}.
          UTF-8 cannot encode them; a Clean node replaces them with U+FFFD.
        </p>
      )}
      {view.scripts.length > 0 && (
        <div>
          <h4 className="mb-1 text-sm font-semibold">Scripts</h4>
          <div className="flex h-3 overflow-hidden rounded-full">
            {view.scripts.map((s, i) => (
              <div
                key={s.script}
                title={`${s.script}: ${s.codePoints}`}
                style={{ width: `${(100 * s.codePoints) / total}%`, background: ['#0ea5e9', '#f59e0b', '#10b981', '#8b5cf6', '#f43f5e'][i % 5] }}
              />
            ))}
          </div>
          <div className="mt-1 text-xs text-slate-500">{view.scripts.map((s) => `${s.script} ${s.codePoints.toLocaleString('en-US')}`).join(' · ')}
            {view.scriptsCountedIn !== null && ` (in the first ${view.scriptsCountedIn.toLocaleString('en-US')} characters)`}</div>
        </div>
      )}
      <GraphemeView columns={view.graphemes} />
      <div>
        <h4 className="mb-1 text-sm font-semibold">Why numbers? The first characters as a computer stores them</h4>
        <table className="w-full text-left text-xs" data-testid="char-table">
          <thead className="text-slate-500">
            <tr>
              <th>char</th>
              <th>code point</th>
              <th>UTF-8 bytes</th>
            </tr>
          </thead>
          <tbody className="font-mono">
            {view.firstCharacters.map((c, i) => (
              <tr key={i} className="border-t border-slate-100 dark:border-slate-800">
                <td>{visibleWhitespace(c.char)}</td>
                <td>{c.codePoint}</td>
                <td>{c.utf8}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="mt-2 text-sm text-slate-600 dark:text-slate-300">
          A tokenizer does better than one number per byte: it cuts the text into frequent pieces and gives each piece one ID
          from a fixed vocabulary. Follow the wires to see how.
        </p>
      </div>
      {view.corpus ? (
        <p className="text-xs text-slate-500" data-testid="text-source">
          Source: {view.corpus.title}. {view.corpus.credit}
        </p>
      ) : (
        <p className="text-xs text-slate-500">Source: {view.origin}</p>
      )}
    </div>
  );
}

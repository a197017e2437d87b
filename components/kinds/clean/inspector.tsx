'use client';
import clsx from 'clsx';
import { visibleWhitespace } from '@/components/ui/token-display';
import type { InspectorProps } from '../types';
import { GraphemeView } from '@/components/ui/grapheme-view';

// Changed runs keep their line breaks, so the diff still reads as text.
const show = (s: string) => visibleWhitespace(s).replace(/⏎/g, '⏎\n');

export function CleanInspector({ view }: InspectorProps<'clean'>) {
  return (
    <div className="grid gap-4">
      <p>
        Text that looks the same can be stored differently. “é” can be one code point (U+00E9) or two: “e” followed by a combining
        accent (U+0301). A tokenizer compares code points, not looks, so without normalising the two spellings of “café” would
        become different tokens. Normalising first makes equal-looking text equal.
      </p>
      <ol className="grid gap-1 text-sm" data-testid="clean-steps">
        {view.steps.length === 0 && <li className="text-slate-500">No cleaning step is switched on.</li>}
        {view.steps.map((s) => (
          <li key={s.name} className="flex justify-between gap-2">
            <span>{s.name}</span>
            <span className={s.changed ? 'text-amber-600' : 'text-slate-400'}>{s.changed ? 'changed the text' : 'no change'}</span>
          </li>
        ))}
      </ol>
      {view.loneSurrogates.length > 0 && (
        <p role="alert" className="rounded-md bg-rose-50 p-2 text-sm text-rose-800 dark:bg-rose-950 dark:text-rose-200">
          The input has {view.loneSurrogates.length} lone surrogate(s) (invalid Unicode), first at offset {view.loneSurrogates[0]}.
          {view.outputLoneSurrogates === 0 ? ' They were replaced with U+FFFD.' : ' They were kept: switch on “Replace invalid Unicode”.'}
        </p>
      )}
      <div>
        <h4 className="mb-1 text-sm font-semibold">Before → after</h4>
        {view.changes.length === 0 ? (
          <p className="text-sm text-slate-500" data-testid="clean-no-change">
            No character changed with these settings. Try the “Emoji and mixed scripts” sample (it writes café both ways) with NFC, or
            switch on Lowercase.
          </p>
        ) : (
          <pre className="max-h-48 overflow-auto rounded-md bg-slate-50 p-2 text-xs whitespace-pre-wrap dark:bg-slate-800" data-testid="clean-diff">
            {view.segments.map((s, i) => (
              <span
                key={i}
                className={clsx(
                  s.kind === 'removed' && 'bg-rose-200 line-through dark:bg-rose-900',
                  s.kind === 'added' && 'bg-emerald-200 dark:bg-emerald-900',
                )}
              >
                {s.kind === 'same' ? s.text : show(s.text)}
              </span>
            ))}
          </pre>
        )}
        {view.truncated && <p className="text-xs text-slate-500">Showing the first 4,000 characters.</p>}
      </div>
      <GraphemeView columns={view.graphemes} />
      {view.changes.length > 0 && (
        <table className="w-full text-left text-xs" data-testid="clean-changes">
          <thead className="text-slate-500">
            <tr>
              <th>before</th>
              <th>code points</th>
              <th>after</th>
              <th>code points</th>
            </tr>
          </thead>
          <tbody className="font-mono">
            {view.changes.slice(0, 30).map((c, i) => (
              <tr key={i} className="border-t border-slate-100 dark:border-slate-800">
                <td>{show(c.before) || '∅'}</td>
                <td>{c.beforeCodePoints.join(' ') || '—'}</td>
                <td>{show(c.after) || '∅'}</td>
                <td>{c.afterCodePoints.join(' ') || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

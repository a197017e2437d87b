'use client';
/**
 * The BPE inspector's answer to "Can I train my own tokenizer for Odia?": tokens per word and
 * characters per token for every tokenizer on the text this node encodes (in the Odia template,
 * held-out Odia), and the whole words each trained vocabulary learned. Every number is measured
 * by the node (nodes/bpe/measure-odia.ts); the sentences only read them.
 */
import type { OdiaMeasurement } from '@/nodes/bpe/measure-odia';

const splitName = (split: string) => (split === 'gpt2' ? 'GPT-2 split' : 'script-aware split');
const fixed = (n: number) => n.toFixed(2);

export function OdiaMeasurementTable({ odia }: { odia: OdiaMeasurement }) {
  const gpt2 = odia.rows.find((r) => r.label === 'GPT-2');
  const best = odia.rows.filter((r) => r.split !== null).sort((a, b) => a.tokensPerWord - b.tokensPerWord)[0];
  return (
    <div className="grid gap-2">
      {gpt2 && best && (
        <p className="text-sm" data-testid="odia-summary">
          On these {odia.words.toLocaleString()} words, GPT-2 spends <b>{fixed(gpt2.tokensPerWord)}</b> tokens per word; the tokenizer
          trained here ({splitName(best.split!)}) spends <b>{fixed(best.tokensPerWord)}</b>
          {best.tokensPerWord > 0 && `, ${fixed(gpt2.tokensPerWord / best.tokensPerWord)} times fewer`}.
        </p>
      )}
      <table className="w-full text-left text-sm" data-testid="odia-table">
        <thead className="text-xs text-slate-500">
          <tr>
            <th>tokenizer</th>
            <th className="text-right">tokens</th>
            <th className="text-right">tokens / word</th>
            <th className="text-right">chars / token</th>
            <th className="text-right" title="Unknown tokens: the text they stand for is lost">[UNK]</th>
          </tr>
        </thead>
        <tbody className="tabular-nums">
          {odia.rows.map((r) => (
            <tr key={`${r.label}-${r.split}`} data-testid="odia-row" data-label={r.split ? `trained-${r.split}` : r.label}>
              <td>
                {r.split ? `Trained here, ${splitName(r.split)}` : r.label}
                {r.vocabSize !== null && <span className="text-xs text-slate-500"> ({r.vocabSize.toLocaleString()} tokens)</span>}
              </td>
              <td className="text-right">{r.tokens.toLocaleString()}</td>
              <td className="text-right" data-testid="odia-tokens-per-word">
                {fixed(r.tokensPerWord)}
              </td>
              <td className="text-right">{fixed(r.charsPerToken)}</td>
              <td className="text-right">{r.unknown ? r.unknown.toLocaleString() : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {odia.runs.map((r) => (
        <div key={r.split} className="text-sm" data-testid={`odia-whole-words-${r.split}`}>
          <span className="text-xs text-slate-500">
            Whole words learned first ({splitName(r.split)}{r.stoppedBecause === 'no-pairs-left' ? ', ran out of pairs' : ''}):{' '}
          </span>
          {r.wholeWords.length === 0 ? (
            <span className="text-xs text-slate-500">none: no token spans a whole word.</span>
          ) : (
            <span className="inline-flex flex-wrap gap-1">
              {r.wholeWords.map((w) => (
                <span key={w} lang="or" data-testid="odia-whole-word" className="rounded border border-emerald-200 bg-emerald-50 px-1 dark:border-emerald-800 dark:bg-emerald-950">
                  {w}
                </span>
              ))}
            </span>
          )}
        </div>
      ))}
      {odia.rows.some((r) => r.unknown > 0) && (
        <p className="text-xs text-slate-500">
          Few tokens are not always good: an unknown token ([UNK]) stands for a whole word the tokenizer cannot spell, and that word is
          lost.
        </p>
      )}
      <p className="text-xs text-slate-500">
        GPT-2’s split cuts Odia words at every vowel sign and virama (they are “marks”, not “letters”, to its regex), so hardly any token can span a
        whole word. The script-aware split keeps them whole, and BPE learns whole syllables and words.
      </p>
    </div>
  );
}

/**
 * Compare: one text through 2–4 tokenizers, aligned over the same characters. The grid aligns
 * the first COMPARE_TEXT_LIMIT characters; the counts (tokens per word, characters per token)
 * are over the whole text (measure.ts).
 */
import { z } from 'zod';
import { defineNode } from '../engine/define-node';
import type { Tokens } from '../engine/ports';
import { encodeWith, loadPretrained, type TokenizerRef } from '../shared/tokenizer-ref';
import { SHIPPED_TOKENIZER_LABELS, type ShippedTokenizerName } from '../pretrained/shipped';
import { describeTokenizer } from '../pretrained/describe-tokenizer';
import { alignTokenizations } from './align';
import { isTrained, onlyIn } from './vocab-diff';
import { measureWhole } from './measure';

const MAX_TOKENIZERS = 4;
/** Alignment is per character: past this, the view shows the beginning. */
export const COMPARE_TEXT_LIMIT = 2000;

export const compareNode = defineNode({
  type: 'compare',
  version: 2,
  title: 'Compare tokenizers',
  question: 'Are token IDs the same across models?',
  summary: 'The same text through GPT-2, BERT, TinyLlama or your own tokenizers, aligned.',
  category: 'tokenize',
  inputs: {
    text: { kind: 'text', label: 'text' },
    a: { kind: 'tokenizer', label: 'tokenizer A', optional: true },
    b: { kind: 'tokenizer', label: 'tokenizer B', optional: true },
    c: { kind: 'tokenizer', label: 'tokenizer C', optional: true },
  },
  outputs: {},
  params: z.object({
    gpt2: z.boolean().default(true).describe('Include GPT-2'),
    bert: z.boolean().default(true).describe('Include BERT (uncased)'),
    tinyllama: z.boolean().default(true).describe('Include TinyLlama (LLaMA-2)'),
  }),
  run: async ({ text, a, b, c }, params, ctx) => {
    const shipped: ShippedTokenizerName[] = [];
    if (params.gpt2) shipped.push('gpt2');
    if (params.bert) shipped.push('bert-base-uncased');
    if (params.tinyllama) shipped.push('tinyllama');
    const refs: TokenizerRef[] = [a, b, c].filter((r): r is TokenizerRef => r !== undefined);
    for (const name of shipped) {
      const loaded = await loadPretrained(name, ctx.resources);
      refs.push({
        kind: 'pretrained',
        name,
        label: SHIPPED_TOKENIZER_LABELS[name],
        description: describeTokenizer(loaded.tokenizerJson, loaded.tokenizerConfig),
      });
    }
    if (refs.length < 2) throw new Error('Compare needs at least two tokenizers: tick some models or wire tokenizer inputs.');
    if (refs.length > MAX_TOKENIZERS) throw new Error(`Compare shows at most ${MAX_TOKENIZERS} tokenizers at once: untick one.`);
    const shown = text.slice(0, COMPARE_TEXT_LIMIT);
    const encodings: Tokens[] = [];
    for (const ref of refs) {
      await ctx.checkpoint();
      encodings.push(await encodeWith(ref, shown, ctx.resources));
    }
    // Pieces only one of the canvas-trained tokenizers learned (when two or more are wired).
    const trained = refs.filter(isTrained);
    const only = trained.length >= 2 ? onlyIn(trained) : [];
    const onlyHere = new Map(trained.map((ref, i) => [ref.label, only[i] ?? []]));
    const truncated = text.length > shown.length;
    const whole: { label: string; pieces: Tokens['pieces'] }[] = [];
    for (const [i, ref] of refs.entries()) {
      await ctx.checkpoint();
      whole.push({ label: encodings[i]!.tokenizer, pieces: truncated ? (await encodeWith(ref, text, ctx.resources)).pieces : encodings[i]!.pieces });
    }
    return { details: { truncated, encodings, whole: measureWhole(text, whole), onlyHere: [...onlyHere] } };
  },
  view: ({ details }) => {
    const { truncated, encodings, whole, onlyHere } = details ?? { truncated: false, encodings: [] as Tokens[], whole: measureWhole('', []), onlyHere: [] as [string, string[]][] };
    const only = new Map(onlyHere);
    const text = encodings[0]?.text ?? '';
    return {
      truncated,
      whole: { chars: whole.chars, words: whole.words, perWordAnswer: whole.perWordAnswer },
      ...alignTokenizations(
        text,
        encodings.map((e) => ({ label: e.tokenizer, tokens: e.pieces })),
      ),
      // Counts over the whole text; ids of the aligned part only.
      kinds: encodings.map((e, i) => {
        const count = whole.counts[i];
        return {
          label: e.tokenizer,
          ids: e.pieces.slice(0, 500).map((p) => p.id),
          textTokens: count?.textTokens ?? 0,
          unknown: count?.unknown ?? 0,
          bytes: count?.bytes ?? 0,
          tokensPerWord: count?.tokensPerWord ?? null,
          charsPerToken: count?.charsPerToken ?? null,
          onlyHere: only.get(e.tokenizer) ?? null,
        };
      }),
    };
  },
});

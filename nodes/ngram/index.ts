/**
 * N-gram: count sequences of units (words from text, or tokens from a tokenizer) and predict
 * the next unit with a count-based model, to answer "Is BPE the same as an n-gram?".
 *
 * Reads exactly one of its inputs: `text` (word units) or `tokens` (token units). Writes no
 * ports: what it learns is shown in the inspector. With a Transformer's `predictions` wired in,
 * the inspector sets the two next-token predictions for the same context side by side. Not handled: backoff, sentence markers,
 * tokenizing a typed context with the upstream tokenizer (see ngram.ts).
 *
 *   text "the cat sat on the mat the cat ran", n = 2, k = 1, context "the"
 *   → top bigram "the cat" ×2; P(cat | the) = (2 + 1) / (3 + 1·6) = 1/3
 */
import { z } from 'zod';
import { defineNode } from '../engine/define-node';
import { MAX_N } from './ngram';
import { analyzeNgrams, specialUnits, tokenUnits, wordUnits, type NgramAnalysis } from './analyze';

export const ngramNode = defineNode({
  type: 'ngram',
  version: 2,
  title: 'N-gram',
  question: 'Is BPE the same as an n-gram?',
  summary: 'Count word or token sequences and predict the next unit from the last n−1.',
  category: 'model',
  inputs: {
    text: { kind: 'text', label: 'text (word units)', optional: true },
    tokens: { kind: 'tokens', label: 'tokens (token units)', optional: true },
    predictions: { kind: 'predictions', label: 'a Transformer’s predictions', optional: true },
  },
  outputs: {},
  params: z.object({
    n: z.number().int().min(1).max(MAX_N).default(2).describe('n (units per n-gram, 1–5)'),
    top: z.number().int().min(1).max(100).default(20).describe('How many frequent n-grams to list'),
    k: z.number().min(0).max(1000).default(1).describe('k (add-k smoothing, 0 = plain counts)'),
    lowercase: z.boolean().default(true).describe('Lowercase words (text input only)'),
    context: z
      .string()
      .max(1000)
      .default('')
      .describe('Context to predict after (empty = the last n−1 units of the input; tokens as written, space-separated)'),
  }),
  run: ({ text, tokens }, { n, top, k, lowercase, context }) => {
    if (text === undefined && tokens === undefined) {
      throw new Error('N-gram needs units to count: connect text (for words) or tokens (for token pieces).');
    }
    if (text !== undefined && tokens !== undefined) {
      throw new Error('N-gram counts one kind of unit at a time: connect text or tokens, not both.');
    }
    const level = tokens !== undefined ? 'token' : 'word';
    const units = tokens !== undefined ? tokenUnits(tokens) : wordUnits(text ?? '', lowercase);
    const typed = context.trim() === '' ? null : level === 'word' ? wordUnits(context, lowercase) : context.trim().split(/\s+/u);
    const details: NgramAnalysis = analyzeNgrams(units, level, tokens?.tokenizer ?? 'words', { n, top, k, context: typed }, tokens ? specialUnits(tokens) : []);
    return { details };
  },
  view: ({ details, inputs }) => {
    if (!details) return null;
    const p = inputs.predictions;
    const last = p?.topK[0];
    // Comparable when both predict after the same last unit: token-level input from the same
    // text, and the n-gram context taken from the input's end.
    const transformer =
      p && last
        ? {
            model: p.model,
            context: p.tokens.slice(Math.max(0, p.tokens.length - 3)),
            candidates: last.candidates,
            sameContext:
              details.level === 'token' &&
              details.prediction.from === 'input' &&
              details.prediction.context.length > 0 &&
              details.prediction.context.at(-1) === p.tokens.at(-1),
          }
        : null;
    return { ...details, transformer };
  },
});

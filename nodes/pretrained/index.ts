/** Tokenizer (pretrained): GPT-2, BERT or TinyLlama from shipped files, or any hub id when online. */
import { z } from 'zod';
import { defineNode } from '../engine/define-node';
import { loadPretrained, type TokenizerRef } from '../shared/tokenizer-ref';
import { SHIPPED_TOKENIZERS, SHIPPED_TOKENIZER_LABELS, isShippedTokenizer } from './shipped';
import { describeTokenizer } from './describe-tokenizer';
import { splitWords } from './words';

export const PRETRAINED_CHOICES = [...SHIPPED_TOKENIZERS, 'hub'] as const;
export const PIECES_SHOWN = 2000;

export const pretrainedNode = defineNode({
  type: 'pretrained',
  version: 1,
  title: 'Tokenizer (pretrained)',
  question: 'Are token IDs the same across models?',
  summary: 'GPT-2, BERT or TinyLlama, shipped offline; any Hugging Face id when online.',
  category: 'tokenize',
  inputs: { text: { kind: 'text', label: 'text' } },
  outputs: {
    tokenizer: { kind: 'tokenizer', label: 'tokenizer' },
    tokens: { kind: 'tokens', label: 'tokens' },
  },
  // The tokenizer is the same whatever text it encodes.
  outputDependsOn: { tokenizer: { inputs: [], params: ['model', 'hubId'] } },
  params: z.object({
    model: z.enum(PRETRAINED_CHOICES).default('gpt2').describe('Model'),
    hubId: z.string().max(200).default('').describe('Hugging Face id (when Model is "hub")'),
    addSpecialTokens: z.boolean().default(true).describe('Add special tokens ([CLS], <s> …)'),
  }),
  run: async ({ text }, { model, hubId, addSpecialTokens }, ctx) => {
    const name = model === 'hub' ? hubId.trim() : model;
    if (!name) throw new Error('Type a Hugging Face model id, e.g. Xenova/gpt2, or pick a shipped tokenizer.');
    const loaded = await loadPretrained(name, ctx.resources);
    const { encodeWithPieces } = await import('./pretrained');
    const encoded = encodeWithPieces(loaded, text, { addSpecialTokens });
    const label = isShippedTokenizer(name) ? SHIPPED_TOKENIZER_LABELS[name] : name;
    return {
      tokenizer: { kind: 'pretrained' as const, name, label, description: describeTokenizer(loaded.tokenizerJson, loaded.tokenizerConfig) },
      tokens: {
        text,
        tokenizer: label,
        pieces: encoded.pieces.map(({ piece, id, kind, start, end }) => ({ piece, id, kind, start, end })),
      },
    };
  },
  view: ({ outputs }) => {
    const { pieces, text } = outputs.tokens;
    const tokenizer = outputs.tokenizer as Extract<TokenizerRef, { kind: 'pretrained' }>;
    const textTokens = pieces.filter((p) => p.start !== null).length;
    return {
      label: tokenizer.label,
      description: tokenizer.description,
      count: pieces.length,
      charsPerToken: textTokens ? [...text].length / textTokens : null,
      unknownCount: pieces.filter((p) => p.kind === 'unknown').length,
      byteCount: pieces.filter((p) => p.kind === 'byte').length,
      pieces: pieces.slice(0, PIECES_SHOWN),
      splitWords: splitWords(text, pieces),
      /** The beginning of the text, which the pieces' offsets point into. */
      text: text.slice(0, 1000),
    };
  },
});

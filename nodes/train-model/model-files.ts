/**
 * A model trained here as Hugging Face files, the layout the Transformer node loads and
 * transformers.js reads from a folder: config.json, generation_config.json, tokenizer.json,
 * tokenizer_config.json and onnx/model.onnx.
 *
 *   const files = modelFiles(ref, pretrainedFiles);   // pretrainedFiles: null for a BPE from the canvas
 *   files['config.json']     // '{"model_type":"gpt2","n_layer":2,…,"transformers.js_config":{"dtype":"fp32"}}'
 *
 * Synchronous, so the node's query can answer the inspector's download at once: a pretrained
 * tokenizer's own files are read when the node runs (pretrainedFiles) and kept with its result.
 *
 * Not handled here: zipping (the inspector's download), models without an ONNX file.
 */
import type { Resources } from '../engine/define-node';
import type { Gpt2Config } from '../finetune/gpt2';
import type { ModelRef } from '../shared/model-ref';
import { loadPretrained, type TokenizerRef } from '../shared/tokenizer-ref';

/** A pretrained tokenizer's tokenizer.json and tokenizer_config.json, as loaded. */
export interface PretrainedFiles {
  tokenizerJson: unknown;
  tokenizerConfig: unknown;
}

/** The files of a pretrained tokenizer, read where the node runs; null for a BPE from the canvas. */
export async function pretrainedFilesOf(tokenizer: TokenizerRef, resources: Resources): Promise<PretrainedFiles | null> {
  if (tokenizer.kind !== 'pretrained') return null;
  const loaded = await loadPretrained(tokenizer.name, resources);
  return { tokenizerJson: loaded.tokenizerJson, tokenizerConfig: loaded.tokenizerConfig };
}
import { toTokenizerConfigJson, toTokenizerJson } from '../bpe/hf-export';
import { toWordPieceFiles } from '../wordpiece/hf-export';
import { toUnigramFiles } from '../unigram/hf-export';

/** config.json of a GPT-2 of this size (the fields transformers.js and HF transformers read). */
export function hfConfig(config: Gpt2Config, eosId: number | null): Record<string, unknown> {
  return {
    architectures: ['GPT2LMHeadModel'],
    model_type: 'gpt2',
    activation_function: 'gelu_new',
    n_layer: config.nLayer,
    n_head: config.nHead,
    n_embd: config.nEmbd,
    n_inner: null,
    n_positions: config.nPositions,
    n_ctx: config.nPositions,
    vocab_size: config.vocabSize,
    layer_norm_epsilon: config.layerNormEps,
    initializer_range: 0.02,
    resid_pdrop: 0,
    embd_pdrop: 0,
    attn_pdrop: 0,
    scale_attn_weights: true,
    tie_word_embeddings: true,
    use_cache: true,
    bos_token_id: eosId,
    eos_token_id: eosId,
    torch_dtype: 'float32',
    'transformers.js_config': { dtype: 'fp32' },
  };
}

export interface ModelFiles {
  'config.json': string;
  'generation_config.json': string;
  'tokenizer.json': string;
  'tokenizer_config.json': string;
  'onnx/model.onnx': Uint8Array;
}

export function modelFiles(ref: ModelRef, pretrained: PretrainedFiles | null): ModelFiles {
  if (!ref.onnx || !ref.config || !ref.tokenizerRef) throw new Error(`${ref.label} was not trained here: its files are the shipped ones.`);
  const tokenizer = ref.tokenizerRef;
  let tokenizerJson: string;
  let tokenizerConfig: string;
  switch (tokenizer.kind) {
    case 'bpe':
      tokenizerJson = toTokenizerJson(tokenizer.model);
      tokenizerConfig = toTokenizerConfigJson(tokenizer.model);
      break;
    case 'wordpiece': {
      const files = toWordPieceFiles(tokenizer.model);
      [tokenizerJson, tokenizerConfig] = [files['tokenizer.json'], files['tokenizer_config.json']];
      break;
    }
    case 'unigram': {
      const files = toUnigramFiles(tokenizer.model);
      [tokenizerJson, tokenizerConfig] = [files['tokenizer.json'], files['tokenizer_config.json']];
      break;
    }
    case 'pretrained':
      if (!pretrained) throw new Error(`The files of ${tokenizer.label} were not read when the model was trained.`);
      tokenizerJson = JSON.stringify(pretrained.tokenizerJson);
      tokenizerConfig = JSON.stringify(pretrained.tokenizerConfig);
  }
  const eos = ref.config.eos_token_id ?? null;
  return {
    'config.json': JSON.stringify(ref.config, null, 2),
    'generation_config.json': JSON.stringify({ bos_token_id: eos, eos_token_id: eos, max_length: ref.config.n_positions }, null, 2),
    'tokenizer.json': tokenizerJson,
    'tokenizer_config.json': tokenizerConfig,
    'onnx/model.onnx': ref.onnx,
  };
}

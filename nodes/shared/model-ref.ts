/**
 * What travels on a `model` port: a handle to a causal language model, loaded (once) where the
 * node runs. The shipped model travels by name; a fine-tuned one carries its patched ONNX bytes;
 * one trained here (nodes/train-model) carries its ONNX bytes, its config.json and its tokenizer.
 *
 * Not handled here: loading and running models (nodes/transformer), training (nodes/finetune).
 */
import type { TokenizerRef } from './tokenizer-ref';

export interface ModelRef {
  /** 'tokenloom-tiny' (shipped in public/models/) or a Hugging Face id (online users). */
  name: string;
  label: string;
  /** The tokenizer whose IDs the model reads: 'gpt2' for the shipped model. */
  tokenizer: string;
  vocabSize: number;
  /** Fine-tuned weights: a copy of the ONNX file with its initializers replaced. */
  onnx?: Uint8Array;
  /** Identifies the weights (the name, or a hash of fine-tuned bytes): part of cache keys and labels. */
  weightsId: string;
  /**
   * A model trained here: its Hugging Face config.json (architecture, vocabulary, context), used
   * instead of the shipped model's when it is loaded.
   */
  config?: Record<string, unknown>;
  /** The tokenizer the model reads when it is not a shipped one (a BPE trained on the canvas). */
  tokenizerRef?: TokenizerRef;
}

// The engine names no model: the `model` port's value type is declared here.
declare module '../engine/define-node' {
  interface PortValueMap {
    model: ModelRef;
  }
}

/** The model the project makes and ships (scripts/train-model.py). */
export const SHIPPED_MODEL: ModelRef = {
  name: 'tokenloom-tiny',
  label: 'tokenloom-tiny (GPT-2 architecture, 2 × 128)',
  tokenizer: 'gpt2',
  vocabSize: 50257,
  weightsId: 'tokenloom-tiny',
};

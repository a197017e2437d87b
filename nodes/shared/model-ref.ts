/**
 * What travels on a `model` port: a handle to a causal language model, loaded (once) where the
 * node runs. The shipped model travels by name; a fine-tuned one carries its patched ONNX bytes;
 * one trained here (nodes/train-model) carries its ONNX bytes, its config.json and its tokenizer.
 *
 * Not handled here: loading and running models (nodes/transformer), training (nodes/finetune).
 */
import type { TokenizerRef } from './tokenizer-ref';
import type { ModelCard } from './model-card';

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
  /** What the model is (size, training data, held-out perplexity against a bigram); absent for hub models. */
  card?: ModelCard;
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
  label: 'tokenloom-tiny (GPT-2 architecture, 4 × 192)',
  tokenizer: 'gpt2',
  vocabSize: 50257,
  weightsId: 'tokenloom-tiny',
  // From public/models/tokenloom-tiny/README.md (scripts/train-model.py writes it); a test
  // checks these against that README, so a retrained model cannot keep the old figures.
  card: {
    parameters: 11_478_336,
    trainedOn: '1.98 M tokens of State of the Union addresses (1790–2021)',
    heldOut: { perplexity: 117.0, bigramPerplexity: 239.0, tokens: 98_701 },
  },
};

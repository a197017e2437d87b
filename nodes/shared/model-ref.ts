/**
 * What travels on a `model` port: a handle to a causal language model, loaded (once) where the
 * node runs. The shipped model travels by name; a fine-tuned one carries its patched ONNX bytes.
 *
 * Not handled here: loading and running models (nodes/transformer), training (nodes/finetune).
 */

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

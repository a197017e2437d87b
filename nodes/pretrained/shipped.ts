/**
 * The tokenizers the project ships (built by scripts/build-tokenizers.ts into public/hub/<name>/).
 * Kept apart from the loader so that naming them does not pull transformers.js into a bundle.
 */
export const SHIPPED_TOKENIZERS = ['gpt2', 'bert-base-uncased', 'tinyllama'] as const;
export type ShippedTokenizerName = (typeof SHIPPED_TOKENIZERS)[number];

/** Display names, used by Compare and the inspector. */
export const SHIPPED_TOKENIZER_LABELS: Record<ShippedTokenizerName, string> = {
  gpt2: 'GPT-2',
  'bert-base-uncased': 'BERT',
  tinyllama: 'TinyLlama',
};

export function isShippedTokenizer(name: string): name is ShippedTokenizerName {
  return (SHIPPED_TOKENIZERS as readonly string[]).includes(name);
}


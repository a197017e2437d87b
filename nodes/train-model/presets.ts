/**
 * The model sizes the Train model node offers, and the checks that turn a tokenizer and a corpus
 * into a sentence about the learner's graph when they do not fit one.
 *
 *   architecture(presetSpec('tiny', custom), 2000)   // { nLayer: 2, nHead: 4, nEmbd: 32, nPositions: 64, … }
 *   checkVocabulary(50257, 'tiny', 'GPT-2') // throws: "GPT-2 has 50,257 tokens; the tiny preset takes at most 8,000 …"
 *
 * Not handled here: training (train.ts), the node (index.ts).
 */
import type { Gpt2Config } from '../finetune/gpt2';

export const PRESETS = ['tiny', 'small', 'custom'] as const;
export type Preset = (typeof PRESETS)[number];

export interface PresetSpec {
  label: string;
  nLayer: number;
  nEmbd: number;
  context: number;
  batchSize: number;
  /** Adam's peak learning rate; every run decays it along a cosine to a tenth by its last step (train.ts). */
  learningRate: number;
  /** The largest vocabulary (rows of the embedding table) the preset accepts. */
  maxVocab: number;
}

/** Every preset has four heads. */
export const HEADS = 4;

export const PRESET_SPECS: Record<Exclude<Preset, 'custom'>, PresetSpec> = {
  // 2 × 32 rather than 2 × 64: on the English sample (8,000 tokens, a 2,000-token BPE) the narrower
  // model is faster per step (its output layer is half as wide) and overfits less, so it passes
  // the bigram within a minute on WASM where 2 × 64 barely reaches it (bench/train-model.ts).
  tiny: { label: 'tiny: trains in a minute', nLayer: 2, nEmbd: 32, context: 64, batchSize: 8, learningRate: 3e-3, maxVocab: 8000 },
  small: { label: 'small: 4 layers × 128, for bigger vocabularies', nLayer: 4, nEmbd: 128, context: 128, batchSize: 8, learningRate: 1e-3, maxVocab: 51_200 },
};

/** The custom preset's bounds (layers, width, context); its cap is the tiny preset's. */
export const CUSTOM_BOUNDS = { nLayer: [1, 4], nEmbd: [32, 256], context: [64, 256] } as const;
export const MIN_VOCAB = 2;

export interface CustomSize {
  layers: number;
  width: number;
  context: number;
}

export function presetSpec(preset: Preset, custom: CustomSize): PresetSpec {
  if (preset !== 'custom') return PRESET_SPECS[preset];
  return {
    label: `custom: ${custom.layers} × ${custom.width}, context ${custom.context}`,
    nLayer: custom.layers,
    nEmbd: custom.width,
    context: custom.context,
    batchSize: 8,
    learningRate: custom.width > 128 ? 1e-3 : 3e-3,
    maxVocab: PRESET_SPECS.tiny.maxVocab,
  };
}

export function architecture(spec: PresetSpec, vocabSize: number): Gpt2Config {
  return { nLayer: spec.nLayer, nHead: HEADS, nEmbd: spec.nEmbd, nPositions: spec.context, vocabSize, layerNormEps: 1e-5 };
}

const n = (x: number) => x.toLocaleString('en');

/** Refuses a vocabulary the preset cannot hold, saying which preset would. */
export function checkVocabulary(vocabSize: number, preset: Preset, spec: PresetSpec, tokenizer: string): void {
  if (vocabSize < MIN_VOCAB) throw new Error(`${tokenizer} has ${vocabSize} token; a model needs a vocabulary of at least ${MIN_VOCAB}.`);
  if (vocabSize <= spec.maxVocab) return;
  const small = PRESET_SPECS.small;
  if (preset !== 'small' && vocabSize <= small.maxVocab) {
    throw new Error(
      `${tokenizer} has ${n(vocabSize)} tokens, and the ${preset} preset takes at most ${n(spec.maxVocab)}: its embedding table would be most of the model. ` +
        `Choose the small preset, or train a BPE tokenizer with a smaller vocabulary (500–8,000).`,
    );
  }
  throw new Error(
    `${tokenizer} has ${n(vocabSize)} tokens, more than any preset here takes (at most ${n(small.maxVocab)}). Train a BPE tokenizer with a smaller vocabulary (500–8,000).`,
  );
}

/**
 * The corpus must fill one window for training and one for the held-out loss (its last tenth,
 * at least one window): a sentence saying how much text is missing when it does not.
 */
export function splitCorpus(ids: readonly number[], context: number): { train: Int32Array; heldOut: Int32Array } {
  const window = context + 1;
  if (ids.length < 2 * window) {
    throw new Error(
      `The corpus is ${n(ids.length)} tokens long, but this model reads ${n(context)} tokens at a time: it needs at least ${n(2 * window)} ` +
        `(one window to train on and one held out to test on). Give it more text, or choose a shorter context.`,
    );
  }
  const heldOutLength = Math.max(window, Math.floor(ids.length / 10));
  const cut = ids.length - heldOutLength;
  return { train: Int32Array.from(ids.slice(0, cut)), heldOut: Int32Array.from(ids.slice(cut)) };
}

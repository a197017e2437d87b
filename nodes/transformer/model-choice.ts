/**
 * What the Transformer and Generate nodes share before any model is loaded: the model picker
 * (params), which ModelRef a node uses (the wired `model` input wins over the picker), and
 * whether incoming IDs were made by the model's own tokenizer. Imports no transformers.js, so
 * the palette and the registry stay light.
 *
 *   sameTokenizerFamily('BERT', 'gpt2')      // false: BERT's 1045 is not GPT-2's 1045
 *   sameTokenizerFamily('GPT-2', 'gpt2')     // true
 *
 * Not handled here: loading or running a model (run-model.ts).
 */
import { z } from 'zod';
import type { TokenIds } from '../engine/ports';
import { SHIPPED_MODEL, type ModelRef } from '../shared/model-ref';
import { SHIPPED_TOKENIZER_LABELS, isShippedTokenizer } from '../pretrained/shipped';
import { DEFAULT_OLLAMA_URL } from '../shared/ollama';

export type Backend = 'webgpu' | 'wasm' | 'cpu';
export const DEVICE_PREFERENCES = ['auto', 'wasm', 'webgpu'] as const;
export type DevicePreference = (typeof DEVICE_PREFERENCES)[number];

/** Models shipped in public/models/ (the only ones that load offline). */
export const SHIPPED_MODELS = [SHIPPED_MODEL.name] as const;
/** 'ollama': a model served by Ollama (nodes/shared/ollama.ts); text and probabilities only. */
export const MODEL_CHOICES = [SHIPPED_MODEL.name, 'hub', 'ollama'] as const;
/** Causal LMs with ONNX exports on the hub that transformers.js runs; for online users. */
export const HUB_SUGGESTIONS = ['Xenova/distilgpt2', 'Xenova/gpt2', 'Xenova/TinyLlama-1.1B-Chat-v1.0'] as const;

/** The params both model nodes take, defaults inside. */
export const modelParams = {
  model: z.enum(MODEL_CHOICES).default(SHIPPED_MODEL.name).describe('Model (used when no model is wired in)'),
  hubId: z.string().max(200).default('').describe('Hugging Face id (when Model is "hub"), e.g. Xenova/distilgpt2'),
  ollamaUrl: z.string().max(200).default(DEFAULT_OLLAMA_URL).describe('Ollama address (when Model is "ollama")'),
  ollamaModel: z.string().max(200).default('').describe('Ollama model name (when Model is "ollama"), e.g. llama3.2; see `ollama list`'),
  device: z.enum(DEVICE_PREFERENCES).default('auto').describe('Device in the browser (auto = measured: WebGPU only on a hardware GPU that runs this model faster than WASM)'),
};

/**
 * The browser's time budget, shared by the Transformer and Generate nodes: above it, a run is
 * held and the node says how long it would take here and on the server (probe.ts holdIfSlow).
 */
export const askAboveSParam = z
  .number()
  .min(0)
  .max(3600)
  // A few seconds is a wait a class notices; under it, asking would only interrupt.
  .default(10)
  .describe('In the browser, ask first when the run would take longer than (s; 0 = never ask)');

/** The tokenizer a hub model reads, guessed from its id (a shipped one when the family matches). */
function hubTokenizer(id: string): string {
  if (/(^|\/)(distil)?gpt2\b/i.test(id)) return 'gpt2';
  if (/tinyllama|llama-2/i.test(id)) return 'tinyllama';
  return id;
}

/** The model a node uses: the wired one, else the picker's choice. */
export function chosenModel(wired: ModelRef | undefined, params: { model: string; hubId: string }): ModelRef {
  if (wired) return wired;
  if (params.model === 'ollama') throw new Error('An Ollama model is not loaded here: the node talks to Ollama instead (ollama-run.ts).');
  if (params.model !== 'hub') return SHIPPED_MODEL;
  const id = params.hubId.trim();
  if (!id) throw new Error(`Type a Hugging Face model id, e.g. ${HUB_SUGGESTIONS.join(', ')}, or pick tokenloom-tiny.`);
  // vocabSize 0: not known until its config is loaded.
  return { name: id, label: id, tokenizer: hubTokenizer(id), vocabSize: 0, weightsId: id };
}

/**
 * A canonical family for a tokenizer name or display label: 'GPT-2', 'gpt2', 'BPE (GPT-2 merges)'
 * and 'Xenova/gpt2' are all GPT-2's vocabulary.
 */
export function tokenizerFamily(nameOrLabel: string): string {
  const s = nameOrLabel.trim();
  if (isShippedTokenizer(s)) return s;
  for (const [name, label] of Object.entries(SHIPPED_TOKENIZER_LABELS)) if (s === label) return name;
  if (s === 'BPE (GPT-2 merges)') return 'gpt2';
  return hubTokenizer(s).toLowerCase();
}

export function sameTokenizerFamily(idsTokenizer: string, modelTokenizer: string): boolean {
  return tokenizerFamily(idsTokenizer) === tokenizerFamily(modelTokenizer);
}

/** How a model tokenizer's name reads to a person: 'GPT-2' for 'gpt2'. */
export function tokenizerLabel(name: string): string {
  return isShippedTokenizer(name) ? SHIPPED_TOKENIZER_LABELS[name] : name;
}

/** The plain-words warning when IDs come from another tokenizer than the model's; null if they match. */
export function mismatchWarning(ids: TokenIds, model: ModelRef): string | null {
  if (sameTokenizerFamily(ids.tokenizer, model.tokenizer)) return null;
  return (
    `These IDs come from ${ids.tokenizer}, but ${model.label} reads ${tokenizerLabel(model.tokenizer)} IDs. ` +
    `The same number means a different token in each vocabulary, so the model is reading different words than you typed. ` +
    `Use the ${tokenizerLabel(model.tokenizer)} tokenizer for this model.`
  );
}

/** IDs without padding (mask 0), as the model should read them. */
export function realIds(ids: TokenIds): number[] {
  return ids.ids.filter((_, i) => ids.attentionMask[i] !== 0);
}

/** Throws a clear message when an ID is not in the model's vocabulary. */
export function checkIdsInVocabulary(ids: readonly number[], vocabSize: number, model: ModelRef, tokenizer: string) {
  const bad = ids.find((id) => !Number.isInteger(id) || id < 0 || id >= vocabSize);
  if (bad !== undefined) {
    throw new Error(
      `ID ${bad} (from ${tokenizer}) is outside ${model.label}'s vocabulary of ${vocabSize.toLocaleString('en')} tokens (0…${vocabSize - 1}). ` +
        `The model cannot read it: wire in IDs from ${tokenizerLabel(model.tokenizer)}'s tokenizer.`,
    );
  }
}

/** The node kinds that pick a browser backend, and the param that holds it (the trainers' tfjs takes the same three values). */
const BACKEND_PARAM: Readonly<Record<string, string>> = { transformer: 'device', generate: 'device', 'train-model': 'backend', finetune: 'backend' };

/**
 * The graph as this browser runs it: model nodes left on Auto take the browser's own backend
 * override (remembered per browser, not part of the shared graph); a node set to WebGPU or WASM
 * in its Device setting keeps that. The document itself is not changed.
 *
 *   withBrowserBackend(doc, 'wasm')   // every Auto Transformer, Generate, Train model and Fine-tune node runs on 'wasm'
 *   withBrowserBackend(doc, 'auto')   // doc itself
 */
export function withBrowserBackend<D extends { nodes: readonly { type: string; params: Record<string, unknown> }[] }>(doc: D, preference: DevicePreference): D {
  if (preference === 'auto') return doc;
  return {
    ...doc,
    nodes: doc.nodes.map((n) => {
      const param = Object.hasOwn(BACKEND_PARAM, n.type) ? BACKEND_PARAM[n.type]! : null;
      return param && (n.params[param] ?? 'auto') === 'auto' ? { ...n, params: { ...n.params, [param]: preference } } : n;
    }),
  };
}

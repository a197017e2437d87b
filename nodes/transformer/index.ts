/**
 * Transformer: token IDs → what a causal language model predicts next, its attention, and the
 * embedding a token starts as. The model (transformers.js + ONNX Runtime + weights) is imported
 * and loaded on first run only.
 *
 * With Model = "ollama" the probabilities come from an Ollama server instead (ollama-run.ts): the
 * model's own tokens as text and bytes, no IDs, no attention, no embeddings, and the view says so.
 *
 * Not handled here: generating text (nodes/generate), loading details (run-model.ts).
 */
import { z } from 'zod';
import { defineNode } from '../engine/define-node';
import { idToToken, loadPretrained, vocabularyOf } from '../shared/tokenizer-ref';
import type { ModelRef } from '../shared/model-ref';
import { analyse, type Analysis } from './transformer';
import { askAboveSParam, checkIdsInVocabulary, chosenModel, mismatchWarning, modelParams, realIds, tokenizerLabel } from './model-choice';
import type { Backend } from './model-choice';
import type { Resources } from '../engine/define-node';
import type { OllamaView } from './ollama-run';
import type { HeldRun } from './probe';
import type { LoadPhases } from './run-model';
import { SHIPPED_MODEL } from '../shared/model-ref';
import { modelCardLine } from '../shared/model-card';

/**
 * A pass over this many positions or fewer is never held: it costs about what the speed probe
 * itself does (probe.ts reads 16 positions), so measuring first would only slow it down.
 */
const NEVER_HELD_POSITIONS = 32;

export interface TransformerDetails extends Analysis {
  warning: string | null;
  backendNote: string | null;
  /** Why this backend ran, in a few words (backend-choice.ts); null from Ollama. */
  backendReason: string | null;
  /** WASM threads; null off WASM. */
  threads: number | null;
  /** Tokens dropped from the front because the model reads at most `maxPositions`. */
  dropped: number;
  paddingDropped: number;
  /** How long loading the model took when it was loaded (maybe by an earlier run). */
  loadMs: number;
  /** Where loadMs went (run-model.ts); null from Ollama. */
  loadPhases: LoadPhases | null;
  /** How long this run waited for the model: about loadMs on first use, ~0 once it is loaded. */
  loadWaitMs: number;
  runMs: number;
  layers: number;
  heads: number;
  width: number;
  vocabSize: number;
  maxPositions: number;
  modelTokenizer: string;
  idsTokenizer: string;
  hasAttentionOutputs: boolean;
  fineTuned: boolean;
  /** Set when the probabilities came from Ollama (Model = "ollama"). */
  ollama: OllamaView | null;
  /** Set when the browser pass was not started: it would take longer than the node's limit. */
  held: HeldRun | null;
  /** What the model is, in one line (shared/model-card.ts); null from Ollama. */
  modelCard: string | null;
}

/** The model tokenizer's vocabulary by id, to show tokens; empty if it cannot be loaded here. */
export async function modelVocabulary(ref: ModelRef, resources: Resources): Promise<readonly string[]> {
  try {
    if (ref.tokenizerRef) return await vocabularyOf(ref.tokenizerRef, resources);
    return idToToken((await loadPretrained(ref.tokenizer, resources)).tokenizer);
  } catch {
    return [];
  }
}

export const transformerNode = defineNode({
  type: 'transformer',
  version: 1,
  title: 'Transformer',
  question: 'What does the model output?',
  summary: 'A causal language model: next-token probabilities, attention per head, token embeddings.',
  category: 'model',
  inputs: {
    ids: { kind: 'ids', label: 'input_ids' },
    model: { kind: 'model', label: 'model', optional: true },
  },
  outputs: { predictions: { kind: 'predictions', label: 'predictions' } },
  params: z.object({
    ...modelParams,
    topK: z.number().int().min(1).max(50).default(5).describe('Top-k next tokens to list'),
    position: z.number().int().min(-1).max(100_000).default(-1).describe('Position to inspect (-1 = last)'),
    askAboveS: askAboveSParam,
  }),
  run: async ({ ids, model: wired }, params, ctx) => {
    if (!wired && params.model === 'ollama') {
      if (realIds(ids).length === 0) throw new Error('No token IDs to read: type some text upstream.');
      const { predictWithOllama } = await import('./ollama-run');
      const { view: ollama, candidates, runMs } = await predictWithOllama({ ids, params, ctx });
      const label = `${ollama.model} (Ollama)`;
      const tokens = [ollama.prompt];
      const predictions = { model: label, positions: 1, ids: [], tokens, topK: [{ position: 0, candidates }], backend: 'ollama' as const };
      const details: TransformerDetails = {
        predictions,
        position: 0,
        positionNote: params.position >= 0 ? 'Ollama answers only for the next token after the whole text, not at an earlier position.' : null,
        attention: null,
        embedding: null,
        warning: null,
        backendNote: `Ollama ${ollama.version ?? '(version unknown)'} at ${ollama.url}`,
        backendReason: null,
        threads: null,
        dropped: 0,
        paddingDropped: 0,
        loadMs: 0,
        loadPhases: null,
        loadWaitMs: 0,
        runMs,
        layers: 0,
        heads: 0,
        width: 0,
        vocabSize: 0,
        maxPositions: 0,
        modelTokenizer: 'its own (not exposed by Ollama)',
        idsTokenizer: ids.tokenizer,
        hasAttentionOutputs: false,
        fineTuned: false,
        ollama,
        held: null,
        modelCard: null,
      };
      return { predictions, details };
    }
    const ref = chosenModel(wired, params);
    const warning = mismatchWarning(ids, ref);
    const real = realIds(ids);
    if (real.length === 0) throw new Error('No token IDs to read: type some text upstream.');
    ctx.progress(0.02, `Loading ${ref.label}…`);
    const [{ loadModel, forward, speedHere }, { holdIfSlow }] = await Promise.all([import('./run-model'), import('./probe')]);
    const waitStart = performance.now();
    const loaded = await loadModel(ref, {
      preference: params.device,
      where: ctx.where,
      resources: ctx.resources,
      onProgress: (fraction, message) => ctx.progress(0.05 + 0.8 * fraction, message),
    });
    const loadWaitMs = performance.now() - waitStart;
    await ctx.checkpoint();
    checkIdsInVocabulary(real, loaded.vocabSize, ref, ids.tokenizer);
    const dropped = Math.max(0, real.length - loaded.maxPositions);
    const read = real.slice(dropped);
    const vocab = await modelVocabulary(ref, ctx.resources);
    // Measured here, right after loading (Generate's time budget): a long pass in a slow browser
    // is said before it runs, with the server one click away.
    const speed = params.askAboveS > 0 && read.length > NEVER_HELD_POSITIONS ? await speedHere(loaded) : null;
    const held = holdIfSlow({ speed, ref }, { positions: read.length, newTokens: 0 }, params.askAboveS, SHIPPED_MODEL.weightsId);
    let analysis: Analysis;
    let runMs = 0;
    if (held) {
      const predictions = { model: ref.label, positions: read.length, ids: read, tokens: read.map((id) => vocab[id] ?? `#${id}`), topK: [], backend: loaded.backend };
      analysis = { predictions, position: read.length - 1, positionNote: null, attention: null, embedding: null };
    } else {
      ctx.progress(0.9, 'Running the model…');
      const t0 = performance.now();
      const result = await forward(loaded, read);
      runMs = performance.now() - t0;
      analysis = analyse({ loaded, result, ids: read, vocab, topK: params.topK, position: params.position });
    }
    const details: TransformerDetails = {
      ...analysis,
      warning,
      backendNote: loaded.backendNote,
      backendReason: loaded.backendReason,
      threads: loaded.threads,
      dropped,
      paddingDropped: ids.ids.length - real.length,
      loadMs: loaded.loadMs,
      loadPhases: loaded.loadPhases,
      loadWaitMs,
      runMs,
      layers: loaded.layers,
      heads: loaded.heads,
      width: loaded.width,
      vocabSize: loaded.vocabSize,
      maxPositions: loaded.maxPositions,
      modelTokenizer: tokenizerLabel(ref.tokenizer),
      idsTokenizer: ids.tokenizer,
      hasAttentionOutputs: loaded.hasAttentions,
      fineTuned: ref.onnx !== undefined,
      ollama: null,
      held,
      modelCard: modelCardLine({ label: ref.label, layers: loaded.layers, heads: loaded.heads, width: loaded.width, card: ref.card }),
    };
    return { predictions: analysis.predictions, details };
  },
  view: ({ outputs, details }) => {
    const d = details!;
    const p = outputs.predictions;
    return {
      model: p.model,
      backend: p.backend as Backend | 'ollama',
      backendNote: d.backendNote,
      backendReason: d.backendReason ?? null,
      threads: d.threads ?? null,
      warning: d.warning,
      tokens: p.tokens.slice(-256),
      ids: p.ids.slice(-256),
      positions: p.positions,
      topK: p.topK,
      position: d.position,
      positionNote: d.positionNote,
      attention: d.attention,
      embedding: d.embedding,
      dropped: d.dropped,
      paddingDropped: d.paddingDropped,
      loadMs: d.loadMs,
      loadPhases: d.loadPhases ?? null,
      loadWaitMs: d.loadWaitMs,
      runMs: d.runMs,
      layers: d.layers,
      heads: d.heads,
      width: d.width,
      vocabSize: d.vocabSize,
      maxPositions: d.maxPositions,
      modelTokenizer: d.modelTokenizer,
      idsTokenizer: d.idsTokenizer,
      hasAttentionOutputs: d.hasAttentionOutputs,
      fineTuned: d.fineTuned,
      ollama: d.ollama,
      held: d.held ?? null,
      modelCard: d.modelCard ?? null,
    };
  },
});

/**
 * Fine-tune: real gradient steps (TensorFlow.js, wasm or WebGPU) on the user's text, to answer
 * "Do token IDs change during fine-tuning?". They do not: training changes the weights (the
 * embedding rows, the attention matrices, the predictions) and never the tokenizer, so the watch
 * text's IDs are the same before and after, and the node checks that they are.
 *
 * Reads `text` (the fine-tune text), an optional `model` (default: the shipped tokenloom-tiny) and
 * an optional `tokenizer` for the watch text's IDs (default: GPT-2's, the model's own). Writes
 * `model`: the same model with its ONNX initializers replaced by the trained weights, which the
 * Transformer and Generate nodes load like the shipped one.
 *
 * A model trained here (nodes/train-model) is fine-tuned the same way, with its own tokenizer.
 *
 * Not handled here: models other than the shipped GPT-2 architecture (and hub models), resuming
 * a stopped run (Stop discards it), and streaming the curves mid-run (progress messages carry the
 * latest step; the inspector gets the whole history when the run ends).
 */
import { z } from 'zod';
import { defineNode, type Resources } from '../engine/define-node';
import { compactCount } from '../shared/model-card';
import { SHIPPED_MODEL, type ModelRef } from '../shared/model-ref';
import { bpeDecoderFor, bpeEncoderFor, encodeWith, eosIdOf, idToToken, loadPretrained, type TokenizerRef } from '../shared/tokenizer-ref';
import { HELD_OUT_SOTU_EXCERPT } from '../text/heldout-sample';
import { FINETUNE_BACKENDS, loadTf } from './backend';
import { finetune, type Candidate, type FinetuneResult, type StepRecord } from './finetune';
import { readModelBytes, shortHash } from '../shared/onnx/model-bytes';

/** Where the held-out curve's text comes from: the model's own corpus (State of the Union). */
export const CORPUS_LABEL = "State of the Union, 1809 (Madison): from the model's corpus, but held out of its training";

/** One step's numbers, as streamed while training runs. */
export interface LiveStep {
  step: number;
  fineTuneLoss: number;
  corpusLoss: number;
  watchedChange: number;
}

/** What the Fine-tune node reports after every step (its progress data). */
export interface FinetuneLive {
  steps: number;
  history: LiveStep[];
}

export interface WatchIds {
  tokenizer: string;
  before: { id: number; piece: string }[];
  after: { id: number; piece: string }[];
  identical: boolean;
}

export interface ShownCandidate extends Candidate {
  piece: string;
  text: string;
}

export interface FinetuneDetails {
  backend: string;
  backendDetail: string;
  steps: number;
  freezeEmbedding: boolean;
  trainTokens: number;
  stepMs: number;
  corpusLabel: string;
  history: (Omit<StepRecord, 'probeTop'> & { probeTop1: string })[];
  watch: WatchIds;
  /** Set when the watch tokenizer is not the model's: the rows shown are the model's tokens. */
  watchNote: string | null;
  watchedRows: { id: number; piece: string; change: number; norm: number; inTrainingText: number }[];
  attention: FinetuneResult['attention'];
  probePrompt: string;
  probeBefore: ShownCandidate[];
  probeAfter: ShownCandidate[];
  modelLabel: string;
  weightsId: string;
}

/** The model's own tokenizer: GPT-2's for the shipped model, the one it was trained on for a model trained here. */
async function modelTokenizer(model: ModelRef, resources: Resources) {
  const own = model.tokenizerRef;
  if (own?.kind === 'bpe') {
    const [encoder, decoder] = [bpeEncoderFor(own.model), bpeDecoderFor(own.model)];
    return {
      label: `${own.label} (the model’s tokenizer)`,
      encode: (text: string) => encoder.encodeTokens(text).map((t) => t.id),
      piece: (id: number) => own.model.tokens[id] ?? `#${id}`,
      text: (id: number) => decoder.decode([id]),
    };
  }
  const loaded = await loadPretrained(own?.kind === 'pretrained' ? own.name : 'gpt2', resources);
  const vocab = idToToken(loaded.tokenizer);
  return {
    label: `${own?.label ?? 'GPT-2'} (the model’s tokenizer)`,
    encode: (text: string) => loaded.tokenizer.encode(text, { add_special_tokens: false }) as number[],
    piece: (id: number) => vocab[id] ?? `#${id}`,
    text: (id: number) => loaded.tokenizer.decode([id], { skip_special_tokens: false }),
  };
}

/** The watch text's IDs through the connected tokenizer, or GPT-2's when none is connected. */
async function watchIds(text: string, tokenizer: TokenizerRef | undefined, resources: Resources, model: Awaited<ReturnType<typeof modelTokenizer>>) {
  if (!tokenizer) {
    const ids = model.encode(text);
    return { tokenizer: model.label, pieces: ids.map((id) => ({ id, piece: model.piece(id) })) };
  }
  const tokens = await encodeWith(tokenizer, text, resources, false);
  return { tokenizer: tokens.tokenizer, pieces: tokens.pieces.map(({ id, piece }) => ({ id, piece })) };
}

const sameIds = (a: { id: number }[], b: { id: number }[]) => a.length === b.length && a.every((t, i) => t.id === b[i]!.id);

export const finetuneNode = defineNode({
  type: 'finetune',
  version: 1,
  title: 'Fine-tune',
  question: 'Do token IDs change during fine-tuning?',
  summary: 'Train the model on your text for a few steps and see what changes: weights, yes; token IDs, no.',
  category: 'model',
  inputs: {
    text: { kind: 'text', label: 'fine-tune text' },
    model: { kind: 'model', label: 'model', optional: true },
    tokenizer: { kind: 'tokenizer', label: 'tokenizer (watch IDs)', optional: true },
  },
  outputs: {
    model: { kind: 'model', label: 'fine-tuned model' },
  },
  params: z.object({
    steps: z.number().int().min(1).max(500).default(20).describe('Training steps'),
    learningRate: z.number().min(1e-6).max(0.1).default(1e-3).describe('Learning rate (Adam)'),
    batchSize: z.number().int().min(1).max(32).default(4).describe('Batch size (windows per step)'),
    seqLength: z.number().int().min(4).max(256).default(32).describe('Sequence length (tokens per window)'),
    freezeEmbedding: z.boolean().default(false).describe('Freeze the embedding table (and the tied output layer)'),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(1).describe('Seed (which windows each step trains on)'),
    watchText: z.string().max(500).default('I love NLP').describe('Watch text (its IDs and embedding rows are tracked)'),
    probePrompt: z.string().max(500).default('The state of the Union is').describe('Probe prompt (top-5 next tokens before and after)'),
    backend: z.enum(FINETUNE_BACKENDS).default('auto').describe('Backend (auto: WebGPU on a real GPU, else WASM)'),
  }),
  run: async ({ text, model: input, tokenizer }, params, ctx) => {
    const model: ModelRef = input ?? SHIPPED_MODEL;
    if (model.tokenizer !== 'gpt2' && !model.tokenizerRef) throw new Error(`Fine-tune trains GPT-2-architecture models that read GPT-2's IDs, or models trained here; '${model.label}' is neither.`);
    if (text.trim() === '') throw new Error('Fine-tune needs text to train on: connect a Text node.');
    ctx.progress(0, 'Loading the model and TensorFlow.js…');
    const [bytes, loaded, tok] = await Promise.all([readModelBytes(model, ctx.resources), loadTf(params.backend, ctx.where), modelTokenizer(model, ctx.resources)]);
    await ctx.checkpoint();

    const watchBefore = await watchIds(params.watchText, tokenizer, ctx.resources, tok);
    // The curves so far travel with each step's progress, so the inspector draws them live.
    const live: LiveStep[] = [];
    const modelWatch = tok.encode(params.watchText);
    const result = await finetune(
      loaded.tf,
      {
        modelBytes: bytes,
        modelName: model.name,
        heads: typeof model.config?.n_head === 'number' ? model.config.n_head : undefined,
        separator: model.tokenizerRef ? (eosIdOf(model.tokenizerRef) ?? undefined) : undefined,
        trainIds: tok.encode(text),
        corpusIds: tok.encode(HELD_OUT_SOTU_EXCERPT),
        watchIds: modelWatch,
        probeIds: tok.encode(params.probePrompt),
      },
      params,
      {
        checkpoint: ctx.checkpoint,
        onStep: (r, steps) => {
          live.push({ step: r.step, fineTuneLoss: r.fineTuneLoss, corpusLoss: r.corpusLoss, watchedChange: r.watchedChange });
          ctx.progress(
            r.step / steps,
            r.step === 0
              ? `Before training: loss ${r.fineTuneLoss.toFixed(3)} on your text, ${r.corpusLoss.toFixed(3)} on held-out text from the model's corpus`
              : `Step ${r.step}/${steps} · loss ${r.fineTuneLoss.toFixed(3)} (held-out ${r.corpusLoss.toFixed(3)}) · watched rows moved ${r.watchedChange.toFixed(4)} · ${Math.round(r.ms)} ms`,
            { steps, history: live.slice() } satisfies FinetuneLive,
          );
        },
      },
    );
    // Encode again after training: same tokenizer, same text, so the same IDs. That is the answer.
    const watchAfter = await watchIds(params.watchText, tokenizer, ctx.resources, tok);

    const weightsId = `${model.name}-ft-${shortHash(result.onnx)}`;
    const label = `${model.name} fine-tuned (${params.steps} steps)`;
    const shown = (c: Candidate): ShownCandidate => ({ ...c, piece: tok.piece(c.id), text: tok.text(c.id) });
    const details: FinetuneDetails = {
      backend: loaded.backend,
      backendDetail: loaded.detail,
      steps: params.steps,
      freezeEmbedding: params.freezeEmbedding,
      trainTokens: result.trainTokens,
      stepMs: result.stepMs,
      corpusLabel: CORPUS_LABEL,
      history: result.history.map(({ probeTop, ...r }) => ({ ...r, probeTop1: probeTop[0] ? tok.text(probeTop[0].id) : '' })),
      watch: { tokenizer: watchBefore.tokenizer, before: watchBefore.pieces, after: watchAfter.pieces, identical: sameIds(watchBefore.pieces, watchAfter.pieces) },
      watchNote: sameIds(watchBefore.pieces, modelWatch.map((id) => ({ id })))
        ? null
        : `${watchBefore.tokenizer} is not the model’s tokenizer: the embedding rows below are those of the model’s own tokens (${tok.label}) for the watch text.`,
      watchedRows: result.watchedRows.map((r) => ({ ...r, piece: tok.piece(r.id) })),
      attention: result.attention,
      probePrompt: params.probePrompt,
      probeBefore: result.probeBefore.map(shown),
      probeAfter: result.probeAfter.map(shown),
      modelLabel: label,
      weightsId,
    };
    return {
      model: {
        ...model,
        label,
        onnx: result.onnx,
        weightsId,
        // Same size; what it read grew, and its held-out figure no longer applies to these weights.
        ...(model.card && { card: { ...model.card, trainedOn: `${model.card.trainedOn}, then fine-tuned here on ${compactCount(result.trainTokens)} tokens`, heldOut: null } }),
      },
      details,
    };
  },
  view: ({ details }): FinetuneDetails | null => details ?? null,
});

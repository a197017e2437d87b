/**
 * Train model: a small GPT-2 trained from scratch on the learner's own tokenizer and corpus, to
 * answer "Can I train a model on my own tokenizer?". Its vocabulary is the tokenizer's, so a
 * tokenizer trained on Odia gets a model that reads Odia tokens; the inspector shows the train
 * and held-out loss falling below the unigram and bigram lines, and a sample from a fixed prompt
 * every few steps going from noise to words.
 *
 * Reads `tokenizer` (a BPE trained on the canvas, or a pretrained one) and `corpus` (text; its
 * last tenth is held out). Writes `model`: ONNX bytes in the shipped model's layout plus its
 * config.json and tokenizer, which the Transformer, Generate and Fine-tune nodes run like the
 * shipped one. Training runs where the graph runs: the worker's TensorFlow.js on WASM or WebGPU
 * (on Auto, as a few timed steps of this model decide: backend.ts), or the server's engine
 * process on WASM. Stop keeps the state: the next run with the same recipe continues from the
 * step it reached, and gives the weights an uninterrupted run would.
 *
 * Not handled here: the training loop (train.ts), presets and input checks (presets.ts), the
 * embedding projection (embedding-map.ts), and keeping the trained weights past the realm (a
 * saved graph keeps the recipe; opening it trains again, with the same result on the same
 * backend).
 */
import { z } from 'zod';
import { defineNode } from '../engine/define-node';
import { fingerprint, shareWork } from '../engine/shared-work';
import { codecFor, encodeWith, eosIdOf, spellingOfRef, type TokenizerRef } from '../shared/tokenizer-ref';
import { FINETUNE_BACKENDS } from '../finetune/backend';
import { gpt2Onnx } from '../shared/onnx/gpt2-onnx';
import { shortHash } from '../shared/onnx/model-bytes';
import type { ModelRef } from '../shared/model-ref';
import { compactCount } from '../shared/model-card';
import { baselines, type Baselines } from './baselines';
import { CUSTOM_BOUNDS, PRESETS, architecture, checkVocabulary, presetSpec, splitCorpus } from './presets';
import { Trainer, type LossPoint } from './train';
import { hfConfig, modelFiles, pretrainedFilesOf, type PretrainedFiles } from './model-files';
import { withTrainer } from './resume';
import { loadTrainTf, timeTrainingStep } from './backend';
import { embeddingMap, watchedTokens, type EmbeddingMap, type EmbeddingMapView } from './embedding-map';

/** Points of the curves sent with each progress message (the whole history comes at the end). */
const LIVE_POINTS = 400;
const SAMPLES_KEPT = 40;
/**
 * At most this many logits per batch (tokens × vocabulary): the [tokens, vocab] tensors of the
 * output layer and its gradient dominate memory, so a big vocabulary trains on fewer windows.
 */
const LOGITS_PER_BATCH = 8 * 1024 * 1024;

export interface ShownSample {
  step: number;
  text: string;
}

/** What the node reports after every step (its progress data) and, complete, in its view. */
export interface TrainLive {
  steps: number;
  step: number;
  history: LossPoint[];
  baselines: Baselines;
  samples: ShownSample[];
  tokensPerSecond: number;
  msPerStep: number;
  /** Seconds to the end of training at the current speed (0 once it has ended). */
  secondsLeft: number;
  /** The next milestone: the next step with a sample, or null once training has ended. */
  nextSampleStep: number | null;
  /** Seconds to that sample at the current speed; null with it. */
  secondsToNextSample: number | null;
  /** The most frequent tokens' embeddings in 2-D, one snapshot per held-out evaluation. */
  embedding: EmbeddingMapView;
}

export interface TrainDetails extends TrainLive {
  backend: string;
  backendDetail: string;
  preset: string;
  layers: number;
  width: number;
  heads: number;
  context: number;
  vocabSize: number;
  parameters: number;
  tokenizer: string;
  trainTokens: number;
  heldOutTokens: number;
  prompt: string;
  batchSize: number;
  /** Characters of held-out text per held-out token: loss per token ÷ this = loss per character, comparable across tokenizers. */
  charsPerToken: number;
  /** Steps trained: fewer than asked when the time budget ran out. */
  stepsDone: number;
  timeBudget: number;
  /** The step this run continued from (0: it started fresh). */
  resumedFrom: number;
  modelLabel: string;
  weightsId: string;
  onnxBytes: number;
}

/** What the node keeps with its result besides the view: the pretrained tokenizer's files, for the download. */
interface Kept extends TrainDetails {
  pretrainedFiles: PretrainedFiles | null;
}

/** What identifies a tokenizer's ids: one trained on the canvas by its whole model, a pretrained one by name. */
function tokenizerKey(tokenizer: TokenizerRef): string {
  if (tokenizer.kind === 'pretrained') return `pretrained:${tokenizer.name}`;
  return `${tokenizer.kind}:${fingerprint(JSON.stringify(tokenizer.model))}`;
}

/** Every n-th point (and the last), so a long history stays small on the wire. */
function thin<T>(points: readonly T[], max: number): T[] {
  if (points.length <= max) return [...points];
  const every = Math.ceil(points.length / max);
  return points.filter((_, i) => i % every === 0 || i === points.length - 1);
}

export const trainModelNode = defineNode({
  type: 'train-model',
  version: 1,
  title: 'Train model',
  question: 'Can I train a language model on my own tokenizer?',
  summary: 'A small GPT trained from scratch on your tokenizer and corpus: loss curves against n-gram baselines, samples as it learns.',
  category: 'model',
  inputs: {
    tokenizer: { kind: 'tokenizer', label: 'tokenizer' },
    corpus: { kind: 'text', label: 'corpus' },
  },
  outputs: { model: { kind: 'model', label: 'trained model' } },
  params: z.object({
    preset: z.enum(PRESETS).default('tiny').describe('Size (tiny: 2 × 32, context 64; small: 4 × 128, context 128; custom: below)'),
    steps: z.number().int().min(1).max(5000).default(200).describe('Training steps'),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(1).describe('Seed (initial weights and batches)'),
    prompt: z.string().max(200).default('').describe('Sample prompt (empty: the start of the held-out text)'),
    sampleEvery: z.number().int().min(1).max(1000).default(25).describe('A sample every … steps'),
    evalEvery: z.number().int().min(1).max(1000).default(10).describe('Held-out loss every … steps'),
    timeBudget: z.number().int().min(0).max(600).default(0).describe('Time budget in seconds (0 = none; stops early, so the result then depends on the machine)'),
    layers: z.number().int().min(CUSTOM_BOUNDS.nLayer[0]).max(CUSTOM_BOUNDS.nLayer[1]).default(2).describe('Layers (custom size)'),
    width: z.number().int().min(CUSTOM_BOUNDS.nEmbd[0]).max(CUSTOM_BOUNDS.nEmbd[1]).multipleOf(4).default(64).describe('Width (custom size; a multiple of 4)'),
    context: z.number().int().min(CUSTOM_BOUNDS.context[0]).max(CUSTOM_BOUNDS.context[1]).default(64).describe('Context in tokens (custom size)'),
    backend: z.enum(FINETUNE_BACKENDS).default('auto').describe('Backend (auto = measured: WebGPU only on a hardware GPU that trains this model faster than WASM)'),
  }),
  run: async ({ tokenizer, corpus }, params, ctx) => {
    const spec = presetSpec(params.preset, params);
    const codec = await codecFor(tokenizer, ctx.resources);
    const vocabSize = codec.vocabSize;
    checkVocabulary(vocabSize, params.preset, spec, tokenizer.label);
    if (corpus.trim() === '') throw new Error('Train model needs a corpus to learn from: connect a Text node with your text.');
    const config = architecture(spec, vocabSize);

    ctx.progress(0, 'Tokenizing the corpus…');
    const ids = (await encodeWith(tokenizer, corpus, ctx.resources, false)).pieces.map((p) => p.id);
    const outside = ids.find((id) => id < 0 || id >= vocabSize);
    if (outside !== undefined) throw new Error(`${tokenizer.label} gave ID ${outside}, outside its own vocabulary of ${vocabSize.toLocaleString('en')}: the model cannot have a row for it.`);
    const { train, heldOut } = splitCorpus(ids, config.nPositions);
    await ctx.checkpoint();
    const lines = baselines(train, heldOut, vocabSize);
    const watched = watchedTokens(train, vocabSize);
    const spelling = spellingOfRef(tokenizer);
    const heldOutChars = codec.decode(Array.from(heldOut)).length;
    const promptIds = (params.prompt.trim() ? (await encodeWith(tokenizer, params.prompt, ctx.resources, false)).pieces.map((p) => p.id) : Array.from(heldOut.subarray(0, 4))).slice(
      -Math.floor(config.nPositions / 2),
    );
    if (promptIds.length === 0) throw new Error('The sample prompt has no tokens: type a prompt, or leave it empty to use the held-out text.');
    const promptText = codec.decode(promptIds);
    const decode = (sample: readonly number[]) => codec.decode(sample);

    const batchSize = Math.max(1, Math.min(spec.batchSize, Math.floor(LOGITS_PER_BATCH / (config.nPositions * vocabSize))));
    ctx.progress(0, 'Loading TensorFlow.js…');
    // Auto with a hardware GPU: a few steps of this model timed on WASM and WebGPU choose (backend.ts).
    const loaded = await loadTrainTf(params.backend, ctx.where, JSON.stringify([config, batchSize]), (tf) => timeTrainingStep(tf, config, train, batchSize));
    const options = { batchSize, learningRate: spec.learningRate, decaySteps: params.steps, seed: params.seed, evalEvery: params.evalEvery, sampleEvery: params.sampleEvery, sampleTokens: 24 };
    const recipe = JSON.stringify([tokenizerKey(tokenizer), fingerprint(corpus), config, options, promptIds, loaded.backend]);

    const texts = new Map<number, string>();
    /** `ended`: training is over (done, or out of time), so nothing is left to wait for. */
    const liveOf = async (trainer: Trainer, map: EmbeddingMap, steps: number, ended = false): Promise<TrainLive> => {
      for (const s of trainer.samples.slice(-SAMPLES_KEPT)) if (!texts.has(s.step)) texts.set(s.step, decode(s.ids));
      const trained = trainer.history.length - 1;
      const msPerStep = trainer.step > 0 ? trainer.trainMs / Math.max(1, trainer.step - trainer.resumedAt) : 0;
      const next = trainer.step >= steps || ended ? null : Math.min(Math.ceil((trainer.step + 1) / params.sampleEvery) * params.sampleEvery, steps);
      return {
        steps,
        step: trainer.step,
        history: thin(trainer.history, LIVE_POINTS),
        baselines: lines,
        samples: trainer.samples.slice(-SAMPLES_KEPT).map((s) => ({ step: s.step, text: texts.get(s.step)! })),
        tokensPerSecond: msPerStep > 0 ? (trainer.tokensPerStep * 1000) / msPerStep : 0,
        msPerStep,
        secondsLeft: ended ? 0 : (msPerStep * Math.max(0, steps - trained)) / 1000,
        nextSampleStep: next,
        secondsToNextSample: next === null || msPerStep === 0 ? null : (msPerStep * (next - trainer.step)) / 1000,
        embedding: map.view((id) => codec.piece(id), spelling),
      };
    };

    const result = await shareWork(`train-model:${recipe}:${params.steps}:${params.timeBudget}`, ctx, async ({ checkpoint, progress }) => {
      const create = () => new Trainer(loaded.tf, config, { trainIds: train, heldOutIds: heldOut, promptIds }, options);
      return withTrainer(recipe, params.steps, create, async (trainer) => {
        const resumedFrom = trainer.step;
        const map = embeddingMap(trainer, watched);
        const started = performance.now();
        trainer.resumedAt = trainer.step;
        trainer.trainMs = 0;
        await trainer.trainTo(params.steps, {
          checkpoint,
          until: () => params.timeBudget > 0 && performance.now() - started > params.timeBudget * 1000,
          onStep: async (t) => {
            const last = t.history.at(-1)!;
            if (last.heldOutLoss !== null) await map.snap(t);
            const live = await liveOf(t, map, params.steps);
            const heldOutText = last.heldOutLoss === null ? '' : ` · held-out ${last.heldOutLoss.toFixed(3)}`;
            progress(t.step / params.steps, t.step === 0 ? `Before training: loss ${last.trainLoss.toFixed(3)}` : `Step ${t.step}/${params.steps} · loss ${last.trainLoss.toFixed(3)}${heldOutText}`, live);
          },
        });
        const onnx = gpt2Onnx(config, await trainer.weights());
        return { onnx, live: await liveOf(trainer, map, params.steps, true), resumedFrom, fullHistory: [...trainer.history], stepsDone: trainer.step };
      });
    });

    const weightsId = `trained-${shortHash(result.onnx)}`;
    const modelLabel = `${spec.label.split(':')[0]} model on ${tokenizer.label} (${config.nLayer} × ${config.nEmbd}, ${result.stepsDone} steps)`;
    const model: ModelRef = {
      name: 'trained',
      label: modelLabel,
      tokenizer: tokenizer.label,
      vocabSize,
      onnx: result.onnx,
      weightsId,
      config: hfConfig(config, eosIdOf(tokenizer)),
      tokenizerRef: tokenizer,
    };
    const c = config.nEmbd;
    const parameters = (vocabSize + config.nPositions) * c + config.nLayer * (12 * c * c + 13 * c) + 2 * c;
    // The one-line card the Transformer and Generate inspectors show (shared/model-card.ts).
    const lastHeldOut = result.fullHistory.findLast((h) => h.heldOutLoss !== null)?.heldOutLoss ?? null;
    model.card = {
      parameters,
      trainedOn: `${compactCount(train.length)} tokens of the corpus wired in here, ${result.stepsDone} steps`,
      heldOut: lastHeldOut === null ? null : { perplexity: Math.exp(lastHeldOut), bigramPerplexity: Math.exp(lines.bigram), tokens: heldOut.length },
    };
    const details: Kept = {
      pretrainedFiles: await pretrainedFilesOf(tokenizer, ctx.resources),
      ...result.live,
      history: result.fullHistory,
      backend: loaded.backend,
      backendDetail: loaded.detail,
      preset: spec.label,
      layers: config.nLayer,
      width: c,
      heads: config.nHead,
      context: config.nPositions,
      vocabSize,
      parameters,
      tokenizer: tokenizer.label,
      trainTokens: train.length,
      heldOutTokens: heldOut.length,
      prompt: promptText,
      batchSize,
      charsPerToken: heldOutChars / heldOut.length,
      resumedFrom: result.resumedFrom,
      stepsDone: result.stepsDone,
      timeBudget: params.timeBudget,
      modelLabel,
      weightsId,
      onnxBytes: result.onnx.length,
    };
    return { model, details };
  },
  view: ({ details }): TrainDetails | null => {
    if (!details) return null;
    const { pretrainedFiles: _files, ...shown } = details;
    return { ...shown, history: thin(details.history, 2000) };
  },
  /** The model's files (ONNX, config.json, tokenizer.json, …) for the inspector's download. */
  query: ({ outputs, details }, request: { files: true }) => (request.files ? modelFiles(outputs.model, details?.pretrainedFiles ?? null) : null),
});

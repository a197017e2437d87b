/**
 * Train a GPT-2 from scratch on token ids, with the Fine-tune node's tfjs model (finetune/gpt2.ts)
 * and the same optimiser (tfjs Adam), one step at a time, so a run can stop and later continue.
 *
 * Deterministic for a seed on one backend: the weights start from `initialWeights(config, seed)`,
 * and step s trains on windows drawn by mulberry32 seeded with (seed, s) alone, so the batches do
 * not depend on how the steps were split into runs. A `Trainer` keeps its weights and Adam's
 * moments between `trainTo` calls: training to 20, stopping, then to 40 gives the weights of one
 * run to 40 (tests/unit/nodes/train-model.test.ts checks it).
 *
 *   const trainer = new Trainer(tf, config, data, { batchSize: 8, learningRate: 3e-3, seed: 1, evalEvery: 10, sampleEvery: 20, sampleTokens: 24 });
 *   await trainer.trainTo(40, hooks);           // hooks.checkpoint throws to stop between steps
 *   trainer.history.at(-1)!.heldOutLoss < trainer.history[0]!.heldOutLoss   // it learned
 *   const onnx = gpt2Onnx(config, await trainer.weights());
 *
 * The learning rate of a step is a function of the step alone (`learningRateAt`: a cosine
 * decay from the peak to a tenth of it at `decaySteps`), set on tfjs' Adam before each step, so
 * a resumed run follows the same schedule. Without the decay the tiny preset overfits the
 * English sample within 300 steps (held-out 5.90 at step 150, 6.29 at 300; with it, 5.84).
 *
 * Not handled here: tokenizing and checking the input (index.ts), warm-up, weight decay (tfjs
 * has no AdamW), gradient clipping, dropout, and saving state outside the realm (a terminated
 * worker loses it; the recipe rebuilds it).
 */
import type * as TfCore from '@tensorflow/tfjs';
import type { Tf } from '../finetune/backend';
import { EMBEDDING, Gpt2, initialWeights, weightNames, type Gpt2Config } from '../finetune/gpt2';
import { evenStarts } from '../finetune/finetune';
import { chooseNext, seededRandom } from '../transformer/sampling';

export interface TrainOptions {
  batchSize: number;
  /** Adam's learning rate at its peak (see `learningRateAt`). */
  learningRate: number;
  /** A cosine decay from the peak to a tenth of it at this step, then flat (0 or absent: none). */
  decaySteps?: number;
  seed: number;
  /** Held-out loss every this many steps (and at step 0 and the last step). */
  evalEvery: number;
  /** A sample from the prompt every this many steps (and at step 0 and the last step). */
  sampleEvery: number;
  sampleTokens: number;
}

export interface TrainData {
  trainIds: Int32Array;
  heldOutIds: Int32Array;
  /** The fixed prompt every sample continues. */
  promptIds: readonly number[];
}

export interface LossPoint {
  step: number;
  /** Loss of the batch the step trained on (for step 0: of the first batch, before training). */
  trainLoss: number;
  /** Mean loss on fixed held-out windows; null on steps without an evaluation. */
  heldOutLoss: number | null;
}

export interface SamplePoint {
  step: number;
  /** The new ids after the prompt. */
  ids: number[];
}

export interface TrainHooks {
  checkpoint?(): Promise<void>;
  /** Checked before each step: true ends training early (a time budget), in a resumable state. */
  until?(trainer: Trainer): boolean;
  /** After step 0 and every step. */
  onStep?(trainer: Trainer): void | Promise<void>;
}

export const EVAL_WINDOWS = 8;
/** Sampling settings and seed of every sample: the same for every step, so only the model changes. */
export const SAMPLE_RULE = { strategy: 'sample', temperature: 0.8, topK: 40, topP: 1 } as const;
const SAMPLE_SEED = 7;

/** The learning rate of step `step` (1-based): a function of the step alone, so a resumed run gets the same. */
export function learningRateAt(options: Pick<TrainOptions, 'learningRate' | 'decaySteps'>, step: number): number {
  const peak = options.learningRate;
  const decay = options.decaySteps ?? 0;
  if (decay <= 1) return peak;
  const progress = Math.min(1, (step - 1) / (decay - 1));
  return peak * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * progress)));
}

/** A different, repeatable stream of numbers per (seed, step). */
function stepRandom(seed: number, step: number): () => number {
  return seededRandom(Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(step + 1, 0xc2b2ae35));
}

export class Trainer {
  readonly model: Gpt2;
  private readonly optimizer: TfCore.Optimizer;
  private readonly heldOut: TfCore.Tensor2D;
  readonly history: LossPoint[] = [];
  readonly samples: SamplePoint[] = [];
  step = 0;
  /** Time spent in training steps (forward, backward, update), without evaluations and samples. */
  trainMs = 0;
  /** The step the current run started from (trainMs counts the steps since). */
  resumedAt = 0;
  private disposed = false;

  constructor(
    readonly tf: Tf,
    readonly config: Gpt2Config,
    readonly data: TrainData,
    readonly options: TrainOptions,
  ) {
    const window = config.nPositions + 1;
    if (data.trainIds.length < window) throw new Error(`Training needs at least ${window} tokens; it has ${data.trainIds.length}.`);
    if (data.heldOutIds.length < window) throw new Error(`The held-out part needs at least ${window} tokens; it has ${data.heldOutIds.length}.`);
    this.model = new Gpt2(tf, initialWeights(config, options.seed), config);
    this.optimizer = tf.train.adam(options.learningRate);
    this.heldOut = this.windows(data.heldOutIds, evenStarts(data.heldOutIds.length, window, EVAL_WINDOWS));
  }

  get tokensPerStep(): number {
    return this.options.batchSize * this.config.nPositions;
  }

  private windows(stream: Int32Array, starts: readonly number[]): TfCore.Tensor2D {
    const window = this.config.nPositions + 1;
    const flat = new Int32Array(starts.length * window);
    starts.forEach((s, i) => flat.set(stream.subarray(s, s + window), i * window));
    return this.tf.tensor2d(flat, [starts.length, window], 'int32');
  }

  /** The windows step `step` trains on: the same for a (seed, step) however the run was split. */
  batchStarts(step: number): number[] {
    const random = stepRandom(this.options.seed, step);
    const last = this.data.trainIds.length - (this.config.nPositions + 1);
    return Array.from({ length: this.options.batchSize }, () => Math.floor(random() * (last + 1)));
  }

  private async scalar(t: TfCore.Tensor): Promise<number> {
    const v = (await t.data())[0]!;
    t.dispose();
    return v;
  }

  async heldOutLoss(): Promise<number> {
    return this.scalar(this.tf.tidy(() => this.model.loss(this.heldOut)));
  }

  /** The prompt continued by `sampleTokens` sampled tokens, always at the same seed. */
  async sample(): Promise<number[]> {
    const tf = this.tf;
    const random = seededRandom(SAMPLE_SEED);
    const ids = [...this.data.promptIds];
    const out: number[] = [];
    for (let i = 0; i < this.options.sampleTokens; i++) {
      const context = ids.slice(-this.config.nPositions);
      const logits = tf.tidy(() => {
        const h = this.model.hidden(tf.tensor2d([context], [1, context.length], 'int32'));
        return tf.matMul(tf.slice(h, [context.length - 1, 0], [1, -1]), this.model.w(EMBEDDING), false, true);
      });
      const row = (await logits.data()) as Float32Array;
      logits.dispose();
      const next = chooseNext(row, SAMPLE_RULE, random).id;
      ids.push(next);
      out.push(next);
    }
    return out;
  }

  private due(step: number, every: number, target: number): boolean {
    return step === 0 || step === target || step % every === 0;
  }

  /** Train until `target` steps are done in all; a checkpoint that throws leaves a resumable state. */
  async trainTo(target: number, hooks: TrainHooks = {}): Promise<void> {
    if (this.disposed) throw new Error('This training was discarded.');
    const tf = this.tf;
    if (this.step === 0 && this.history.length === 0) {
      const first = this.windows(this.data.trainIds, this.batchStarts(1));
      const trainLoss = await this.scalar(tf.tidy(() => this.model.loss(first)));
      first.dispose();
      this.history.push({ step: 0, trainLoss, heldOutLoss: await this.heldOutLoss() });
      this.samples.push({ step: 0, ids: await this.sample() });
      await hooks.onStep?.(this);
    }
    while (this.step < target) {
      await hooks.checkpoint?.();
      if (hooks.until?.(this)) {
        await this.finishEarly();
        await hooks.onStep?.(this);
        break;
      }
      const step = this.step + 1;
      const batch = this.windows(this.data.trainIds, this.batchStarts(step));
      (this.optimizer as unknown as { learningRate: number }).learningRate = learningRateAt(this.options, step);
      const t0 = performance.now();
      const loss = this.optimizer.minimize(() => this.model.loss(batch), true);
      const trainLoss = loss ? await this.scalar(loss) : Number.NaN;
      this.trainMs += performance.now() - t0;
      batch.dispose();
      this.step = step;
      const heldOutLoss = this.due(step, this.options.evalEvery, target) ? await this.heldOutLoss() : null;
      this.history.push({ step, trainLoss, heldOutLoss });
      if (this.due(step, this.options.sampleEvery, target)) this.samples.push({ step, ids: await this.sample() });
      await hooks.onStep?.(this);
    }
  }

  /** Stopped before the target: the last step gets the held-out loss and sample a last step has. */
  private async finishEarly(): Promise<void> {
    const last = this.history.at(-1)!;
    if (last.heldOutLoss === null) last.heldOutLoss = await this.heldOutLoss();
    if (this.samples.at(-1)?.step !== this.step) this.samples.push({ step: this.step, ids: await this.sample() });
  }

  /** The weights now, by ONNX initializer name, with their shapes. */
  async weights(): Promise<Map<string, { dims: number[]; data: Float32Array }>> {
    const values = await this.model.values(weightNames(this.config));
    const out = new Map<string, { dims: number[]; data: Float32Array }>();
    for (const [name, data] of values) out.set(name, { dims: this.model.w(name).shape, data });
    return out;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.heldOut.dispose();
    this.optimizer.dispose();
    this.model.dispose();
  }
}

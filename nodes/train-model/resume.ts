/**
 * Trainings kept between runs in this realm (the worker, or one engine process), so that Stop
 * followed by Run continues from the step reached instead of starting over. Keyed by the recipe
 * (which holds the step count through the learning-rate schedule: another step count is another
 * schedule, so it trains afresh); one user of a training at a time (a second waits: its run
 * would otherwise step the same weights twice).
 *
 *   await withTrainer(recipe, 40, () => new Trainer(…), (t) => t.trainTo(40, hooks));
 *   // stopped at 25: the next withTrainer(recipe, 60, …) gets the trainer at step 25
 *
 * A training further along than the steps asked for is discarded and a fresh one made: the
 * weights after fewer steps are not kept. Only the last KEPT trainings stay; older ones are
 * disposed once nobody uses them.
 *
 * Not handled here: persistence (a reload or a terminated worker loses them; the recipe remains).
 */
import type { Trainer } from './train';
import { isAbortError } from '../engine/executor';

interface Slot {
  trainer: Trainer | null;
  /** Settles when the current user is done. */
  busy: Promise<void>;
}

const slots = new Map<string, Slot>();
export const KEPT = 2;

export async function withTrainer<T>(recipe: string, steps: number, create: () => Trainer, use: (trainer: Trainer) => Promise<T>): Promise<T> {
  let slot = slots.get(recipe);
  if (!slot) {
    slot = { trainer: null, busy: Promise.resolve() };
    slots.set(recipe, slot);
  }
  // Most recently used last.
  slots.delete(recipe);
  slots.set(recipe, slot);
  const previous = slot.busy;
  let release!: () => void;
  slot.busy = new Promise((resolve) => (release = resolve));
  const own = slot;
  try {
    await previous;
    if (own.trainer && own.trainer.step > steps) {
      own.trainer.dispose();
      own.trainer = null;
    }
    own.trainer ??= create();
    const trainer = own.trainer;
    try {
      return await use(trainer);
    } catch (error) {
      // Stopped between steps: the state is whole, keep it. Anything else: start over next time.
      if (!isAbortError(error)) {
        trainer.dispose();
        if (own.trainer === trainer) own.trainer = null;
      }
      throw error;
    }
  } finally {
    release();
    evict();
  }
}

function evict() {
  while (slots.size > KEPT) {
    const [recipe, slot] = slots.entries().next().value as [string, Slot];
    slots.delete(recipe);
    void slot.busy.then(() => slot.trainer?.dispose());
  }
}

/** Drops every kept training, as a reload or a new worker does (for tests of what a reopened graph gives). */
export function forgetTrainings(): void {
  for (const [recipe, slot] of slots) {
    slots.delete(recipe);
    void slot.busy.then(() => slot.trainer?.dispose());
  }
}

/** The step a kept training has reached, or null: for tests and the inspector. */
export function keptStep(recipe: string): number | null {
  return slots.get(recipe)?.trainer?.step ?? null;
}

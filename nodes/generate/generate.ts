/**
 * The generation loop: feed the prompt, then again and again pick a next token from the logits
 * (greedy or sampled by the rule) and feed it back, until the token budget, the end-of-text
 * token or the model's context runs out. Model-free: `feed` is any function from new tokens to
 * the logits after the last of them (run-model.ts's IncrementalDecoder in the node; a table in
 * tests).
 *
 *   await generateIds({ prompt: [40, 1842], feed, rule: GREEDY, maxNew: 3, eosId: 50256, random })
 *     // { steps: [{ id: 286, … }, { id: 262, … }, { id: 1578, … }], stopped: 'length' }
 *
 * Not handled here: batches, beams, repetition penalties, stop strings.
 */
import { chooseNext, type DecodingRule } from '../transformer/sampling';

export interface GenerateStep {
  id: number;
  /** The chosen token's probability under the model. */
  prob: number;
  /** How many tokens it was drawn from (1 for greedy). */
  pool: number;
}

export type StopReason = 'length' | 'eos' | 'context';

export interface GenerateArgs {
  prompt: readonly number[];
  feed: (ids: readonly number[]) => Promise<Float32Array>;
  rule: DecodingRule;
  /** New tokens at most. */
  maxNew: number;
  /** Positions the model can read; generation stops before running past them. */
  maxPositions?: number;
  /** Stop after this token (it is kept); null = never. */
  eosId: number | null;
  random: () => number;
  /** After each token: report progress, and throw to stop (ctx.checkpoint). */
  onStep?: (steps: readonly GenerateStep[]) => Promise<void> | void;
}

export async function generateIds(args: GenerateArgs): Promise<{ steps: GenerateStep[]; stopped: StopReason }> {
  const { prompt, feed, rule, maxNew, eosId, random, onStep } = args;
  const maxPositions = args.maxPositions ?? Infinity;
  const steps: GenerateStep[] = [];
  if (prompt.length === 0) throw new Error('Generation needs at least one prompt token.');
  let logits = await feed(prompt);
  for (;;) {
    const choice = chooseNext(logits, rule, random);
    steps.push({ id: choice.id, prob: choice.prob, pool: choice.pool });
    await onStep?.(steps);
    if (eosId !== null && choice.id === eosId) return { steps, stopped: 'eos' };
    if (steps.length >= maxNew) return { steps, stopped: 'length' };
    // The next feed would put the new token at position prompt + steps - 1; it must exist.
    if (prompt.length + steps.length >= maxPositions) return { steps, stopped: 'context' };
    logits = await feed([choice.id]);
  }
}

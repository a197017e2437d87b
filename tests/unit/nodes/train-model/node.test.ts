import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { AutoModelForCausalLM, AutoTokenizer, env } from '@huggingface/transformers';
import { createRecipeCache } from '@/nodes/engine/cache';
import { runningWork } from '@/nodes/engine/shared-work';
import { execute, type NodeOutcome, type RunEvent } from '@/nodes/engine/executor';
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import { nodeKinds, type ViewOf } from '@/nodes';
import type { ModelRef } from '@/nodes/shared/model-ref';
import type { TrainLive } from '@/nodes/train-model';
import { modelFiles } from '@/nodes/train-model/model-files';
import { forgetTrainings } from '@/nodes/train-model/resume';
import { loadGraphDoc } from '@/nodes/engine/graph-doc';
import { compactCount } from '@/nodes/shared/model-card';
import { SOTU_1862_EXCERPT } from '@/nodes/text/corpus-sample';
import { findTemplate } from '@/nodes/templates';
import { nodeResources } from '../../engine/fixtures';

type Spec = [id: string, type: string, params?: Record<string, unknown>];
function doc(nodes: Spec[], edges: [string, string, string, string][]): GraphDoc {
  return {
    schemaVersion: 1,
    title: 't',
    nodes: nodes.map(([id, type, params = {}]) => ({ id, type, params, position: { x: 0, y: 0 } })),
    edges: edges.map(([source, sourcePort, target, targetPort]) => ({ id: `${source}-${target}-${targetPort}`, source, sourcePort, target, targetPort })),
  };
}

const CORPUS = SOTU_1862_EXCERPT.slice(0, 12_000);
const TRAIN = { preset: 'tiny', steps: 6, evalEvery: 3, sampleEvery: 3, prompt: 'The United States' };

/** Corpus → Pretokenize → BPE (vocab 500) → Train model; the prompt → IDs → Transformer, Generate, Fine-tune on the trained model. */
function graph(train: Record<string, unknown> = TRAIN, extra: Spec[] = [], extraEdges: [string, string, string, string][] = []): GraphDoc {
  return doc(
    [
      ['corpus', 'text', { text: CORPUS }],
      ['pre', 'pretokenize', { mode: 'bytelevel' }],
      ['bpe', 'bpe', { vocabSize: 500 }],
      ['train', 'train-model', train],
      ...extra,
    ],
    [
      ['corpus', 'text', 'pre', 'text'],
      ['pre', 'pretokens', 'bpe', 'pretokens'],
      ['bpe', 'tokenizer', 'train', 'tokenizer'],
      ['corpus', 'text', 'train', 'corpus'],
      ...extraEdges,
    ],
  );
}

async function run(g: GraphDoc, options: { onEvent?: (e: RunEvent) => void; signal?: AbortSignal } = {}) {
  return execute(g, { registry: nodeKinds, cache: createRecipeCache(), where: 'server', resources: nodeResources, ...options });
}

function done<T>(outcome: NodeOutcome | undefined): { view: T; outputs: Record<string, unknown> } {
  if (outcome?.status !== 'done') throw new Error(`node did not finish: ${JSON.stringify(outcome)}`);
  return outcome as unknown as { view: T; outputs: Record<string, unknown> };
}

function failed(outcome: NodeOutcome | undefined): string {
  if (outcome?.status !== 'error') throw new Error(`expected an error, got ${JSON.stringify(outcome)}`);
  return (outcome as { message: string }).message;
}

describe('the Train model node', () => {
  it('trains on a BPE from the canvas, and the Transformer, Generate and Fine-tune nodes run the model it makes', async () => {
    const progress: TrainLive[] = [];
    const g = graph(
      TRAIN,
      [
        ['prompt', 'text', { text: 'The United States' }],
        ['enc', 'pretokenize', { mode: 'bytelevel' }],
        ['bpe2', 'bpe', { vocabSize: 500 }],
        ['ids', 'ids', {}],
        ['model', 'transformer', { topK: 5 }],
        ['gen', 'generate', { strategy: 'greedy', maxNewTokens: 8, stopAtEos: false }],
        ['ft', 'finetune', { steps: 1, batchSize: 1, seqLength: 8 }],
      ],
      [
        ['prompt', 'text', 'enc', 'text'],
        ['enc', 'pretokens', 'bpe2', 'pretokens'],
        ['corpus', 'text', 'bpe2', 'corpus'],
        ['bpe2', 'tokens', 'ids', 'tokens'],
        ['bpe2', 'tokenizer', 'ids', 'tokenizer'],
        ['ids', 'ids', 'model', 'ids'],
        ['train', 'model', 'model', 'model'],
        ['ids', 'ids', 'gen', 'ids'],
        ['train', 'model', 'gen', 'model'],
        ['prompt', 'text', 'ft', 'text'],
        ['train', 'model', 'ft', 'model'],
      ],
    );
    const report = await run(g, { onEvent: (e) => e.type === 'node:progress' && e.nodeId === 'train' && e.data && progress.push(e.data as TrainLive) });
    const train = done<ViewOf<'train-model'>>(report.outcomes.get('train'));
    const view = train.view!;
    expect(view.vocabSize).toBe(500);
    expect(view.history.map((h) => h.step)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(view.history.filter((h) => h.heldOutLoss !== null).map((h) => h.step)).toEqual([0, 3, 6]);
    expect(view.history.at(-1)!.heldOutLoss!).toBeLessThan(view.history[0]!.heldOutLoss!);
    expect(view.baselines.bigram).toBeLessThan(view.baselines.unigram);
    expect(view.samples.map((s) => s.step)).toEqual([0, 3, 6]);
    expect(view.prompt).toBe('The United States');
    // The curves arrived while it trained, one message per step.
    expect(progress.map((p) => p.step)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    // Each message names the next milestone and how long until it at the speed so far.
    const atOne = progress[1]!;
    expect(atOne.nextSampleStep).toBe(3);
    expect(atOne.msPerStep).toBeGreaterThan(0);
    expect(atOne.secondsToNextSample).toBeCloseTo((atOne.msPerStep * 2) / 1000, 6);
    expect(view.nextSampleStep).toBeNull();
    expect(view.secondsToNextSample).toBeNull();
    expect(view.secondsLeft).toBe(0);

    const model = train.outputs.model as ModelRef;
    expect(model.config!.vocab_size).toBe(500);
    expect(model.tokenizer).toBe('BPE (trained)');

    const transformer = done<ViewOf<'transformer'>>(report.outcomes.get('model')).view;
    expect(transformer.vocabSize).toBe(500);
    expect(transformer.layers).toBe(2);
    expect(transformer.width).toBe(32);
    expect(transformer.maxPositions).toBe(64);
    expect(transformer.warning).toBeNull();
    expect(transformer.tokens.join('')).toBe('TheĠUnitedĠStates');
    expect(transformer.embedding!.width).toBe(32);
    expect(transformer.attention!.layers).toHaveLength(2);
    const top = transformer.topK[0]!.candidates;
    expect(top).toHaveLength(5);
    expect(top.every((c) => c.id >= 0 && c.id < 500 && c.prob > 0)).toBe(true);

    // The inspectors' one line says what this model is: its size, what it read, its own held-out
    // perplexity against the bigram's on the same held-out tokens.
    const heldOutPerplexity = Math.exp(view.history.at(-1)!.heldOutLoss!).toFixed(1);
    const bigramPerplexity = Math.exp(view.baselines.bigram).toFixed(1);
    expect(transformer.modelCard).toContain(`2 layers × ${view.heads} heads, width 32, ${compactCount(view.parameters)} parameters`);
    expect(transformer.modelCard).toContain(`trained on ${compactCount(view.trainTokens)} tokens of the corpus wired in here, 6 steps`);
    expect(transformer.modelCard).toContain(`held-out perplexity ${heldOutPerplexity}, a bigram ${bigramPerplexity} on the same ${compactCount(view.heldOutTokens)} tokens`);

    const gen = done<ViewOf<'generate'>>(report.outcomes.get('gen')).view;
    expect(gen.modelCard).toBe(transformer.modelCard);
    expect(gen.steps).toHaveLength(8);
    expect(gen.steps.every((s) => s.id < 500)).toBe(true);
    // Greedy: the first new token is the Transformer's top-1.
    expect(gen.steps[0]!.id).toBe(top[0]!.id);

    const ft = done<ViewOf<'finetune'>>(report.outcomes.get('ft')).view!;
    expect(ft.watch.identical).toBe(true);
    expect(ft.watch.tokenizer).toBe('BPE (trained) (the model’s tokenizer)');
  }, 120_000);

  it('continues after a stop from the step it reached, to the weights of an uninterrupted run', async () => {
    // Enough steps that the training cannot end within the grace period after the stop (400 ms, about
    // four tiny steps on a quiet machine), so it really stops part way.
    const recipe = { ...TRAIN, steps: 16, seed: 11 };
    const controller = new AbortController();
    const first = await run(graph(recipe), {
      signal: controller.signal,
      onEvent: (e) => e.type === 'node:progress' && e.nodeId === 'train' && (e.data as TrainLive | undefined)?.step === 3 && controller.abort(),
    });
    expect(first.outcomes.get('train')?.status).not.toBe('done');
    // Once nobody waits for the training (its grace period), it stops at its next step: wait for
    // that, however slow the machine, then run again.
    await vi.waitFor(() => expect(runningWork().filter((key) => key.startsWith('train-model:'))).toEqual([]), { timeout: 60_000, interval: 25 });
    const resumed = done<ViewOf<'train-model'>>((await run(graph(recipe))).outcomes.get('train'));
    expect(resumed.view!.resumedFrom).toBeGreaterThanOrEqual(3);
    expect(resumed.view!.resumedFrom).toBeLessThan(recipe.steps);
    // Another recipe key (evalEvery does not change the weights), trained in one go.
    const whole = done<ViewOf<'train-model'>>((await run(graph({ ...recipe, evalEvery: 4 }))).outcomes.get('train'));
    expect(whole.view!.resumedFrom).toBe(0);
    expect((resumed.outputs.model as ModelRef).weightsId).toBe((whole.outputs.model as ModelRef).weightsId);
  }, 120_000);

  it('writes files that transformers.js loads from a folder and runs to the same next token', async () => {
    const report = await run(
      graph(
        { ...TRAIN, seed: 5 },
        [
          ['prompt', 'text', { text: 'The United States' }],
          ['enc', 'pretokenize', { mode: 'bytelevel' }],
          ['bpe2', 'bpe', { vocabSize: 500 }],
          ['ids', 'ids', {}],
          ['gen', 'generate', { strategy: 'greedy', maxNewTokens: 3, stopAtEos: false }],
        ],
        [
          ['prompt', 'text', 'enc', 'text'],
          ['enc', 'pretokens', 'bpe2', 'pretokens'],
          ['corpus', 'text', 'bpe2', 'corpus'],
          ['bpe2', 'tokens', 'ids', 'tokens'],
          ['bpe2', 'tokenizer', 'ids', 'tokenizer'],
          ['ids', 'ids', 'gen', 'ids'],
          ['train', 'model', 'gen', 'model'],
        ],
      ),
    );
    const model = done<ViewOf<'train-model'>>(report.outcomes.get('train')).outputs.model as ModelRef;
    const lab = done<ViewOf<'generate'>>(report.outcomes.get('gen')).outputs.ids as { ids: number[] };
    const files = modelFiles(model, null);
    const root = mkdtempSync(join(tmpdir(), 'tokenloom-trained-'));
    mkdirSync(join(root, 'mine', 'onnx'), { recursive: true });
    for (const [name, content] of Object.entries(files)) writeFileSync(join(root, 'mine', name), content);
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
    env.localModelPath = `${root}/`;
    const tokenizer = await AutoTokenizer.from_pretrained('mine');
    const lm = await AutoModelForCausalLM.from_pretrained('mine', { dtype: 'fp32' });
    const ids = tokenizer.encode('The United States');
    const out = (await lm.generate({ inputs: tokenizer('The United States').input_ids, max_new_tokens: 3, do_sample: false })) as { tolist(): bigint[][] };
    const generated = out.tolist()[0]!.map(Number);
    // The exported tokenizer gives the canvas's IDs, and the exported model continues them as the lab did.
    expect(generated).toEqual(lab.ids);
    expect(generated).toHaveLength(ids.length + 3);
    await lm.dispose();
    env.localModelPath = nodeResources.modelPath;
  }, 120_000);

  it('a saved graph keeps the recipe, not the weights, and opening it trains again to the same model', async () => {
    const saved = graph({ ...TRAIN, seed: 21 });
    const first = done<ViewOf<'train-model'>>((await run(saved)).outcomes.get('train'));
    const json = JSON.stringify(saved);
    const model = first.outputs.model as ModelRef;
    expect(json.length).toBeLessThan(CORPUS.length + 2000);
    expect(json).not.toContain(model.weightsId);
    // Opened again in a fresh realm: no kept training, no cache, only the document.
    forgetTrainings();
    const opened = loadGraphDoc(JSON.parse(json));
    if (!opened.ok) throw new Error(opened.message);
    const again = done<ViewOf<'train-model'>>((await run(opened.doc)).outcomes.get('train'));
    expect(again.view!.resumedFrom).toBe(0);
    expect((again.outputs.model as ModelRef).weightsId).toBe(model.weightsId);
    expect(again.view!.history).toEqual(first.view!.history);
    expect(again.view!.samples).toEqual(first.view!.samples);
  }, 120_000);

  it('ends early when its time budget runs out, with nothing left to wait for', async () => {
    const report = await run(graph({ ...TRAIN, steps: 5000, timeBudget: 1, evalEvery: 1000, sampleEvery: 1000 }));
    const view = done<ViewOf<'train-model'>>(report.outcomes.get('train')).view!;
    expect(view.stepsDone).toBeGreaterThan(0);
    expect(view.stepsDone).toBeLessThan(5000);
    // The last step reached gets its held-out loss and sample; no "time left", no next sample.
    expect(view.history.at(-1)!.heldOutLoss).not.toBeNull();
    expect(view.samples.at(-1)!.step).toBe(view.stepsDone);
    expect(view.secondsLeft).toBe(0);
    expect(view.nextSampleStep).toBeNull();
    expect(view.secondsToNextSample).toBeNull();
  }, 120_000);

  it('the vocabulary-size template trains a 500-row and a 4,000-row model side by side, with the same budget', async () => {
    const template = structuredClone(findTemplate('vocab-size-model')!.doc);
    const trains = template.nodes.filter((n) => n.type === 'train-model');
    expect(trains.map((n) => n.id)).toEqual(['small-vocab', 'large-vocab']);
    // Everything but the tokenizer is the same: size, seed, prompt and 15 seconds.
    expect(trains[0]!.params).toEqual(trains[1]!.params);
    expect(trains[0]!.params.timeBudget).toBe(15);
    for (const n of trains) n.params = { ...n.params, steps: 1, timeBudget: 0 };
    const report = await run(template);
    const small = done<ViewOf<'train-model'>>(report.outcomes.get('small-vocab')).view!;
    const large = done<ViewOf<'train-model'>>(report.outcomes.get('large-vocab')).view!;
    expect([small.vocabSize, large.vocabSize]).toEqual([500, 4000]);
    // The lesson's figures: about 1.7 and 3.8 characters a token, more than twice the text per window.
    expect(small.charsPerToken).toBeGreaterThan(1.5);
    expect(small.charsPerToken).toBeLessThan(1.9);
    expect(large.charsPerToken).toBeGreaterThan(3.5);
    expect(large.charsPerToken).toBeLessThan(4.1);
    expect(large.charsPerToken / small.charsPerToken).toBeGreaterThan(2);
  }, 240_000);

  it('says in words what is wrong: a corpus shorter than a window, a 30k- or 50k-row tokenizer on the tiny preset', async () => {
    const short = await run(
      doc(
        [['corpus', 'text', { text: 'Too short.' }], ['pre', 'pretokenize', { mode: 'bytelevel' }], ['bpe', 'bpe', { vocabSize: 300 }], ['train', 'train-model', TRAIN]],
        [['corpus', 'text', 'pre', 'text'], ['pre', 'pretokens', 'bpe', 'pretokens'], ['bpe', 'tokenizer', 'train', 'tokenizer'], ['corpus', 'text', 'train', 'corpus']],
      ),
    );
    expect(failed(short.outcomes.get('train'))).toMatch(/^The corpus is \d+ tokens long, but this model reads 64 tokens at a time: it needs at least 130/);

    const bert = await run(
      doc(
        [['corpus', 'text', { text: CORPUS }], ['tok', 'pretrained', { model: 'bert-base-uncased' }], ['train', 'train-model', TRAIN]],
        [['corpus', 'text', 'tok', 'text'], ['tok', 'tokenizer', 'train', 'tokenizer'], ['corpus', 'text', 'train', 'corpus']],
      ),
    );
    expect(failed(bert.outcomes.get('train'))).toMatch(/has 30,522 tokens, and the tiny preset takes at most 8,000.*Choose the small preset/);

    // GPT-2's 50,257 rows: refused on tiny, in a sentence that names the small preset, before any training starts.
    const gpt2 = await run(
      doc(
        [['corpus', 'text', { text: CORPUS }], ['tok', 'pretrained', { model: 'gpt2' }], ['train', 'train-model', TRAIN]],
        [['corpus', 'text', 'tok', 'text'], ['tok', 'tokenizer', 'train', 'tokenizer'], ['corpus', 'text', 'train', 'corpus']],
      ),
    );
    expect(failed(gpt2.outcomes.get('train'))).toBe(
      'GPT-2 has 50,257 tokens, and the tiny preset takes at most 8,000: its embedding table would be most of the model. Choose the small preset, or train a BPE tokenizer with a smaller vocabulary (500–8,000).',
    );
  }, 60_000);
});

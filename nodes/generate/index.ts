/**
 * Generate: prompt IDs → prompt + new IDs from a causal language model, greedy or sampled
 * (temperature, top-k, top-p) with a seed, so the same settings give the same text. The text so
 * far streams to the canvas as progress messages; Stop works between tokens.
 *
 * With Model = "ollama" the tokens stream from an Ollama server's /api/generate instead
 * (nodes/transformer/ollama-run.ts): text without IDs, so the output IDs are the new text
 * re-encoded with the prompt's own tokenizer, and the view says so.
 *
 * Not handled here: the model (nodes/transformer/run-model.ts), turning IDs into text for the
 * next node (Decode does that), chat templates.
 */
import { z } from 'zod';
import { defineNode } from '../engine/define-node';
import { codecFor, loadPretrained } from '../shared/tokenizer-ref';
import type { ModelRef } from '../shared/model-ref';
import { modelVocabulary } from '../transformer';
import { askAboveSParam, checkIdsInVocabulary, chosenModel, mismatchWarning, modelParams, realIds, tokenizerFamily, tokenizerLabel } from '../transformer/model-choice';
import type { Backend } from '../transformer/model-choice';
import type { GenerateStep, StopReason } from './generate';
import type { Resources } from '../engine/define-node';
import type { HeldRun } from '../transformer/probe';
import type { LoadPhases } from '../transformer/run-model';
import { SHIPPED_MODEL } from '../shared/model-ref';
import { modelCardLine } from '../shared/model-card';

/** Hard cap on new tokens per run. */
export const MAX_NEW_TOKENS = 200;
const TEXT_SHOWN = 5000;

export interface GenerateDetails {
  promptText: string;
  text: string;
  steps: (GenerateStep & { token: string })[];
  stopped: StopReason;
  warning: string | null;
  backend: Backend | 'ollama';
  backendNote: string | null;
  /** Why this backend ran, in a few words (backend-choice.ts); null from Ollama. */
  backendReason: string | null;
  /** WASM threads; null off WASM. */
  threads: number | null;
  loadMs: number;
  /** Where loadMs went (run-model.ts); null from Ollama. */
  loadPhases: LoadPhases | null;
  loadWaitMs: number;
  /** Time to the first new token (the prompt pass), then the mean of the rest. */
  firstTokenMs: number;
  msPerToken: number | null;
  /** The token budget after the context limit: min(max new tokens, positions left). */
  budget: number;
  maxPositions: number;
  model: string;
  /** Set when the tokens came from Ollama: where, and what that means for IDs. */
  ollama: { url: string; note: string } | null;
  /** Set when the browser run was not started: it would take longer than the node's limit. */
  held: HeldRun | null;
  /** What the model is, in one line (shared/model-card.ts); null from Ollama. */
  modelCard: string | null;
}

/** Decode with the model's tokenizer for display; '' if it cannot be loaded here. */
async function decoder(ref: ModelRef, resources: Resources): Promise<(ids: number[]) => string> {
  try {
    if (ref.tokenizerRef) {
      const codec = await codecFor(ref.tokenizerRef, resources);
      return (ids) => codec.decode(ids);
    }
    const loaded = await loadPretrained(ref.tokenizer, resources);
    return (ids) => loaded.tokenizer.decode(ids, { skip_special_tokens: false });
  } catch {
    return () => '';
  }
}

export const generateNode = defineNode({
  type: 'generate',
  version: 1,
  title: 'Generate',
  question: 'How does a model write text, one token at a time?',
  summary: 'Greedy or sampled generation (temperature, top-k, top-p, seed); tokens stream in as they come.',
  category: 'model',
  inputs: {
    ids: { kind: 'ids', label: 'prompt ids' },
    model: { kind: 'model', label: 'model', optional: true },
  },
  outputs: { ids: { kind: 'ids', label: 'prompt + new ids' } },
  params: z.object({
    ...modelParams,
    // Sampling by default: greedy decoding of a small model soon loops on one phrase. These
    // defaults are the ones reference.json's seeded continuations are computed with.
    strategy: z.enum(['greedy', 'sample']).default('sample').describe('Decoding (greedy = always the most likely token)'),
    temperature: z.number().min(0.05).max(2).default(0.8).describe('Temperature (sampling)'),
    topK: z.number().int().min(0).max(1000).default(50).describe('Top-k (sampling; 0 = off)'),
    topP: z.number().min(0.01).max(1).default(0.95).describe('Top-p (sampling; 1 = off)'),
    maxNewTokens: z.number().int().min(1).max(MAX_NEW_TOKENS).default(30).describe('Max new tokens'),
    seed: z.number().int().min(0).max(2 ** 32 - 1).default(42).describe('Seed (same seed, same text)'),
    stopAtEos: z.boolean().default(true).describe('Stop at end-of-text'),
    askAboveS: askAboveSParam,
  }),
  run: async ({ ids, model: wired }, params, ctx) => {
    if (!wired && params.model === 'ollama') {
      if (realIds(ids).length === 0) throw new Error('No prompt IDs: type some text upstream.');
      const { generateWithOllama, promptText } = await import('../transformer/ollama-run');
      const { OLLAMA_NO_IDS } = await import('../shared/ollama');
      const prompt = await promptText(ids, ctx);
      ctx.progress(0.01, 'Asking Ollama…');
      const out = await generateWithOllama({
        prompt,
        params,
        ctx,
        onToken: async (steps, text) => ctx.progress(Math.min(1, steps.length / params.maxNewTokens), text),
      });
      // Ollama's own IDs are unknown: re-encode the new text with the prompt's tokenizer, so the
      // next node gets IDs it can decode (they are that tokenizer's, not the Ollama model's).
      const promptIds = realIds(ids);
      let newIds: number[] = [];
      try {
        const { tokenizer } = await loadPretrained(tokenizerFamily(ids.tokenizer), ctx.resources);
        newIds = tokenizer.encode(out.text, { add_special_tokens: false });
      } catch {
        // The prompt IDs came from a tokenizer that cannot be loaded here: pass the prompt on alone.
      }
      const all = [...promptIds, ...newIds];
      const details: GenerateDetails = {
        promptText: prompt,
        text: out.text,
        steps: out.steps.map((s) => ({ id: -1, prob: s.prob ?? Number.NaN, pool: 0, token: s.token })),
        stopped: out.stopped,
        warning: null,
        backend: 'ollama',
        backendNote: `Ollama at ${out.url}`,
        backendReason: null,
        threads: null,
        loadMs: 0,
        loadPhases: null,
        loadWaitMs: 0,
        firstTokenMs: out.firstTokenMs,
        msPerToken: out.msPerToken,
        budget: params.maxNewTokens,
        maxPositions: 0,
        model: `${out.model} (Ollama)`,
        held: null,
        modelCard: null,
        ollama: {
          url: out.url,
          note: `${OLLAMA_NO_IDS} The output IDs are the new text encoded again with ${ids.tokenizer}, not the Ollama model's own IDs. Ollama always stops at its end token.`,
        },
      };
      return { ids: { ids: all, tokenizer: ids.tokenizer, attentionMask: all.map(() => 1) }, details };
    }
    const ref = chosenModel(wired, params);
    const warning = mismatchWarning(ids, ref);
    const prompt = realIds(ids);
    if (prompt.length === 0) throw new Error('No prompt IDs: type some text upstream.');
    ctx.progress(0.01, `Loading ${ref.label}…`);
    const [{ loadModel, IncrementalDecoder, speedHere }, { generateIds }, { seededRandom }, { holdIfSlow }] = await Promise.all([
      import('../transformer/run-model'),
      import('./generate'),
      import('../transformer/sampling'),
      import('../transformer/probe'),
    ]);
    const waitStart = performance.now();
    const loaded = await loadModel(ref, { preference: params.device, where: ctx.where, resources: ctx.resources });
    const loadWaitMs = performance.now() - waitStart;
    checkIdsInVocabulary(prompt, loaded.vocabSize, ref, ids.tokenizer);
    const budget = Math.min(params.maxNewTokens, loaded.maxPositions - prompt.length);
    if (budget <= 0) {
      throw new Error(`The prompt already fills ${prompt.length} of the model's ${loaded.maxPositions} positions: there is no room to generate. Shorten the text.`);
    }
    const decode = await decoder(ref, ctx.resources);
    await ctx.checkpoint();
    const base = {
      warning,
      backend: loaded.backend,
      backendNote: loaded.backendNote,
      backendReason: loaded.backendReason,
      threads: loaded.threads,
      loadMs: loaded.loadMs,
      loadPhases: loaded.loadPhases,
      loadWaitMs,
      budget,
      maxPositions: loaded.maxPositions,
      model: ref.label,
      ollama: null,
      modelCard: modelCardLine({ label: ref.label, layers: loaded.layers, heads: loaded.heads, width: loaded.width, card: ref.card }),
    };
    // Measured here, right after loading: too slow for this browser? Say so before running.
    const speed = params.askAboveS > 0 ? await speedHere(loaded) : null;
    const held = holdIfSlow({ speed, ref }, { positions: prompt.length, newTokens: budget }, params.askAboveS, SHIPPED_MODEL.weightsId);
    if (held) {
      const details: GenerateDetails = { ...base, promptText: decode(prompt), text: '', steps: [], stopped: 'length', firstTokenMs: 0, msPerToken: null, held };
      return { ids: { ids: prompt, tokenizer: tokenizerLabel(ref.tokenizer), attentionMask: prompt.map(() => 1) }, details };
    }

    const decoderState = new IncrementalDecoder(loaded);
    const times: number[] = [];
    let last = performance.now();
    let result: Awaited<ReturnType<typeof generateIds>>;
    try {
      result = await generateIds({
        prompt,
        feed: (newIds) => decoderState.feed(newIds),
        rule: { strategy: params.strategy, temperature: params.temperature, topK: params.topK, topP: params.topP },
        maxNew: budget,
        maxPositions: loaded.maxPositions,
        eosId: params.stopAtEos ? loaded.eosId : null,
        random: seededRandom(params.seed),
        onStep: async (steps) => {
          const now = performance.now();
          times.push(now - last);
          last = now;
          ctx.progress(steps.length / budget, decode(steps.map((s) => s.id)));
          await ctx.checkpoint();
          last = performance.now();
        },
      });
    } finally {
      decoderState.dispose();
    }
    const newIds = result.steps.map((s) => s.id);
    const vocab = await modelVocabulary(ref, ctx.resources);
    const all = [...prompt, ...newIds];
    const rest = times.slice(1);
    const details: GenerateDetails = {
      ...base,
      promptText: decode(prompt),
      text: decode(newIds),
      steps: result.steps.map((s) => ({ ...s, token: vocab[s.id] ?? `#${s.id}` })),
      stopped: result.stopped,
      firstTokenMs: times[0] ?? 0,
      msPerToken: rest.length ? rest.reduce((a, b) => a + b, 0) / rest.length : null,
      held: null,
    };
    return {
      ids: { ids: all, tokenizer: tokenizerLabel(ref.tokenizer), attentionMask: all.map(() => 1) },
      details,
    };
  },
  view: ({ details, params }) => {
    const d = details!;
    return {
      ...d,
      modelCard: d.modelCard ?? null,
      promptText: d.promptText.slice(-TEXT_SHOWN),
      text: d.text.slice(0, TEXT_SHOWN),
      strategy: params.strategy,
      seed: params.seed,
    };
  },
});

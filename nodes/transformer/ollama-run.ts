/**
 * The Transformer and Generate nodes with Model = "ollama": the incoming IDs are decoded back to
 * text with their own tokenizer (Ollama reads text and tokenizes it itself), sent to the Ollama
 * server as a raw prompt, and its answer comes back as the model's own tokens as text, with
 * their bytes and probabilities (`logprobs` / `top_logprobs`, Ollama ≥ 0.12.11).
 *
 *   await predictWithOllama({ ids, params, ctx })   // top-k next tokens after "I love", id -1 each
 *   await generateWithOllama({ ids, params, ctx })  // streams " of the …" as progress messages
 *
 * Not handled here: token IDs of the Ollama model (it has no tokenize endpoint), attention and
 * embeddings (Ollama does not return them), EOS control (Ollama always stops at its end token),
 * the HTTP details and URL policy (nodes/shared/ollama.ts).
 */
import type { RunContext } from '../engine/define-node';
import type { PredictionCandidate, TokenIds } from '../engine/ports';
import { loadPretrained } from '../shared/tokenizer-ref';
import {
  MAX_TOP_LOGPROBS,
  OLLAMA_NO_IDS,
  OLLAMA_NO_INTERNALS,
  ollamaBaseFor,
  ollamaFamily,
  ollamaGenerate,
  ollamaGenerateStream,
  ollamaVersion,
  shippedTokenizerForFamily,
  tokenBytes,
  tooOldMessage,
  versionAtLeast,
  MIN_LOGPROBS_VERSION,
} from '../shared/ollama';
import { realIds, tokenizerFamily } from './model-choice';

export interface OllamaCandidate {
  /** The token as Ollama writes it (text, not a vocabulary entry). */
  token: string;
  /** Its UTF-8 bytes. */
  bytes: number[];
  logprob: number;
  prob: number;
}

/** What the Transformer inspector shows for an Ollama run, in place of attention and embeddings. */
export interface OllamaView {
  url: string;
  model: string;
  version: string | null;
  family: string | null;
  prompt: string;
  candidates: OllamaCandidate[];
  /** The two plain sentences: no IDs (no tokenizer), no attention or embeddings. */
  noIds: string;
  noInternals: string;
  /** A shipped tokenizer that gives this model's IDs, when its family matches one. */
  suggestedTokenizer: { name: string; note: string } | null;
  /** Why the list is shorter than asked (Ollama gives at most 20). */
  topKNote: string | null;
}

interface OllamaParams {
  ollamaUrl: string;
  ollamaModel: string;
}

function modelName(params: OllamaParams): string {
  const name = params.ollamaModel.trim();
  if (!name) throw new Error('Type the name of an Ollama model, e.g. llama3.2 (`ollama list` shows the ones you have).');
  return name;
}

/** The text the IDs spell, decoded with the tokenizer that made them. */
export async function promptText(ids: TokenIds, ctx: RunContext): Promise<string> {
  const name = tokenizerFamily(ids.tokenizer);
  try {
    const { tokenizer } = await loadPretrained(name, ctx.resources);
    return tokenizer.decode(realIds(ids), { skip_special_tokens: true });
  } catch (error) {
    throw new Error(
      `Ollama reads text, and these IDs (from ${ids.tokenizer}) cannot be turned back into text here. Use a pretrained tokenizer such as GPT-2 upstream.`,
      { cause: error },
    );
  }
}

/** One next-token distribution from Ollama: the top-k (at most 20) after the prompt. */
export async function predictWithOllama(args: { ids: TokenIds; params: OllamaParams & { topK: number }; ctx: RunContext }) {
  const { ids, params, ctx } = args;
  const base = ollamaBaseFor(ctx.where, ctx.resources, params.ollamaUrl);
  const model = modelName(params);
  ctx.progress(0.05, `Asking the Ollama at ${base}…`);
  const version = await ollamaVersion(base, ctx.signal);
  if (version !== null && !versionAtLeast(version, MIN_LOGPROBS_VERSION)) throw new Error(tooOldMessage(version));
  const family = await ollamaFamily(base, model, ctx.signal);
  const prompt = await promptText(ids, ctx);
  await ctx.checkpoint();
  const k = Math.min(params.topK, MAX_TOP_LOGPROBS);
  const t0 = performance.now();
  const answer = await ollamaGenerate(
    base,
    { model, prompt, raw: true, stream: false, logprobs: true, top_logprobs: k, options: { num_predict: 1, temperature: 0 } },
    ctx.signal,
  );
  const runMs = performance.now() - t0;
  const first = answer.logprobs?.[0];
  if (!first?.top_logprobs?.length) throw new Error(tooOldMessage(version));
  const candidates: OllamaCandidate[] = first.top_logprobs
    .map((t) => ({ token: t.token, bytes: tokenBytes(t), logprob: t.logprob, prob: Math.exp(t.logprob) }))
    .sort((a, b) => b.prob - a.prob)
    .slice(0, k);
  const view: OllamaView = {
    url: base,
    model,
    version,
    family,
    prompt,
    candidates,
    noIds: OLLAMA_NO_IDS,
    noInternals: OLLAMA_NO_INTERNALS,
    suggestedTokenizer: shippedTokenizerForFamily(family),
    topKNote: params.topK > MAX_TOP_LOGPROBS ? `Ollama gives at most ${MAX_TOP_LOGPROBS} alternatives per position; showing ${candidates.length}.` : null,
  };
  const predictionCandidates: PredictionCandidate[] = candidates.map((c) => ({ id: -1, token: c.token, prob: c.prob }));
  return { view, candidates: predictionCandidates, runMs };
}

export interface OllamaStep {
  token: string;
  bytes: number[];
  /** The token's probability, when this Ollama returns logprobs; else null. */
  prob: number | null;
}

/** Stream new tokens from Ollama; each one is reported through `onToken` as it arrives. */
export async function generateWithOllama(args: {
  prompt: string;
  params: OllamaParams & { strategy: 'greedy' | 'sample'; temperature: number; topK: number; topP: number; seed: number; maxNewTokens: number };
  ctx: RunContext;
  onToken: (steps: readonly OllamaStep[], text: string) => Promise<void>;
}): Promise<{ steps: OllamaStep[]; text: string; stopped: 'length' | 'eos'; url: string; model: string; firstTokenMs: number; msPerToken: number | null }> {
  const { prompt, params, ctx, onToken } = args;
  const base = ollamaBaseFor(ctx.where, ctx.resources, params.ollamaUrl);
  const model = modelName(params);
  const greedy = params.strategy === 'greedy';
  const steps: OllamaStep[] = [];
  let text = '';
  let stopped: 'length' | 'eos' = 'length';
  const times: number[] = [];
  let last = performance.now();
  const stream = ollamaGenerateStream(
    base,
    {
      model,
      prompt,
      raw: true,
      stream: true,
      logprobs: true,
      options: {
        temperature: greedy ? 0 : params.temperature,
        top_k: greedy ? 1 : params.topK,
        top_p: greedy ? 1 : params.topP,
        seed: params.seed,
        num_predict: params.maxNewTokens,
      },
    },
    ctx.signal,
  );
  for await (const chunk of stream) {
    if (chunk.response) {
      const entries = chunk.logprobs ?? [];
      if (entries.length > 0) {
        for (const e of entries) steps.push({ token: e.token, bytes: tokenBytes(e), prob: Math.exp(e.logprob) });
      } else {
        steps.push({ token: chunk.response, bytes: [...new TextEncoder().encode(chunk.response)], prob: null });
      }
      text += chunk.response;
      const now = performance.now();
      times.push(now - last);
      await onToken(steps, text);
      await ctx.checkpoint();
      last = performance.now();
    }
    if (chunk.done) stopped = chunk.done_reason === 'length' ? 'length' : 'eos';
  }
  const rest = times.slice(1);
  return {
    steps,
    text,
    stopped,
    url: base,
    model,
    firstTokenMs: times[0] ?? 0,
    msPerToken: rest.length ? rest.reduce((a, b) => a + b, 0) / rest.length : null,
  };
}

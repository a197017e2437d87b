/**
 * What the Transformer node computes from one forward pass: the top-k next tokens at the last
 * position and at a chosen one, the attention probabilities of every layer and head over a
 * window of input tokens, and the embedding vector the chosen token starts as.
 *
 *   analyse({ loaded, ids: [40, 1842], vocab, topK: 5, position: -1 }).predictions.topK[0].candidates[0]
 *     // { id: 286, token: 'Ġof', prob: 0.0993 } for tokenloom-tiny ("I love" → " of")
 *
 * Not handled here: loading the model, tokenizer checks (index.ts), sampling (sampling.ts).
 */
import type { Predictions, PredictionCandidate } from '../engine/ports';
import type { LoadedModel, ForwardResult } from './run-model';
import { softmax, topCandidates } from './sampling';

/** At most this many tokens are shown in the attention heatmaps (the last ones). */
export const ATTENTION_WINDOW = 64;
/** At most this many attention cells in all (layers × heads × window²), so a 12×12 model still fits. */
const ATTENTION_CELLS = 200_000;
/** Embedding dimensions shown (the norm uses all of them). */
export const EMBEDDING_DIMS_SHOWN = 128;

export interface AttentionView {
  /** Index of the first input position shown; the window is tokens[start…]. */
  start: number;
  tokens: string[];
  /** layer → head → query row → key column, rounded to 3 decimals; causal, so the upper triangle is 0. */
  layers: number[][][][];
}

export interface EmbeddingView {
  position: number;
  id: number;
  token: string;
  width: number;
  /** The first EMBEDDING_DIMS_SHOWN numbers. */
  values: number[];
  norm: number;
}

export interface Analysis {
  predictions: Predictions;
  /** The position the user chose, resolved (-1 → last), and a note if it had to be moved. */
  position: number;
  positionNote: string | null;
  attention: AttentionView | null;
  embedding: EmbeddingView | null;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

function candidatesAt(result: ForwardResult, vocabSize: number, position: number, k: number, vocab: readonly string[]): PredictionCandidate[] {
  const row = result.logits.subarray(position * vocabSize, (position + 1) * vocabSize);
  return topCandidates(softmax(row), k).map(({ id, prob }) => ({ id, token: vocab[id] ?? `#${id}`, prob }));
}

function attentionWindow(result: ForwardResult, loaded: LoadedModel, tokens: readonly string[]): AttentionView | null {
  if (!result.attentions || result.attentions.length === 0) return null;
  const n = tokens.length;
  const layers = result.attentions.length;
  const heads = loaded.heads || (result.attentions[0]!.length / (n * n));
  const fit = Math.floor(Math.sqrt(ATTENTION_CELLS / (layers * heads)));
  const size = Math.min(n, ATTENTION_WINDOW, Math.max(1, fit));
  const start = n - size;
  return {
    start,
    tokens: tokens.slice(start),
    layers: result.attentions.map((data) =>
      Array.from({ length: heads }, (_, h) =>
        Array.from({ length: size }, (_, r) =>
          Array.from({ length: size }, (_, c) => round(data[h * n * n + (start + r) * n + (start + c)]!, 3)),
        ),
      ),
    ),
  };
}

export function analyse(args: {
  loaded: LoadedModel;
  result: ForwardResult;
  ids: readonly number[];
  vocab: readonly string[];
  topK: number;
  position: number;
}): Analysis {
  const { loaded, result, ids, vocab, topK } = args;
  const n = ids.length;
  const last = n - 1;
  let position = args.position < 0 ? last : args.position;
  let positionNote: string | null = null;
  if (position > last) {
    positionNote = `Position ${args.position} does not exist (${n} tokens, positions 0…${last}); showing the last one.`;
    position = last;
  }
  const tokens = ids.map((id) => vocab[id] ?? `#${id}`);
  const topKList = [{ position: last, candidates: candidatesAt(result, loaded.vocabSize, last, topK, vocab) }];
  if (position !== last) topKList.push({ position, candidates: candidatesAt(result, loaded.vocabSize, position, topK, vocab) });

  let embedding: EmbeddingView | null = null;
  if (loaded.embedding) {
    const id = ids[position]!;
    const row = loaded.embedding.row(id);
    let sum = 0;
    for (const x of row) sum += x * x;
    embedding = {
      position,
      id,
      token: tokens[position]!,
      width: row.length,
      values: Array.from(row.subarray(0, EMBEDDING_DIMS_SHOWN), (x) => round(x, 4)),
      norm: Math.sqrt(sum),
    };
  }

  return {
    predictions: { model: loaded.ref.label, positions: n, ids: [...ids], tokens, topK: topKList, backend: loaded.backend },
    position,
    positionNote,
    attention: attentionWindow(result, loaded, tokens),
    embedding,
  };
}

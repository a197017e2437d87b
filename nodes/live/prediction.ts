/**
 * The true answer to a lesson step's prediction question (nodes/engine/lesson-prediction.ts),
 * read from the step's node as it ran: its inspector view, the data on screen.
 *
 * - number: `token-count` (Tokenizer, BPE, IDs: how many tokens), `byte-count` (Text: UTF-8 bytes);
 * - token: `top-token` (Transformer: the most likely next token);
 * - choice (yes / no): `same-ids` (Compare: do all tokenizers give the same IDs?),
 *   `id-is-frequency` (BPE: is every token's ID in the order of its frequency?).
 *
 * @example
 * measureAnswer({ measure: 'token-count', ... }, 'pretrained', { count: 4, ... }) // { ok: true, value: '4' }
 *
 * Views are read by shape, not by importing the kinds, so this module stays beside them.
 * Not handled here: when the answer is asked for (the teacher's browser, at the reveal).
 */
import { normalizeAnswer, type AnswerResult, type Prediction, type PredictionMeasure } from '../engine/lesson-prediction';

/** Which node types can answer each measure, and how the lesson editor names it. */
export const PREDICTION_MEASURES = {
  'token-count': { nodeTypes: ['pretrained', 'bpe', 'ids'], label: 'how many tokens this node gives' },
  'byte-count': { nodeTypes: ['text'], label: 'how many UTF-8 bytes the text takes' },
  'top-token': { nodeTypes: ['transformer'], label: 'the most likely next token' },
  'same-ids': { nodeTypes: ['compare'], label: 'whether every tokenizer gives the same IDs (yes / no)' },
  'id-is-frequency': { nodeTypes: ['bpe'], label: 'whether IDs follow frequency order (yes / no)' },
} as const satisfies Record<PredictionMeasure, { nodeTypes: readonly string[]; label: string }>;

type View = Record<string, unknown> | null | undefined;
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The raw answer the measure reads from a node's inspector view, before normalising. */
function readMeasure(measure: PredictionMeasure, nodeType: string, view: View): string | number | undefined {
  if (!view) return undefined;
  switch (measure) {
    case 'token-count':
      if (nodeType === 'pretrained') return num(view.count);
      if (nodeType === 'bpe') return num(view.tokenCount);
      if (nodeType === 'ids') return num(view.length);
      return undefined;
    case 'byte-count':
      return num(view.utf8Bytes);
    case 'top-token': {
      const topK = view.topK as Array<{ candidates?: Array<{ token?: unknown }> }> | undefined;
      const token = topK?.[0]?.candidates?.[0]?.token;
      return typeof token === 'string' ? token : undefined;
    }
    case 'same-ids': {
      const kinds = view.kinds as Array<{ ids?: unknown }> | undefined;
      if (!Array.isArray(kinds) || kinds.length < 2) return undefined;
      const first = JSON.stringify(kinds[0]?.ids);
      return kinds.every((k) => JSON.stringify(k.ids) === first) ? 'yes' : 'no';
    }
    case 'id-is-frequency':
      // Trained BPE only: the view's `inversion` is a later merge that was more frequent than an earlier one.
      if (!view.training) return undefined;
      return view.inversion ? 'no' : 'yes';
    default: {
      const unreachable: never = measure;
      return unreachable;
    }
  }
}

/**
 * The true answer, from the step's node as it ran: `view` is what its inspector shows. Fails
 * with a sentence when the node has not run (or ran without what the measure reads).
 */
export function measureAnswer(prediction: Prediction, nodeType: string | undefined, view: unknown): AnswerResult {
  const spec = PREDICTION_MEASURES[prediction.measure];
  if (!nodeType || !(spec.nodeTypes as readonly string[]).includes(nodeType)) {
    return { ok: false, message: `This question reads ${spec.label}, which this step’s node does not give.` };
  }
  const raw = readMeasure(prediction.measure, nodeType, view as View);
  if (raw === undefined) return { ok: false, message: 'The answer is not ready: the step’s node has not finished running.' };
  return normalizeAnswer(prediction, raw);
}

/**
 * Prediction questions on lesson steps: what students answer before the reveal, and how the
 * true answer is read from the running graph (the step's node's inspector view), so it is
 * always right for the text on screen.
 *
 * A question names a measure; the measure fixes its kind:
 * - number: `token-count` (Tokenizer, BPE, IDs: how many tokens), `byte-count` (Text: UTF-8 bytes);
 * - token: `top-token` (Transformer: the most likely next token);
 * - choice (yes / no): `same-ids` (Compare: do all tokenizers give the same IDs?),
 *   `id-is-frequency` (BPE: is every token's ID in the order of its frequency?).
 *
 * @example
 * measureAnswer({ measure: 'token-count', ... }, 'pretrained', { count: 4, ... }) // { ok: true, value: '4' }
 * normalizeAnswer(question, 'Ġyou ') // { ok: true, value: 'you' }   (token kind)
 *
 * Answers are compared after normalizeAnswer: numbers as their shortest decimal, tokens with the
 * vocabulary's space marker (Ġ, ▁) and surrounding spaces removed, NFC and lowercased, choices by
 * option value. Not handled here: storing or counting answers (server/live), drawing them.
 */
import { z } from 'zod';

export const PREDICTION_MEASURES = {
  'token-count': { kind: 'number', nodeTypes: ['pretrained', 'bpe', 'ids'], label: 'how many tokens this node gives' },
  'byte-count': { kind: 'number', nodeTypes: ['text'], label: 'how many UTF-8 bytes the text takes' },
  'top-token': { kind: 'token', nodeTypes: ['transformer'], label: 'the most likely next token' },
  'same-ids': { kind: 'choice', nodeTypes: ['compare'], label: 'whether every tokenizer gives the same IDs (yes / no)' },
  'id-is-frequency': { kind: 'choice', nodeTypes: ['bpe'], label: 'whether IDs follow frequency order (yes / no)' },
} as const satisfies Record<string, { kind: PredictionKind; nodeTypes: readonly string[]; label: string }>;

export type PredictionKind = 'choice' | 'number' | 'token';
export type PredictionMeasure = keyof typeof PREDICTION_MEASURES;
export const PREDICTION_MEASURE_IDS = Object.keys(PREDICTION_MEASURES) as PredictionMeasure[];

/** The longest answer a student may send, in characters, before normalising. */
export const MAX_ANSWER_CHARS = 100;

const optionSchema = z.object({
  label: z.string().min(1).max(100),
  /** What the measure yields when this option is the true one ('yes' / 'no'). */
  value: z.string().min(1).max(40),
});

export const predictionSchema = z.object({
  prompt: z.string().min(1).max(300),
  measure: z.enum(PREDICTION_MEASURE_IDS as [PredictionMeasure, ...PredictionMeasure[]]),
  /** Choice questions only: the options shown, one per value the measure can yield. */
  options: z.array(optionSchema).max(6).default([]),
});

export type Prediction = z.output<typeof predictionSchema>;

export function predictionKind(prediction: Pick<Prediction, 'measure'>): PredictionKind {
  return PREDICTION_MEASURES[prediction.measure].kind;
}

/** The yes / no options a choice question starts with in the lesson editor. */
export const YES_NO_OPTIONS = [
  { label: 'Yes', value: 'yes' },
  { label: 'No', value: 'no' },
];

export type AnswerResult = { ok: true; value: string } | { ok: false; message: string };

/** Strip the vocabulary's space markers and spaces, NFC, lowercase: 'Ġyou' and ' You' are both 'you'. */
export function normalizeToken(text: string): string {
  return text.toWellFormed().normalize('NFC').replace(/^[\sĠ▁]+/u, '').trim().toLowerCase();
}

/** A student's (or the graph's) raw answer in the form answers are counted and compared in. */
export function normalizeAnswer(prediction: Prediction, raw: string | number): AnswerResult {
  const text = String(raw);
  if (text.length > MAX_ANSWER_CHARS) return { ok: false, message: `An answer is at most ${MAX_ANSWER_CHARS} characters.` };
  const kind = predictionKind(prediction);
  switch (kind) {
    case 'number': {
      const trimmed = text.trim().replaceAll(/[\s,_]/g, '');
      const value = Number(trimmed);
      if (trimmed === '' || !Number.isFinite(value) || Math.abs(value) > 1e12) return { ok: false, message: 'This question needs a number as the answer, such as 12.' };
      return { ok: true, value: String(value) };
    }
    case 'token': {
      const value = normalizeToken(text);
      if (value === '') return { ok: false, message: 'Type the token you expect, such as “the”.' };
      return { ok: true, value: value.slice(0, 50) };
    }
    case 'choice': {
      const option = prediction.options.find((o) => o.value === text);
      if (!option) return { ok: false, message: 'Pick one of the choices shown.' };
      return { ok: true, value: option.value };
    }
    default: {
      const unreachable: never = kind;
      return unreachable;
    }
  }
}

/** How a normalised answer reads: a choice's label, else the value itself. */
export function answerLabel(prediction: Prediction, value: string): string {
  if (predictionKind(prediction) === 'choice') return prediction.options.find((o) => o.value === value)?.label ?? value;
  return value;
}

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

/**
 * Prediction questions on lesson steps: what students answer before the reveal. The question
 * names a measure of the graph; nodes/live/prediction.ts reads it from the step node's view at the
 * reveal, so the true answer always fits the text on screen.
 *
 * The measure fixes the kind: a number (`token-count`, `byte-count`), a token (`top-token`) or a
 * choice between yes and no (`same-ids`, `id-is-frequency`).
 *
 * @example
 * normalizeAnswer(question, 'Ġyou ') // { ok: true, value: 'you' }   (token kind)
 *
 * Answers are compared after normalizeAnswer: numbers as their shortest decimal, tokens with the
 * vocabulary's space marker (Ġ, ▁) and surrounding spaces removed, NFC and lowercased, choices by
 * option value. Not handled here: reading the graph (nodes/live), storing or counting answers
 * (server/live), drawing them.
 */
import { z } from 'zod';

export type PredictionKind = 'choice' | 'number' | 'token';

/** Each measure's kind of answer; what each reads is in nodes/live/prediction.ts. */
export const PREDICTION_MEASURE_KINDS = {
  'token-count': 'number',
  'byte-count': 'number',
  'top-token': 'token',
  'same-ids': 'choice',
  'id-is-frequency': 'choice',
} as const satisfies Record<string, PredictionKind>;

export type PredictionMeasure = keyof typeof PREDICTION_MEASURE_KINDS;
export const PREDICTION_MEASURE_IDS = Object.keys(PREDICTION_MEASURE_KINDS) as PredictionMeasure[];

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
  return PREDICTION_MEASURE_KINDS[prediction.measure];
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

'use client';
/**
 * A lesson step's prediction question in the lesson editor: what the graph measures (only the
 * measures the step's node can answer), the prompt students see, and for yes / no questions
 * the two options' wording.
 */
import { PREDICTION_MEASURE_IDS, PREDICTION_MEASURE_KINDS, YES_NO_OPTIONS, type Prediction, type PredictionMeasure } from '@/nodes/engine/lesson-prediction';
import { PREDICTION_MEASURES } from '@/nodes/live/prediction';

export function PredictionEditor({
  stepNumber,
  nodeType,
  prediction,
  onChange,
}: {
  stepNumber: number;
  nodeType: string | undefined;
  prediction: Prediction | undefined;
  onChange(prediction: Prediction | undefined): void;
}) {
  const fits = PREDICTION_MEASURE_IDS.filter((m) => nodeType && (PREDICTION_MEASURES[m].nodeTypes as readonly string[]).includes(nodeType));
  if (fits.length === 0 && !prediction) return null;
  const choose = (measure: PredictionMeasure | '') => {
    if (!measure) return onChange(undefined);
    const kind = PREDICTION_MEASURE_KINDS[measure];
    onChange({
      prompt: prediction?.prompt || 'What do you predict?',
      measure,
      options: kind === 'choice' ? (prediction?.options.length ? prediction.options : YES_NO_OPTIONS) : [],
    });
  };
  return (
    <div className="grid gap-1 rounded border border-dashed border-slate-200 p-1.5 dark:border-slate-700" data-testid="prediction-editor">
      <select aria-label={`Step ${stepNumber} prediction`} className="field text-xs" value={prediction?.measure ?? ''} onChange={(e) => choose(e.target.value as PredictionMeasure | '')}>
        <option value="">No prediction question</option>
        {fits.map((m) => (
          <option key={m} value={m}>
            Students predict {PREDICTION_MEASURES[m].label}
          </option>
        ))}
      </select>
      {prediction && (
        <>
          <input
            aria-label={`Step ${stepNumber} prediction prompt`}
            className="field text-xs"
            maxLength={300}
            value={prediction.prompt}
            onChange={(e) => onChange({ ...prediction, prompt: e.target.value })}
          />
          {prediction.options.map((option, i) => (
            <input
              key={option.value}
              aria-label={`Step ${stepNumber} choice “${option.value}”`}
              className="field text-xs"
              maxLength={100}
              value={option.label}
              onChange={(e) => onChange({ ...prediction, options: prediction.options.map((o, j) => (j === i ? { ...o, label: e.target.value } : o)) })}
            />
          ))}
        </>
      )}
    </div>
  );
}

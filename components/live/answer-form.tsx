'use client';
/**
 * A student's answer to a prediction question: a button per choice, or a field for a number or
 * a token. Answering again replaces the answer until the teacher reveals it; the server's
 * refusal (the teacher moved on, the answer was revealed, not a number) is shown as it is said.
 */
import { useEffect, useState } from 'react';
import { describeApiError } from '@/trpc/client';
import type { LivePrediction } from '@/server/live/live-state';

export function AnswerForm({ prediction, mine, send }: { prediction: LivePrediction; mine: string | undefined; send(value: string): Promise<void> }) {
  const [typed, setTyped] = useState(mine ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setTyped(mine ?? ''), [mine]);
  const submit = async (value: string) => {
    setBusy(true);
    setProblem(null);
    try {
      await send(value);
    } catch (error) {
      setProblem(describeApiError(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="grid gap-2" data-testid="live-answer-form">
      {prediction.kind === 'choice' ? (
        <div className="flex flex-wrap gap-2">
          {prediction.options.map((o) => (
            <button
              key={o.value}
              type="button"
              className={`btn ${mine === o.value ? 'bg-sky-600 text-white' : ''}`}
              aria-pressed={mine === o.value}
              disabled={busy}
              onClick={() => void submit(o.value)}
              data-testid="live-choice"
            >
              {o.label}
            </button>
          ))}
        </div>
      ) : (
        <form
          className="flex gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            void submit(typed);
          }}
        >
          <input
            className="field flex-1"
            inputMode={prediction.kind === 'number' ? 'decimal' : 'text'}
            placeholder={prediction.kind === 'number' ? 'A number' : 'A token, such as the'}
            aria-label="Your answer"
            maxLength={100}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            data-testid="live-answer-input"
          />
          <button type="submit" className="btn" disabled={busy || typed.trim() === ''} data-testid="live-answer-submit">
            {mine === undefined ? 'Answer' : 'Change'}
          </button>
        </form>
      )}
      {mine !== undefined && (
        <p className="text-sm text-slate-600 dark:text-slate-300" data-testid="live-my-answer">
          Your answer: <strong className="font-mono">{prediction.options.find((o) => o.value === mine)?.label ?? mine}</strong> — you can change it until the reveal.
        </p>
      )}
      {problem && (
        <p role="alert" className="text-sm text-rose-600">
          {problem}
        </p>
      )}
    </div>
  );
}

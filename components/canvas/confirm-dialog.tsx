'use client';
/**
 * An in-page "are you sure?" that the canvas can await (React Flow's onBeforeDelete is async):
 * `ask(question, yes)` resolves true on the confirming button, false on Cancel, Escape or a
 * click outside. One question at a time; a second ask answers the first with false.
 */
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';

interface Question {
  text: string;
  yes: string;
}

export function useConfirm(): { dialog: ReactNode; ask(text: string, yes: string): Promise<boolean> } {
  const [question, setQuestion] = useState<Question | null>(null);
  const resolver = useRef<((answer: boolean) => void) | null>(null);
  const answer = useCallback((value: boolean) => {
    resolver.current?.(value);
    resolver.current = null;
    setQuestion(null);
  }, []);
  const ask = useCallback((text: string, yes: string) => {
    resolver.current?.(false);
    setQuestion({ text, yes });
    return new Promise<boolean>((resolve) => {
      resolver.current = resolve;
    });
  }, []);
  useEffect(() => () => resolver.current?.(false), []);
  const dialog = question ? (
    <div className="absolute inset-0 z-50 grid place-items-center bg-slate-900/30" onClick={() => answer(false)}>
      <div
        role="alertdialog"
        aria-modal="true"
        aria-label={question.text}
        data-testid="confirm-dialog"
        className="grid w-96 gap-3 rounded-xl bg-white p-4 text-sm shadow-2xl dark:bg-slate-900"
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          e.stopPropagation();
          if (e.key === 'Escape') answer(false);
        }}
      >
        <p>{question.text}</p>
        <div className="flex justify-end gap-2">
          <button type="button" className="btn" onClick={() => answer(false)} data-testid="confirm-no">
            Cancel
          </button>
          {/* The confirming button takes focus so Enter answers; Escape cancels. */}
          <button type="button" autoFocus className="btn bg-rose-600 text-white hover:bg-rose-700" onClick={() => answer(true)} data-testid="confirm-yes">
            {question.yes}
          </button>
        </div>
      </div>
    </div>
  ) : null;
  return { dialog, ask };
}

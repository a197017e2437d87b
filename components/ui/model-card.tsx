'use client';
/**
 * The one line that says what a model is (size, training data, held-out perplexity against a
 * bigram), written by nodes/shared/model-card.ts; shown by the Transformer and Generate inspectors.
 */
export function ModelCardLine({ line }: { line: string | null | undefined }) {
  if (!line) return null;
  return (
    <p className="text-sm text-slate-700 dark:text-slate-200" data-testid="model-card">
      {line}
    </p>
  );
}

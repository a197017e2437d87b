'use client';
/**
 * The Transformer inspector: "What does the model output?" answered with a probability for
 * every token of the vocabulary (the top-k as bars), at the last position and at any token the
 * student clicks; the attention of each layer and head as a heatmap over the input tokens; the
 * embedding vector of the clicked token as a colour strip; which backend ran and how long it took.
 *
 * Not handled here: computing any of it (nodes/transformer runs where the graph runs).
 */
import { useLabelOf } from '@/components/ui/token-display';
import type { PredictionCandidate } from '@/nodes/engine/ports';
import type { OllamaView } from '@/nodes/transformer/ollama-run';
import { describeBackend, formatMs, percent } from '@/components/ui/format';
import type { InspectorProps } from '../types';
import { AttentionPanel } from './attention';
import { Bar } from '@/components/ui/bar';
import { BrowserBackendSelect } from '@/components/ui/browser-backend';
import { HeldRunPanel } from '@/components/ui/held-run';
import { ModelCardLine } from '@/components/ui/model-card';

/**
 * Ranked next tokens with probability bars on an absolute 0–100 % scale (a 9.9 % token fills a
 * tenth of its track, not the whole of it), the number beside each; the last column is the token's ID, or whatever
 * `trailing` shows instead (Ollama's tokens have no IDs: their UTF-8 bytes).
 */
function TopK<C extends { token: string; prob: number }>({
  candidates,
  testId,
  trailing,
  labelOf,
}: {
  candidates: C[];
  testId: string;
  trailing: (c: C) => { testId: string; title?: string; text: string };
  labelOf: (token: string) => string;
}) {
  return (
    <div className="grid grid-cols-[minmax(0,auto)_1fr_auto_auto] items-center gap-x-2 gap-y-0.5 text-xs" data-testid={testId}>
      {candidates.map((c, i) => {
        const last = trailing(c);
        return (
          <div key={i} className="contents" data-testid="topk-row">
            <span className="truncate font-mono" data-testid="topk-token">
              {labelOf(c.token)}
            </span>
            <Bar fraction={c.prob} tone="fuchsia" testId="topk-bar" />
            <span className="text-right tabular-nums" data-testid="topk-prob" data-prob={c.prob}>
              {percent(c.prob)}
            </span>
            <span className="text-right font-mono text-[10px] text-slate-500" data-testid={last.testId} title={last.title}>
              {last.text}
            </span>
          </div>
        );
      })}
    </div>
  );
}

const idColumn = (c: PredictionCandidate) => ({ testId: 'topk-id', text: String(c.id) });

function EmbeddingStrip({ values }: { values: number[] }) {
  const max = Math.max(1e-9, ...values.map(Math.abs));
  return (
    <div className="flex h-6 w-full overflow-hidden rounded border border-slate-200 dark:border-slate-700" data-testid="embedding-strip">
      {values.map((v, i) => {
        const a = Math.abs(v) / max;
        return (
          <div
            key={i}
            title={`dim ${i}: ${v.toFixed(4)}`}
            className="h-full flex-1"
            style={{ background: v >= 0 ? `rgba(220, 38, 38, ${a})` : `rgba(37, 99, 235, ${a})` }}
          />
        );
      })}
    </div>
  );
}

const hexBytes = (bytes: number[]) => bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ');

/** An Ollama run: the top-k as the model's own tokens (text + bytes, no IDs), and what Ollama cannot show. */
function OllamaPanel({ ollama }: { ollama: OllamaView }) {
  const labelOf = useLabelOf(ollama.candidates.map((c) => c.token));
  return (
    <div className="grid gap-3" data-testid="transformer-ollama">
      <p className="rounded-lg bg-sky-50 p-3 text-base dark:bg-sky-950">
        {ollama.model} (served by Ollama {ollama.version ?? ''} at {ollama.url}) predicts the next token after your text. These are its most likely
        next tokens and their probabilities.
      </p>
      <TopK candidates={ollama.candidates} testId="topk-last" trailing={(c) => ({ testId: 'topk-bytes', title: 'UTF-8 bytes', text: hexBytes(c.bytes) })} labelOf={labelOf} />
      {ollama.topKNote && <p className="text-xs text-slate-500">{ollama.topKNote}</p>}
      <p className="text-sm" data-testid="ollama-no-ids">
        {ollama.noIds} {ollama.suggestedTokenizer ? ollama.suggestedTokenizer.note : 'No shipped tokenizer is known to match this model.'}
      </p>
      <p className="text-sm" data-testid="ollama-no-internals">
        {ollama.noInternals}
      </p>
    </div>
  );
}

export function TransformerInspector({ nodeId, view, params, setParams }: InspectorProps<'transformer'>) {
  const labelOf = useLabelOf(view.tokens);
  if (view.ollama) return <OllamaPanel ollama={view.ollama} />;
  const last = view.topK[0];
  const chosen = view.topK.find((t) => t.position === view.position && t.position !== last?.position);
  const offset = view.tokens.length - view.positions; // tokens are capped at the last 256; positions index the full input
  return (
    <div className="grid gap-4">
      {view.warning && (
        <p role="alert" className="rounded-md bg-amber-50 p-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100" data-testid="transformer-warning">
          ⚠ {view.warning}
        </p>
      )}
      <ModelCardLine line={view.modelCard} />
      {view.held && <HeldRunPanel nodeId={nodeId} held={view.held} kind="transformer" />}
      <p className="rounded-lg bg-sky-50 p-3 text-base dark:bg-sky-950">
        For every position the model outputs one score per vocabulary entry ({view.vocabSize.toLocaleString('en')} of them); softmax turns
        the scores into probabilities that sum to 1. The last position’s list is the prediction for the <b>next</b> token.
      </p>

      <div className="grid gap-1">
        <h4 className="text-sm font-semibold">What the model reads ({view.positions} tokens{view.dropped ? `, the first ${view.dropped} dropped: it reads at most ${view.maxPositions}` : ''})</h4>
        <div className="flex max-h-32 flex-wrap gap-1 overflow-y-auto" data-testid="transformer-tokens">
          {view.tokens.map((t, i) => {
            const position = i - offset;
            const selected = position === view.position;
            return (
              <button
                key={i}
                type="button"
                onClick={() => setParams({ position: position === view.positions - 1 ? -1 : position })}
                className={`chip font-mono ${selected ? 'ring-2 ring-fuchsia-500' : ''}`}
                title={`position ${position}, id ${view.ids[i]}`}
              >
                {labelOf(t)}
              </button>
            );
          })}
        </div>
        <p className="text-xs text-slate-500">Click a token to see what the model predicts after it, and its embedding.</p>
        {view.paddingDropped > 0 && <p className="text-xs text-slate-500">{view.paddingDropped} padding positions (mask 0) were left out.</p>}
        {view.positionNote && <p className="text-xs text-amber-700">{view.positionNote}</p>}
      </div>

      {last && (
        <div className="grid gap-1">
          <h4 className="text-sm font-semibold">
            Next token after “{labelOf(view.tokens.at(-1) ?? '')}” (top {last.candidates.length})
          </h4>
          <TopK candidates={last.candidates} testId="topk-last" trailing={idColumn} labelOf={labelOf} />
        </div>
      )}
      {chosen && (
        <div className="grid gap-1">
          <h4 className="text-sm font-semibold">
            After position {chosen.position}, “{labelOf(view.tokens[chosen.position + offset] ?? '')}”, the model expected
          </h4>
          <TopK candidates={chosen.candidates} testId="topk-chosen" trailing={idColumn} labelOf={labelOf} />
          {view.ids[chosen.position + offset + 1] !== undefined && (
            <p className="text-xs text-slate-500">
              The text actually continues with “{labelOf(view.tokens[chosen.position + offset + 1] ?? '')}”.
            </p>
          )}
        </div>
      )}

      <div className="grid gap-2">
        <h4 className="text-sm font-semibold">Attention: which earlier tokens each token looks at</h4>
        {view.attention && view.attention.layers.length > 0 ? (
          <>
            <AttentionPanel attention={view.attention} positions={view.positions} />
            <p className="text-xs text-slate-500">
              The upper triangle is empty: a causal model never looks at later tokens. Hover a cell for its pair and weight.
            </p>
          </>
        ) : (
          <p className="text-sm text-slate-500">
            {view.hasAttentionOutputs ? 'No attention to show.' : 'This model’s ONNX export does not return attention probabilities (the shipped model does).'}
          </p>
        )}
      </div>

      <div className="grid gap-1">
        <h4 className="text-sm font-semibold">Embedding: the vector a token starts as</h4>
        {view.embedding ? (
          <>
            <p className="text-xs" data-testid="embedding-summary">
              “{labelOf(view.embedding.token)}” (ID {view.embedding.id}) is row {view.embedding.id} of the embedding table:{' '}
              {view.embedding.width} numbers, length (L2 norm) {view.embedding.norm.toFixed(3)}.
              {view.embedding.values.length < view.embedding.width ? ` First ${view.embedding.values.length} shown.` : ''}
            </p>
            <EmbeddingStrip values={view.embedding.values} />
            <p className="text-xs text-slate-500">Red positive, blue negative. The ID is only a row number; these numbers are what the model computes with.</p>
          </>
        ) : (
          <p className="text-sm text-slate-500">The embedding table is read for the shipped and fine-tuned models only.</p>
        )}
      </div>

      <p
        className="text-xs text-slate-600 dark:text-slate-300"
        data-testid="transformer-backend"
        data-backend={view.backend}
        data-load-ms={view.loadMs}
        data-load-phases={view.loadPhases ? JSON.stringify(view.loadPhases) : ''}
        data-run-ms={view.held ? '' : view.runMs}
        data-positions={view.positions}
      >
        {view.held ? 'Loaded on' : 'Ran on'} <b data-testid="transformer-backend-label">{describeBackend(view.backend, view.threads, view.backendReason)}</b> · model {view.model}
        {view.fineTuned ? ' (fine-tuned weights)' : ''} · loaded in {formatMs(view.loadMs)}
        {view.loadWaitMs < view.loadMs / 2 ? ' (earlier; reused)' : ''}
        {view.held ? ' · not run yet in this browser' : ` · forward pass ${formatMs(view.runMs)}`}
        {view.backendNote ? ` · ${view.backendNote}` : ''}
      </p>
      <BrowserBackendSelect nodeDevice={String(params.device)} />
      <p className="text-xs text-slate-500">
        IDs from {view.idsTokenizer}; this model reads {view.modelTokenizer} IDs.
      </p>
    </div>
  );
}

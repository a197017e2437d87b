'use client';
/**
 * The embedding map: the most frequent tokens' embedding rows in 2-D (PCA, from the node), one
 * picture per held-out evaluation. Each token is drawn at the chosen step with a faint trail of
 * where it was before, so the class sees the random cloud of step 0 pull apart into groups as
 * the loss falls. A slider scrubs through the steps; it follows the newest step until moved.
 *
 * Hand-written SVG like components/ui/charts.tsx (labels a test can read, the page's colours).
 * Not handled here: the projection (nodes/train-model/embedding-map.ts).
 */
import { useState } from 'react';
import { useLabelOf } from '@/components/ui/token-display';
import type { EmbeddingMapView } from '@/nodes/train-model/embedding-map';

const W = 360;
const H = 240;
const PAD = 24;

export function EmbeddingMap({ map }: { map: EmbeddingMapView }) {
  const [picked, setPicked] = useState<number | null>(null);
  const labelOf = useLabelOf(
    map.tokens.map((t) => t.piece),
    map.spelling,
  );
  const count = map.snapshots.length;
  if (count === 0 || map.tokens.length < 3) return null;
  const at = Math.min(picked ?? count - 1, count - 1);
  const shown = map.snapshots.slice(0, at + 1);
  // One frame for every step up to the one shown, so a trail and its dot share the axes.
  const all = shown.flatMap((s) => s.points);
  const extent = (axis: 0 | 1) => {
    const values = all.map((p) => p[axis]);
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    return { lo, span: hi - lo || 1 };
  };
  const ex = extent(0);
  const ey = extent(1);
  const px = (x: number) => PAD + ((x - ex.lo) / ex.span) * (W - 2 * PAD);
  const py = (y: number) => H - PAD - ((y - ey.lo) / ey.span) * (H - 2 * PAD);
  const current = shown.at(-1)!;
  return (
    <section className="grid gap-1" data-testid="train-embedding">
      <h4 className="text-sm font-semibold">Where the {map.tokens.length} most frequent tokens sit in the model’s embedding (2-D by PCA)</h4>
      <p className="text-xs text-slate-600 dark:text-slate-300">
        A token’s embedding row holds one number per dimension of the model; PCA draws the two directions along which these rows differ most. At step 0 they are random; as the model learns, tokens that are
        used alike move together. Trails show where each token was at earlier evaluations.
      </p>
      <svg viewBox={`0 0 ${W} ${H}`} className="w-full max-w-md rounded border border-slate-200 dark:border-slate-700" role="img" aria-label={`Embedding map at step ${current.step}`}>
        {map.tokens.map((t, i) => (
          <polyline
            key={`trail-${t.id}`}
            points={shown.map((s) => `${px(s.points[i]![0]).toFixed(1)},${py(s.points[i]![1]).toFixed(1)}`).join(' ')}
            fill="none"
            stroke="currentColor"
            strokeOpacity={0.2}
          />
        ))}
        {map.tokens.map((t, i) => {
          const [x, y] = current.points[i]!;
          return (
            <g key={t.id} data-testid="embedding-point" data-token={t.id}>
              <title>{`${labelOf(t.piece)} (ID ${t.id}) at (${x.toFixed(2)}, ${y.toFixed(2)})`}</title>
              <circle cx={px(x)} cy={py(y)} r={3.5} fill="#0ea5e9" />
              <text x={px(x) + 5} y={py(y) - 4} fontSize={11} fill="currentColor" className="font-mono">
                {labelOf(t.piece)}
              </text>
            </g>
          );
        })}
      </svg>
      <label className="flex items-center gap-2 text-xs">
        <span className="tabular-nums" data-testid="embedding-step">
          step {current.step}
        </span>
        <input
          type="range"
          min={0}
          max={count - 1}
          value={at}
          onChange={(e) => setPicked(Number(e.target.value) === count - 1 ? null : Number(e.target.value))}
          aria-label="Step of the embedding map"
          data-testid="embedding-slider"
        />
      </label>
    </section>
  );
}

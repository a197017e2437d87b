/**
 * The small SVG charts the inspectors need: lines (the BPE merge timeline, Fine-tune's loss
 * curves) and a scatter (ID against frequency). Written by hand, not with a chart library: two
 * charts of this size are about 130 lines of SVG, with no dependency and nothing to measure at
 * mount, and they take the page’s own colours and dark mode through `currentColor`. Recharts or
 * visx would add tens of KB to the inspector bundle for the same two pictures; uPlot or Chart.js
 * draw on a canvas, which loses the per-point <title> tooltips and the text a test can read.
 *
 * Not handled here: ticks and grid lines (the axes show their ends), zoom, hover cross-hairs,
 * logarithmic axes, more than four colours of series (they repeat).
 */

const COLORS = ['#0ea5e9', '#f97316', '#8b5cf6', '#10b981'];

export interface Series {
  label: string;
  points: { x: number; y: number }[];
}

/**
 * One or more lines on shared axes; a legend when there are several. The y axis starts at 0, or
 * spans the data (`yFromData`) when small moves on top of large values matter (loss curves).
 */
export function LineChart(props: {
  series: Series[];
  xLabel: string;
  yLabel: string;
  /** A point to mark: series index and point index. */
  highlight?: { series: number; index: number };
  yFromData?: boolean;
  /** Horizontal reference lines (baselines), dashed, labelled at their right end. */
  rules?: { label: string; y: number }[];
  width?: number;
  height?: number;
  testId?: string;
}) {
  const { series, width = 380, height = 170 } = props;
  const all = series.flatMap((s) => s.points);
  if (all.length < 2) return null;
  const pad = { l: 40, r: 10, t: 10, b: 30 };
  const xs = all.map((p) => p.x);
  const rules = props.rules ?? [];
  const ys = [...all.map((p) => p.y), ...rules.map((r) => r.y)];
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const y0 = props.yFromData ? Math.min(...ys) : Math.min(0, ...ys);
  const y1 = Math.max(...ys);
  const sx = (x: number) => pad.l + ((x - x0) / (x1 - x0 || 1)) * (width - pad.l - pad.r);
  const sy = (y: number) => height - pad.b - ((y - y0) / (y1 - y0 || 1)) * (height - pad.t - pad.b);
  const h = props.highlight ? series[props.highlight.series]?.points[props.highlight.index] : undefined;
  return (
    <figure className="grid gap-1" data-testid={props.testId}>
      <svg width={width} height={height} className="text-slate-500" role="img" aria-label={`${series.map((s) => s.label).join(' and ')} against ${props.xLabel}`}>
        <line x1={pad.l} y1={height - pad.b} x2={width - pad.r} y2={height - pad.b} stroke="currentColor" strokeWidth={0.5} />
        <line x1={pad.l} y1={pad.t} x2={pad.l} y2={height - pad.b} stroke="currentColor" strokeWidth={0.5} />
        {series.map((s, i) => (
          <g key={s.label}>
            <path
              d={s.points.map((p, j) => `${j ? 'L' : 'M'}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ')}
              fill="none"
              stroke={COLORS[i % COLORS.length]}
              strokeWidth={2}
            />
            {s.points.length === 1 && <circle cx={sx(s.points[0]!.x)} cy={sy(s.points[0]!.y)} r={3} fill={COLORS[i % COLORS.length]} />}
          </g>
        ))}
        {rules.map((r) => (
          <g key={r.label} data-testid="chart-rule">
            <line x1={pad.l} x2={width - pad.r} y1={sy(r.y)} y2={sy(r.y)} stroke="currentColor" strokeDasharray="4 3" strokeWidth={1} />
            <text x={width - pad.r} y={sy(r.y) - 3} fontSize={10} fill="currentColor" textAnchor="end">
              {r.label} {r.y.toFixed(2)}
            </text>
          </g>
        ))}
        {h && <circle cx={sx(h.x)} cy={sy(h.y)} r={4} fill="#f43f5e" />}
        <text x={pad.l} y={height - 8} fontSize={10} fill="currentColor">
          {x0.toLocaleString()}
        </text>
        <text x={width - pad.r} y={height - 8} fontSize={10} fill="currentColor" textAnchor="end">
          {x1.toLocaleString()}
        </text>
        <text x={(width + pad.l) / 2} y={height - 8} fontSize={10} fill="currentColor" textAnchor="middle">
          {props.xLabel}
        </text>
        <text x={4} y={pad.t + 8} fontSize={10} fill="currentColor">
          {y1.toFixed(2)}
        </text>
        <text x={4} y={height - pad.b} fontSize={10} fill="currentColor">
          {y0.toFixed(2)}
        </text>
        <text x={pad.l + 4} y={pad.t + 8} fontSize={10} fill="currentColor">
          {props.yLabel}
        </text>
      </svg>
      {series.length > 1 && (
        <figcaption className="flex flex-wrap gap-3 text-xs text-slate-600 dark:text-slate-300">
          {series.map((s, i) => (
            <span key={s.label} className="flex items-center gap-1">
              <span className="inline-block h-0.5 w-4" style={{ background: COLORS[i % COLORS.length] }} />
              {s.label}
            </span>
          ))}
        </figcaption>
      )}
    </figure>
  );
}

/** Round ticks between lo and hi (at most about `count`), for an axis a reader can read values off. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Math.round(t * 1e6) / 1e6);
  return ticks;
}

/** Powers of ten up to hi (the ticks of a log axis of counts). */
function logTicks(hi: number): number[] {
  const ticks = [1];
  while (ticks[ticks.length - 1]! * 10 <= hi) ticks.push(ticks[ticks.length - 1]! * 10);
  return ticks;
}

/**
 * Scatter on a log y axis (frequencies span orders of magnitude), with ticks and values on both
 * axes; `highlight` rings one point (the token chosen elsewhere).
 */
export function ScatterChart(props: {
  points: { x: number; y: number; label?: string }[];
  xLabel: string;
  yLabel: string;
  highlight?: { x: number; y: number };
  width?: number;
  height?: number;
  testId?: string;
}) {
  const { points, width = 380, height = 220 } = props;
  if (points.length === 0) return null;
  const pad = { l: 46, r: 12, t: 18, b: 34 };
  const xs = points.map((p) => p.x);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const yMax = Math.max(...points.map((p) => p.y), 1);
  const y1 = Math.log10(yMax + 1) || 1;
  const sx = (x: number) => pad.l + ((x - x0) / (x1 - x0 || 1)) * (width - pad.l - pad.r);
  const sy = (y: number) => height - pad.b - (Math.log10(y + 1) / y1) * (height - pad.t - pad.b);
  const xTicks = niceTicks(x0, x1);
  const yTicks = logTicks(yMax);
  const h = props.highlight;
  return (
    <svg width={width} height={height} className="text-slate-500" data-testid={props.testId} role="img" aria-label={`${props.yLabel} against ${props.xLabel}`}>
      <line x1={pad.l} y1={height - pad.b} x2={width - pad.r} y2={height - pad.b} stroke="currentColor" strokeWidth={0.5} />
      <line x1={pad.l} y1={pad.t} x2={pad.l} y2={height - pad.b} stroke="currentColor" strokeWidth={0.5} />
      <g data-testid={props.testId && `${props.testId}-x-ticks`}>
        {xTicks.map((t) => (
          <g key={t}>
            <line x1={sx(t)} x2={sx(t)} y1={height - pad.b} y2={height - pad.b + 4} stroke="currentColor" strokeWidth={0.5} />
            <text x={sx(t)} y={height - pad.b + 14} fontSize={9} fill="currentColor" textAnchor="middle">
              {t.toLocaleString()}
            </text>
          </g>
        ))}
      </g>
      <g data-testid={props.testId && `${props.testId}-y-ticks`}>
        {yTicks.map((t) => (
          <g key={t}>
            <line x1={pad.l - 4} x2={pad.l} y1={sy(t)} y2={sy(t)} stroke="currentColor" strokeWidth={0.5} />
            <text x={pad.l - 6} y={sy(t) + 3} fontSize={9} fill="currentColor" textAnchor="end">
              {t.toLocaleString()}
            </text>
          </g>
        ))}
      </g>
      {points.map((p, i) => (
        <circle key={i} cx={sx(p.x)} cy={sy(p.y)} r={2} fill="#8b5cf6" fillOpacity={0.6}>
          {p.label && <title>{`${p.label}: ID ${p.x}, frequency ${p.y}`}</title>}
        </circle>
      ))}
      {h && <circle data-testid={props.testId && `${props.testId}-highlight`} cx={sx(h.x)} cy={sy(h.y)} r={5} fill="none" stroke="#f59e0b" strokeWidth={2} />}
      <text x={(width + pad.l) / 2} y={height - 4} fontSize={10} fill="currentColor" textAnchor="middle">
        {props.xLabel}
      </text>
      <text x={pad.l} y={10} fontSize={10} fill="currentColor">
        {props.yLabel} (log scale)
      </text>
    </svg>
  );
}

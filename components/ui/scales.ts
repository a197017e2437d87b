/**
 * How the inspectors turn numbers into ink: the opacity of an attention cell and the width of a
 * probability bar. Plain functions, no React, so the scales are tested on their own.
 *
 *   attentionOpacity([[1, 0], [0.5, 0.5]], 'row')   // [[1, 0], [1, 1]]: each row's strongest cell is solid
 *   attentionOpacity([[0.2, 0], [0.1, 0.1]], 'head') // [[1, 0], [0.5, 0.5]]: the head's strongest cell is solid
 *   barWidthPercent(0.099)                           // 9.9: bars are on an absolute 0–100 % scale
 *
 * Not handled here: colours (the views pick them), negative weights (attention probabilities
 * are never negative; a negative or non-finite value draws as empty).
 */

/** 'row': each row scaled to its own largest weight; 'head': the whole head to its largest. */
export type AttentionScale = 'row' | 'head';

const clean = (w: number) => (Number.isFinite(w) && w > 0 ? w : 0);

/**
 * Opacities in 0..1 for one head's attention matrix: the largest weight in each row (or in the
 * head) draws at opacity 1, zero at 0, the rest in proportion. An all-zero row stays empty.
 * Raw probabilities over a long input are a few per cent each, so drawing them as opacity
 * directly leaves the heatmap nearly blank.
 */
export function attentionOpacity(matrix: readonly (readonly number[])[], scale: AttentionScale): number[][] {
  const headMax = scale === 'head' ? Math.max(0, ...matrix.map((row) => Math.max(0, ...row.map(clean)))) : 0;
  return matrix.map((row) => {
    const max = scale === 'row' ? Math.max(0, ...row.map(clean)) : headMax;
    return row.map((w) => (max > 0 ? clean(w) / max : 0));
  });
}

/** The largest weight of one head (the legend's top end on the per-head scale). */
export function attentionMax(matrix: readonly (readonly number[])[]): number {
  return Math.max(0, ...matrix.map((row) => Math.max(0, ...row.map(clean))));
}

/**
 * A bar's width in per cent for a fraction 0..1, on the absolute scale: 0.099 is a tenth of the
 * track, not a full bar. A positive fraction too small to see gets a 1 % sliver; 0, negatives
 * and non-finite values get none; more than 1 is a full bar.
 */
export function barWidthPercent(fraction: number): number {
  const f = clean(fraction);
  if (f === 0) return 0;
  return Math.max(1, Math.min(1, f) * 100);
}

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { attentionMax, attentionOpacity, barWidthPercent } from '@/components/ui/scales';

describe('attentionOpacity', () => {
  // A causal head over a long input: weights of a few per cent, the upper triangle zero.
  const head = [
    [1, 0, 0],
    [0.04, 0.06, 0],
    [0.02, 0.03, 0.05],
  ];

  it('draws the largest weight of each row fully opaque and zero as empty (per row)', () => {
    const o = attentionOpacity(head, 'row');
    expect(o[0]).toEqual([1, 0, 0]);
    expect(o[1]![1]).toBe(1);
    expect(o[1]![0]).toBeCloseTo(0.04 / 0.06, 12);
    expect(o[1]![2]).toBe(0);
    expect(o[2]![2]).toBe(1);
    expect(o[2]![0]).toBeCloseTo(0.4, 12);
  });

  it('draws only the head’s largest weight fully opaque on the per-head scale', () => {
    const o = attentionOpacity(head, 'head');
    expect(o[0]![0]).toBe(1);
    expect(o[1]![1]).toBeCloseTo(0.06, 12);
    expect(o[2]![2]).toBeCloseTo(0.05, 12);
    expect(attentionMax(head)).toBe(1);
  });

  it('draws a row of equal weights fully opaque per row, and an all-zero row empty', () => {
    const even = Array(200).fill(1 / 200);
    expect(attentionOpacity([even], 'row')[0]!.every((x) => x === 1)).toBe(true);
    expect(attentionOpacity([[0, 0, 0]], 'row')).toEqual([[0, 0, 0]]);
    expect(attentionOpacity([[0, 0, 0]], 'head')).toEqual([[0, 0, 0]]);
  });

  it('draws NaN, infinities and negative weights as empty, never as NaN opacity', () => {
    const o = attentionOpacity([[Number.NaN, -1, 0.5, Number.POSITIVE_INFINITY]], 'row');
    expect(o).toEqual([[0, 0, 1, 0]]);
    expect(attentionOpacity([], 'head')).toEqual([]);
  });

  it('keeps every opacity in 0..1 with a 1 in every row that has weight (any matrix)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 8 }), { maxLength: 8 }), (m) => {
        for (const scale of ['row', 'head'] as const) {
          const o = attentionOpacity(m, scale);
          for (const row of o) for (const x of row) expect(x >= 0 && x <= 1).toBe(true);
        }
        attentionOpacity(m, 'row').forEach((row, r) => {
          if (m[r]!.some((w) => w > 0)) expect(Math.max(...row)).toBe(1);
        });
      }),
    );
  });
});

describe('barWidthPercent', () => {
  it('puts probabilities on an absolute 0–100 % scale, not relative to the top item', () => {
    expect(barWidthPercent(0.099)).toBeCloseTo(9.9, 12);
    expect(barWidthPercent(0.5)).toBe(50);
    expect(barWidthPercent(1)).toBe(100);
  });

  it('gives a visible sliver to a tiny positive probability and nothing to zero or junk', () => {
    expect(barWidthPercent(0.0001)).toBe(1);
    expect(barWidthPercent(0)).toBe(0);
    expect(barWidthPercent(-0.2)).toBe(0);
    expect(barWidthPercent(Number.NaN)).toBe(0);
    expect(barWidthPercent(3)).toBe(100);
  });
});

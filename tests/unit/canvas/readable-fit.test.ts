import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fitInsets, MAX_FIT_ZOOM, MINIMAP, MIN_READABLE_ZOOM, readableViewport } from '@/components/canvas/readable-fit';

const screen = { width: 940, height: 900 };
const onScreen = (v: { x: number; y: number; zoom: number }, p: { x: number; y: number }) => ({ x: p.x * v.zoom + v.x, y: p.y * v.zoom + v.y });

describe('readableViewport', () => {
  it('fits a graph that can be read whole, centred in the space the minimap leaves', () => {
    const insets = fitInsets(true);
    const v = readableViewport({ x: 100, y: 50, width: 800, height: 300 }, screen, insets);
    expect(v.zoom).toBeCloseTo((940 - 48) / 800, 5);
    const topLeft = onScreen(v, { x: 100, y: 50 });
    const bottomRight = onScreen(v, { x: 900, y: 350 });
    expect(topLeft.x).toBeCloseTo(24, 5);
    expect(bottomRight.x).toBeCloseTo(940 - 24, 5);
    expect(bottomRight.y).toBeLessThanOrEqual(900 - MINIMAP.height - MINIMAP.margin);
  });

  it('stops at the readable zoom for a long pipeline and shows its start', () => {
    const v = readableViewport({ x: -200, y: 0, width: 4000, height: 400 }, screen, fitInsets(true));
    expect(v.zoom).toBe(MIN_READABLE_ZOOM);
    expect(onScreen(v, { x: -200, y: 0 }).x).toBeCloseTo(24, 5);
  });

  it('never enlarges a single small node past the cap', () => {
    expect(readableViewport({ x: 0, y: 0, width: 280, height: 120 }, screen, fitInsets(false)).zoom).toBe(MAX_FIT_ZOOM);
  });

  it('keeps every fitted graph between the readable zoom and the cap, and above the minimap when it fits there', () => {
    fc.assert(
      fc.property(
        fc.record({ x: fc.integer({ min: -5000, max: 5000 }), y: fc.integer({ min: -5000, max: 5000 }), width: fc.integer({ min: 1, max: 20000 }), height: fc.integer({ min: 1, max: 20000 }) }),
        fc.boolean(),
        (bounds, minimap) => {
          const insets = fitInsets(minimap);
          const v = readableViewport(bounds, screen, insets);
          expect(v.zoom).toBeGreaterThanOrEqual(MIN_READABLE_ZOOM);
          expect(v.zoom).toBeLessThanOrEqual(MAX_FIT_ZOOM);
          const start = onScreen(v, bounds);
          const end = onScreen(v, { x: bounds.x + bounds.width, y: bounds.y + bounds.height });
          // The start is always in view; the end too, whenever the whole graph fits.
          expect(start.x).toBeGreaterThanOrEqual(insets.left - 1e-6);
          expect(start.y).toBeGreaterThanOrEqual(insets.top - 1e-6);
          if (v.zoom > MIN_READABLE_ZOOM) expect(end.y).toBeLessThanOrEqual(screen.height - insets.bottom + 1e-6);
        },
      ),
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { freeSpot, type Rect } from '@/components/canvas/free-spot';

const view: Rect = { x: 0, y: 0, width: 1000, height: 800 };
const card = { width: 280, height: 200 };
const touches = (a: Rect, b: Rect) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('where a new node from the palette goes', () => {
  it('goes to the middle of an empty view', () => {
    expect(freeSpot(view, [], card)).toEqual({ x: 360, y: 300, inView: true });
  });

  it('goes beside a Note in the middle, not on it, and stays in view', () => {
    const note = { x: 300, y: 250, width: 400, height: 300 };
    const spot = freeSpot(view, [note], card);
    expect(touches({ ...spot, ...card }, note)).toBe(false);
    expect(spot.x).toBeGreaterThanOrEqual(0);
    expect(spot.y).toBeGreaterThanOrEqual(0);
    expect(spot.x + card.width).toBeLessThanOrEqual(1000);
    expect(spot.y + card.height).toBeLessThanOrEqual(800);
  });

  it('goes below the whole graph, out of view, when the view is full', () => {
    expect(freeSpot(view, [view, { x: 2000, y: 0, width: 280, height: 900 }], card)).toEqual({ x: 360, y: 948, inView: false });
    expect(freeSpot({ x: 0, y: 0, width: 100, height: 100 }, [], card)).toEqual({ x: -90, y: -50, inView: true });
    expect(freeSpot({ x: 0, y: 0, width: 100, height: 100 }, [{ x: -100, y: -100, width: 300, height: 300 }], card)).toEqual({ x: -90, y: 248, inView: false });
  });

  it('never lands on a node, in view or below the graph, for any nodes', () => {
    const rect = fc.record({ x: fc.integer({ min: -200, max: 1000 }), y: fc.integer({ min: -200, max: 800 }), width: fc.integer({ min: 1, max: 400 }), height: fc.integer({ min: 1, max: 400 }) });
    fc.assert(
      fc.property(fc.array(rect, { maxLength: 8 }), (nodes) => {
        const spot = freeSpot(view, nodes, card);
        const inside = spot.x >= 0 && spot.y >= 0 && spot.x + card.width <= 1000 && spot.y + card.height <= 800;
        return nodes.every((n) => !touches({ ...spot, ...card }, n)) && spot.inView === inside;
      }),
    );
  });
});

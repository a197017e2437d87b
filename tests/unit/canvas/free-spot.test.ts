import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { freeSpot, type Rect } from '@/components/canvas/free-spot';

const view: Rect = { x: 0, y: 0, width: 1000, height: 800 };
const card = { width: 280, height: 200 };
const touches = (a: Rect, b: Rect) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('where a new node from the palette goes', () => {
  it('goes to the middle of an empty view', () => {
    expect(freeSpot(view, [], card)).toEqual({ x: 360, y: 300 });
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

  it('falls back to the middle when the view is full, or smaller than the card', () => {
    expect(freeSpot(view, [view], card)).toEqual({ x: 360, y: 300 });
    expect(freeSpot({ x: 0, y: 0, width: 100, height: 100 }, [], card)).toEqual({ x: -90, y: -50 });
  });

  it('never lands on a node when it finds room, for any nodes in the view', () => {
    const rect = fc.record({ x: fc.integer({ min: -200, max: 1000 }), y: fc.integer({ min: -200, max: 800 }), width: fc.integer({ min: 1, max: 400 }), height: fc.integer({ min: 1, max: 400 }) });
    fc.assert(
      fc.property(fc.array(rect, { maxLength: 8 }), (nodes) => {
        const spot = freeSpot(view, nodes, card);
        const centre = spot.x === 360 && spot.y === 300;
        return centre || nodes.every((n) => !touches({ ...spot, ...card }, n));
      }),
    );
  });
});

/**
 * Where a node added from the palette goes: the free place nearest the middle of what the
 * canvas shows, so it never lands on a Note or another card, nor under the minimap.
 *
 * Candidates lie on a 40-unit grid (through the centre) over the visible area (flow coordinates), nearest the
 * centre first; the first whose rectangle, with a 24-unit gap, touches no node wins. When the
 * view is full, it goes below the whole graph, in line with the view's centre, and `inView`
 * is false: the caller zooms out to show it with the graph.
 *
 * @example
 * // A 1000 × 800 view with one card at its centre: the new card goes beside it, not on it.
 * // → { x: 360, y: 60, inView: true }
 * freeSpot({ x: 0, y: 0, width: 1000, height: 800 }, [{ x: 360, y: 300, width: 280, height: 200 }], { width: 280, height: 200 })
 *
 * Pure: rectangles in, a position out. Not handled here: nodes whose size is not known yet
 * (callers pass a default size for them).
 */

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

const GRID = 40;
const GAP = 24;

const overlaps = (a: Rect, b: Rect) => a.x < b.x + b.width + GAP && b.x < a.x + a.width + GAP && a.y < b.y + b.height + GAP && b.y < a.y + a.height + GAP;

export function freeSpot(visible: Rect, nodes: readonly Rect[], size: { width: number; height: number }): { x: number; y: number; inView: boolean } {
  const centre = { x: visible.x + visible.width / 2 - size.width / 2, y: visible.y + visible.height / 2 - size.height / 2 };
  const maxX = visible.x + visible.width - size.width;
  const maxY = visible.y + visible.height - size.height;
  const below = () => ({ x: Math.round(centre.x), y: Math.round(Math.max(...nodes.map((n) => n.y + n.height)) + 2 * GAP), inView: false });
  const free = (p: { x: number; y: number }) => !nodes.some((n) => overlaps({ ...p, ...size }, n));
  if (maxX < visible.x || maxY < visible.y) return free(centre) ? { ...centre, inView: true } : below(); // the view is smaller than the card
  const candidates: { x: number; y: number; d: number }[] = [];
  // The grid runs through the centre, so an empty view puts the card exactly in the middle.
  const firstX = centre.x - Math.floor((centre.x - visible.x) / GRID) * GRID;
  const firstY = centre.y - Math.floor((centre.y - visible.y) / GRID) * GRID;
  for (let x = firstX; x <= maxX; x += GRID) {
    for (let y = firstY; y <= maxY; y += GRID) candidates.push({ x, y, d: (x - centre.x) ** 2 + (y - centre.y) ** 2 });
  }
  candidates.sort((a, b) => a.d - b.d);
  const spot = candidates.find(free);
  return spot ? { x: Math.round(spot.x), y: Math.round(spot.y), inView: true } : below();
}

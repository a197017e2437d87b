/**
 * Where the camera goes on "fit": the whole graph when it can be read that way, otherwise the
 * smallest readable zoom with the graph's start (its left edge: pipelines run left to right) in
 * view, so the learner pans along the steps instead of squinting at all of them. The minimap's
 * corner is kept free when it is shown.
 *
 * Pure (no React Flow): bounds and sizes in, a viewport out.
 */

/** Below this zoom a node card's 11–14 px text is too small to read on a projector. */
export const MIN_READABLE_ZOOM = 0.6;
/** A fit never enlarges past this (a single node would fill the screen). */
export const MAX_FIT_ZOOM = 1.2;
/** React Flow's MiniMap: 200 × 150 px, 15 px from the bottom-right corner. */
export const MINIMAP = { width: 200, height: 150, margin: 15 } as const;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}
export interface Insets {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/** The screen margins a fit leaves: a little everywhere, and the minimap's height along the bottom. */
export function fitInsets(minimap: boolean): Insets {
  const m = 24;
  return { top: m, left: m, right: m, bottom: minimap ? MINIMAP.height + MINIMAP.margin + 12 : m };
}

/**
 * The viewport that shows `bounds` (flow coordinates) in a `screen`-sized pane inside `insets`.
 *
 * Example: a 3,000 × 400 graph in a 940 × 900 pane (insets 24, bottom 177) would need zoom 0.30
 * to fit; it gets 0.6 instead, its left edge 24 px from the pane's, centred in the free height.
 */
export function readableViewport(bounds: Rect, screen: { width: number; height: number }, insets: Insets): Viewport {
  const free = { width: Math.max(1, screen.width - insets.left - insets.right), height: Math.max(1, screen.height - insets.top - insets.bottom) };
  if (bounds.width <= 0 || bounds.height <= 0) return { x: insets.left - bounds.x, y: insets.top - bounds.y, zoom: 1 };
  const fit = Math.min(free.width / bounds.width, free.height / bounds.height, MAX_FIT_ZOOM);
  const zoom = Math.max(fit, MIN_READABLE_ZOOM);
  const w = bounds.width * zoom;
  const h = bounds.height * zoom;
  // Centre what fits; start at the left (top) edge of what does not.
  const left = w <= free.width ? insets.left + (free.width - w) / 2 : insets.left;
  const top = h <= free.height ? insets.top + (free.height - h) / 2 : insets.top;
  return { x: left - bounds.x * zoom, y: top - bounds.y * zoom, zoom };
}

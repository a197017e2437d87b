'use client';
/**
 * A palette click: the new node goes to the free space nearest the middle of the view
 * (free-spot.ts, measured node sizes from React Flow), or, when the view is full, below the
 * graph with the camera stepped back at once to show both.
 */
import { getViewportForBounds, useReactFlow } from '@xyflow/react';
import { useCallback } from 'react';
import type { NodeType } from '@/nodes';
import { freeSpot } from './free-spot';
import { fitInsets } from './readable-fit';
import { useLab } from './store';

export function useAddInFreeSpace(minimapShown: boolean, newSize: (type: NodeType) => { width: number; height: number } | undefined) {
  const { getViewport, getNodes, setViewport } = useReactFlow();
  return useCallback(
    (type: NodeType) => {
      const { x, y, zoom } = getViewport();
      const el = document.querySelector('.react-flow');
      const w = el?.clientWidth ?? 800;
      const h = el?.clientHeight ?? 600;
      const insets = fitInsets(minimapShown);
      const visible = { x: (insets.left - x) / zoom, y: (insets.top - y) / zoom, width: (w - insets.left - insets.right) / zoom, height: (h - insets.top - insets.bottom) / zoom };
      const taken = getNodes().map((n) => ({ x: n.position.x, y: n.position.y, width: n.measured?.width ?? n.width ?? 280, height: n.measured?.height ?? n.height ?? 200 }));
      const size = newSize(type) ?? { width: 280, height: 260 };
      const spot = freeSpot(visible, taken, size);
      useLab.getState().addNode(type, { x: spot.x, y: spot.y }, {}, newSize(type));
      // No room in view: the node went below the graph, and the camera steps back (at once, so a
      // wire drawn next starts where it is seen) to show the graph and the new node together.
      if (!spot.inView) {
        const all = [...taken, { x: spot.x, y: spot.y, ...size }];
        const left = Math.min(...all.map((r) => r.x));
        const top = Math.min(...all.map((r) => r.y));
        const bounds = { x: left, y: top, width: Math.max(...all.map((r) => r.x + r.width)) - left, height: Math.max(...all.map((r) => r.y + r.height)) - top };
        const v = getViewportForBounds(bounds, w - insets.left - insets.right, h - insets.top - insets.bottom, 0.2, zoom, 0.05);
        void setViewport({ x: v.x + insets.left, y: v.y + insets.top, zoom: v.zoom });
      }
    },
    [getViewport, getNodes, setViewport, minimapShown, newSize],
  );
}

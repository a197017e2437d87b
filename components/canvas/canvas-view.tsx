'use client';
/**
 * The camera and the minimap: "fit" goes to a readable viewport (readable-fit.ts) that leaves the
 * minimap's corner free; the minimap can be hidden (remembered per browser) and is never shown
 * while presenting, where it would cover the step's node.
 */
import { ControlButton, MiniMap, useReactFlow } from '@xyflow/react';
import { Map as MapIcon } from 'lucide-react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { fitInsets, readableViewport } from './readable-fit';
import { useLab } from './store';

const MINIMAP_KEY = 'tokenloom:minimap';

export function useMinimapSetting(): [boolean, () => void] {
  const [shown, setShown] = useState(true);
  useEffect(() => {
    try {
      setShown(localStorage.getItem(MINIMAP_KEY) !== '0');
    } catch {
      // Storage may be off (private mode): the minimap stays shown.
    }
  }, []);
  const toggle = useCallback(() => {
    setShown((s) => {
      try {
        localStorage.setItem(MINIMAP_KEY, s ? '0' : '1');
      } catch {
        // The choice then lasts for this page.
      }
      return !s;
    });
  }, []);
  return [shown, toggle];
}

export function CanvasMinimap({ shown }: { shown: boolean }) {
  return shown ? <MiniMap pannable zoomable /> : null;
}

export function MinimapToggle({ shown, onToggle }: { shown: boolean; onToggle(): void }) {
  return (
    <ControlButton onClick={onToggle} aria-label={shown ? 'Hide the minimap' : 'Show the minimap'} title={shown ? 'Hide the minimap' : 'Show the minimap'} data-testid="minimap-toggle">
      <MapIcon size={12} />
    </ControlButton>
  );
}

/**
 * `fit(duration)`: the readable viewport for the whole graph. Waits (through React Flow's own
 * fitView) until the nodes have been measured, since their sizes come from their content.
 */
export function useReadableFit(minimapShown: boolean) {
  const { fitView, getNodes, getNodesBounds, setViewport } = useReactFlow();
  const minimap = useRef(minimapShown);
  minimap.current = minimapShown;
  return useCallback(
    async (duration = 0) => {
      if (useLab.getState().nodes.length === 0) return;
      const measured = (nodes: ReturnType<typeof getNodes>) => nodes.length > 0 && nodes.every((n) => n.measured?.width && n.measured.height);
      if (!measured(getNodes())) await fitView({ padding: 0.15 });
      const pane = document.querySelector('.react-flow');
      if (!pane) return;
      const viewport = readableViewport(getNodesBounds(getNodes()), { width: pane.clientWidth, height: pane.clientHeight }, fitInsets(minimap.current));
      await setViewport(viewport, { duration });
    },
    [fitView, getNodes, getNodesBounds, setViewport],
  );
}

/**
 * Node cards grow once their results arrive, so the fit made when a graph opens is made again
 * when its first run ends, unless the user has moved the camera since (or a lesson is being
 * presented: the camera follows the step). Returns React Flow's onMoveStart, which tells a
 * user's move (it has an event) from a fit.
 */
export function useRefitOnFirstResults(fit: (duration?: number) => Promise<void>) {
  const pending = useRef(false);
  const userMoved = useRef(false);
  const fitRef = useRef(fit);
  fitRef.current = fit;
  useEffect(
    () =>
      useLab.subscribe((s, prev) => {
        if (s.loadedRevision !== prev.loadedRevision) {
          pending.current = true;
          userMoved.current = false;
        }
        if (!pending.current || !prev.run.running || s.run.running) return;
        pending.current = false;
        if (!userMoved.current && !s.presenting) requestAnimationFrame(() => void fitRef.current(200));
      }),
    [],
  );
  return useCallback((event: MouseEvent | TouchEvent | null) => {
    if (event) userMoved.current = true;
  }, []);
}

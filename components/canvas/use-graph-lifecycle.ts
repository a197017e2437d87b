'use client';
/**
 * Starting over without surprises: deleting nodes that lesson steps are about asks first (and
 * undo brings nodes and steps back), an emptied template forgets its title and `?template=`, and
 * "New blank graph" asks before it drops unsaved edits.
 */
import { useCallback, useEffect } from 'react';
import type { Node } from '@xyflow/react';
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import { deleteQuestion, stepsAbout } from './lesson-steps';
import { useLab } from './store';

export const UNTITLED = 'Untitled graph';
const BLANK: GraphDoc = { schemaVersion: 1, title: UNTITLED, nodes: [], edges: [] };

type Ask = (text: string, yes: string) => Promise<boolean>;

/** Unsaved edits: a graph with nodes, changed since it was opened and since it was last saved. */
export function hasUnsavedEdits(): boolean {
  const s = useLab.getState();
  return s.nodes.length > 0 && s.revision !== s.savedRevision && s.revision !== s.loadedRevision;
}

/** React Flow's onBeforeDelete: ask when lesson steps would go, then record one undo step. */
export function useBeforeDelete(ask: Ask) {
  return useCallback(
    async ({ nodes }: { nodes: Node[] }) => {
      const steps = stepsAbout(useLab.getState().lesson, new Set(nodes.map((n) => n.id)));
      if (steps > 0 && !(await ask(deleteQuestion(nodes.length, steps), 'Delete'))) return false;
      useLab.getState().record();
      return true;
    },
    [ask],
  );
}

/** "New blank graph": an empty, unsaved canvas (undoable), after asking when edits would be lost. */
export function useNewBlankGraph(ask: Ask, afterLoad: () => void) {
  return useCallback(async () => {
    if (hasUnsavedEdits() && !(await ask('Start a new blank graph? Your unsaved edits to this one are dropped (Undo brings them back).', 'New blank graph'))) {
      return;
    }
    useLab.getState().load(BLANK, { keepHistory: true });
    window.history.replaceState(null, '', '/');
    afterLoad();
  }, [ask, afterLoad]);
}

/** When a template's canvas is emptied, the graph is no longer that template: drop its title and `?template=`. */
export function useForgetEmptiedTemplate() {
  useEffect(
    () =>
      useLab.subscribe((s, prev) => {
        if (s.nodes.length > 0 || prev.nodes.length === 0) return;
        const url = new URL(window.location.href);
        if (!url.searchParams.has('template')) return;
        url.searchParams.delete('template');
        window.history.replaceState(null, '', `${url.pathname}${url.search}${url.hash}`);
        // Not an undo step of its own: undoing the deletion brings the old title back with the nodes.
        useLab.setState({ title: UNTITLED });
      }),
    [],
  );
}

'use client';
/** Ask the engine a question about an inspected node's current result (see NodeDefinition.query). */
import { useEffect, useState } from 'react';
import { queryEngine } from './engine-channel';
import { useLab } from './store';
import { ownEntry } from '@/nodes/engine/validate';

export function useNodeQuery<T>(nodeId: string, nodeType: string, request: unknown | null) {
  const key = useLab((s) => ownEntry(s.runtime, nodeId)?.key);
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({ loading: false });
  const serialized = JSON.stringify(request);
  useEffect(() => {
    if (!key || request === null) return;
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    queryEngine(nodeType, key, JSON.parse(serialized))
      .then((data) => live && setState({ data: data as T, loading: false }))
      .catch((e: Error) => live && setState({ error: e.message, loading: false }));
    return () => {
      live = false;
    };
  }, [key, nodeType, serialized]);
  return state;
}

/** One-off question, e.g. an export. */
export function askNode(nodeId: string, nodeType: string, request: unknown): Promise<unknown> {
  const key = ownEntry(useLab.getState().runtime, nodeId)?.key;
  if (!key) return Promise.reject(new Error('This node has no result yet.'));
  return queryEngine(nodeType, key, request);
}

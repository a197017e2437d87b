import { resolve } from 'node:path';
import { z } from 'zod';
import type { Resources } from '@/nodes/engine/define-node';
import { defineNode } from '@/nodes/engine/define-node';
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import { nodeKinds } from '@/nodes';
import type { Registry } from '@/nodes/engine/validate';

/** A node that loops until cancelled or `steps` checkpoints have passed. Test-only. */
export const slowNode = defineNode({
  type: 'slow',
  version: 1,
  title: 'Slow',
  question: 'test',
  summary: 'test',
  category: 'text',
  inputs: { text: { kind: 'text', label: 'text' } },
  outputs: { text: { kind: 'text', label: 'text' } },
  params: z.object({ steps: z.number().default(1000) }),
  run: async ({ text }, { steps }, ctx) => {
    for (let i = 0; i < steps; i++) {
      await new Promise((r) => setTimeout(r, 1));
      await ctx.checkpoint();
      ctx.progress(i / steps);
    }
    return { text };
  },
  view: () => null,
});

export const testRegistry: Registry = { ...nodeKinds, slow: slowNode };

type NodeSpec = [id: string, type: string, params?: Record<string, unknown>];
type EdgeSpec = [source: string, target: string, sourcePort?: string, targetPort?: string];

/** A GraphDoc from terse specs; ports default to the usual names for the node kinds. */
export function graph(nodes: NodeSpec[], edges: EdgeSpec[]): GraphDoc {
  const types = new Map(nodes.map(([id, type]) => [id, type]));
  const outPort = (type: string) => (type === 'pretokenize' ? 'pretokens' : 'text');
  return {
    schemaVersion: 1,
    title: 'test',
    nodes: nodes.map(([id, type, params = {}], i) => ({ id, type, params, position: { x: i * 200, y: 0 } })),
    edges: edges.map(([source, target, sp, tp]) => ({
      id: `${source}->${target}`,
      source,
      target,
      sourcePort: sp ?? outPort(types.get(source) ?? ''),
      targetPort: tp ?? 'text',
    })),
  };
}

/** Shipped files as the server finds them: folders under public/. Nothing remote in tests. */
/** Text → Clean → Pretokenize, the chain most engine tests run (ids t, c, p). */
export const textChain = (text = 'I love NLP', mode = 'bytelevel') =>
  graph(
    [
      ['t', 'text', { text }],
      ['c', 'clean', {}],
      ['p', 'pretokenize', { mode }],
    ],
    [
      ['t', 'c'],
      ['c', 'p'],
    ],
  );

export const nodeResources: Resources = {
  hubPath: `${resolve('public/hub')}/`,
  modelPath: `${resolve('public/models')}/`,
  allowRemote: false,
};

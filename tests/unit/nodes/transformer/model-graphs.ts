/**
 * Graphs around the shipped model for the Transformer and Generate tests: test-only sources
 * (fixed IDs, a fixed model ref), a Text → Tokenizer → IDs → model pipeline, and a run on the
 * server's engine with the shipped files.
 */
import { z } from 'zod';
import { createRecipeCache } from '@/nodes/engine/cache';
import { defineNode } from '@/nodes/engine/define-node';
import { execute, type NodeOutcome, type RunEvent } from '@/nodes/engine/executor';
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import type { Registry } from '@/nodes/engine/validate';
import { nodeKinds } from '@/nodes';
import type { ModelRef } from '@/nodes/shared/model-ref';
import { nodeResources } from '../../engine/fixtures';

/** Test-only sources: fixed IDs (any tokenizer label) and a fixed model ref (fine-tuned bytes). */
export const fixedIds = defineNode({
  type: 'fixed-ids',
  version: 1,
  title: 'Fixed IDs',
  question: 'test',
  summary: 'test',
  category: 'input',
  inputs: {},
  outputs: { ids: { kind: 'ids', label: 'ids' } },
  params: z.object({ ids: z.array(z.number()).default([]), tokenizer: z.string().default('GPT-2') }),
  run: (_inputs, { ids, tokenizer }) => ({ ids: { ids, tokenizer, attentionMask: ids.map(() => 1) } }),
  view: () => null,
});
export const modelRefs = new Map<string, ModelRef>();
export const fixedModel = defineNode({
  type: 'fixed-model',
  version: 1,
  title: 'Fixed model',
  question: 'test',
  summary: 'test',
  category: 'input',
  inputs: {},
  outputs: { model: { kind: 'model', label: 'model' } },
  params: z.object({ ref: z.string().default('') }),
  run: (_inputs, { ref }) => ({ model: modelRefs.get(ref)! }),
  view: () => null,
});
export const registry: Registry = { ...nodeKinds, 'fixed-ids': fixedIds, 'fixed-model': fixedModel };

export type Spec = [id: string, type: string, params?: Record<string, unknown>];
export function doc(nodes: Spec[], edges: [string, string, string, string][]): GraphDoc {
  return {
    schemaVersion: 1,
    title: 't',
    nodes: nodes.map(([id, type, params = {}]) => ({ id, type, params, position: { x: 0, y: 0 } })),
    edges: edges.map(([source, sourcePort, target, targetPort]) => ({ id: `${source}-${target}-${targetPort}`, source, sourcePort, target, targetPort })),
  };
}

/** Text → pretrained tokenizer → IDs → model node (+ optional extra nodes/edges). */
export function pipeline(text: string, model: Spec, tokenizer = 'gpt2') {
  return doc(
    [['text', 'text', { text }], ['tok', 'pretrained', { model: tokenizer }], ['ids', 'ids', {}], model],
    [
      ['text', 'text', 'tok', 'text'],
      ['tok', 'tokens', 'ids', 'tokens'],
      ['tok', 'tokenizer', 'ids', 'tokenizer'],
      ['ids', 'ids', model[0], 'ids'],
    ],
  );
}

export async function run(graph: GraphDoc, options: { onEvent?: (e: RunEvent) => void; signal?: AbortSignal } = {}) {
  return execute(graph, { registry, cache: createRecipeCache(), where: 'server', resources: nodeResources, ...options });
}

export function done<T>(outcome: NodeOutcome | undefined): { view: T; outputs: Record<string, unknown> } {
  if (outcome?.status !== 'done') throw new Error(`node did not finish: ${JSON.stringify(outcome)}`);
  return outcome as unknown as { view: T; outputs: Record<string, unknown> };
}

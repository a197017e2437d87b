import type { GraphDoc } from '@/nodes/engine/graph-doc';

/**
 * The template with its trainings cut to a few steps and no time budget: the same graph, every
 * node still runs end to end, at a cost that does not grow with the shipped step counts (the
 * Train model and Fine-tune tests, and the templates' claims, train for real).
 */
export function fewSteps(doc: GraphDoc): GraphDoc {
  const copy = structuredClone(doc);
  for (const node of copy.nodes) {
    if (node.type === 'train-model') node.params = { ...node.params, steps: 3, timeBudget: 0, evalEvery: 1, sampleEvery: 1 };
    if (node.type === 'finetune') node.params = { ...node.params, steps: Math.min(2, Number(node.params.steps ?? 2)) };
  }
  return copy;
}

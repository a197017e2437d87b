/**
 * Which nodes would give away a lesson step's answer before the reveal: the one rule the
 * projector (presenter) and the students' pages use to hide results, on the canvas and in the
 * inspector alike.
 *
 * Until the step is revealed, every node except the step node's upstream (what the question is
 * asked about, e.g. the text) is hidden: the step node itself, what it feeds, and its siblings
 * and notes, which can show the same answer (a Compare beside a GPT-2 tokenizer shows GPT-2's
 * token count; a Note may spell the answer out). A step node with no inputs (a Text node) stays
 * readable: it computes nothing, so it shows only what the lesson is about. After the reveal
 * nothing is hidden.
 *
 * @example
 * // text -> gpt2, text -> compare, a note; step on gpt2, not revealed:
 * nodesHidingAnswer(graph, 'gpt2', false) // Set { 'gpt2', 'compare', 'note' }  (the text stays readable)
 * nodesHidingAnswer(graph, 'gpt2', true)  // Set {}
 *
 * Not handled here: how a hidden node is drawn (components/live/answer-cover.tsx), or whether a
 * student exploring a copy of the graph sees everything (the student's page passes no step then).
 */

interface GraphShape {
  nodes: readonly { id: string }[];
  edges: readonly { source: string; target: string }[];
}

const NOTHING_HIDDEN: ReadonlySet<string> = new Set();

export function nodesHidingAnswer(graph: GraphShape, stepNodeId: string | undefined, revealed: boolean): ReadonlySet<string> {
  if (revealed || !stepNodeId || !graph.nodes.some((n) => n.id === stepNodeId)) return NOTHING_HIDDEN;
  // The step node's ancestors, walking edges backwards (a cycle cannot loop: each node is seen once).
  const upstream = new Set<string>();
  const queue = [stepNodeId];
  while (queue.length > 0) {
    const id = queue.pop()!;
    for (const e of graph.edges) {
      if (e.target === id && e.source !== stepNodeId && !upstream.has(e.source)) {
        upstream.add(e.source);
        queue.push(e.source);
      }
    }
  }
  if (!graph.edges.some((e) => e.target === stepNodeId)) upstream.add(stepNodeId);
  return new Set(graph.nodes.map((n) => n.id).filter((id) => !upstream.has(id)));
}

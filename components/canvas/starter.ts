/** The graph a first visit opens with: the start of the seed pipeline, left to right. */
import type { GraphDoc } from '@/nodes/engine/graph-doc';

export const STARTER_GRAPH: GraphDoc = {
  schemaVersion: 1,
  title: 'From text to pieces',
  nodes: [
    { id: 'text', type: 'text', params: {}, position: { x: 0, y: 40 } },
    { id: 'clean', type: 'clean', params: {}, position: { x: 380, y: 40 } },
    { id: 'pretokenize', type: 'pretokenize', params: { mode: 'bytelevel' }, position: { x: 700, y: 40 } },
    {
      id: 'note',
      type: 'note',
      params: {
        text: 'Type in the Text node and watch every step update. Click a node to see the question it answers.',
        color: 'yellow',
      },
      position: { x: 380, y: 330 },
      size: { width: 280, height: 110 },
    },
  ],
  edges: [
    { id: 'e-text-clean', source: 'text', sourcePort: 'text', target: 'clean', targetPort: 'text' },
    { id: 'e-clean-pretokenize', source: 'clean', sourcePort: 'text', target: 'pretokenize', targetPort: 'text' },
  ],
};

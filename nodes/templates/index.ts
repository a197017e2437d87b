/**
 * Templates: ready-made graphs, each set up so that one inspector answers one beginner's
 * question as soon as it opens. Plain GraphDocs, so they run anywhere the engine runs.
 */
import type { GraphDoc } from '../engine/graph-doc';

export interface Template {
  id: string;
  title: string;
  /** One line for the gallery. */
  description: string;
  /** The node whose inspector answers the question; opened on load. */
  focus: string;
  doc: GraphDoc;
}

const edge = (source: string, sourcePort: string, target: string, targetPort: string) => ({
  id: `e-${source}-${sourcePort}-${target}-${targetPort}`,
  source,
  sourcePort,
  target,
  targetPort,
});

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
  edges: [edge('text', 'text', 'clean', 'text'), edge('clean', 'text', 'pretokenize', 'text')],
};

export const TEMPLATES: readonly Template[] = [
  {
    id: 'pieces',
    title: 'What does it mean to tokenize text?',
    description: 'Text, cleaning and pre-tokenization: the pieces a tokenizer works on, and what Ġ is.',
    focus: 'pretokenize',
    doc: STARTER_GRAPH,
  },
  {
    id: 'compare',
    title: 'Are token IDs the same across models?',
    description: '"I love NLP" through GPT-2, BERT and TinyLlama, side by side.',
    focus: 'compare',
    doc: {
      schemaVersion: 1,
      title: 'Are token IDs the same across models?',
      nodes: [
        { id: 'text', type: 'text', params: { text: 'I love NLP', origin: 'typed' }, position: { x: 0, y: 0 } },
        { id: 'gpt2', type: 'pretrained', params: { model: 'gpt2' }, position: { x: 380, y: -220 } },
        { id: 'compare', type: 'compare', params: {}, position: { x: 380, y: 120 } },
        {
          id: 'note',
          type: 'note',
          params: {
            text: 'Each model numbers its own vocabulary. The seed example claims GPT-2 gives [40, 1212, 20275]; the real GPT-2 gives 40 1842 399 19930 (NLP is two tokens).',
            color: 'blue',
          },
          position: { x: 0, y: 260 },
          size: { width: 300, height: 130 },
        },
      ],
      edges: [edge('text', 'text', 'gpt2', 'text'), edge('text', 'text', 'compare', 'text')],
    },
  },
  {
    id: 'odia',
    title: 'Why train my own tokenizer? Odia in three models',
    description: 'GPT-2 spends a token per byte, BERT gives [UNK], LLaMA falls back to bytes.',
    focus: 'compare',
    doc: {
      schemaVersion: 1,
      title: 'Odia through GPT-2, BERT and TinyLlama',
      nodes: [
        { id: 'text', type: 'text', params: { text: 'ଜଣେ ପିଲା ବିଦ୍ୟାଳୟକୁ ଯାଏ।', origin: 'typed' }, position: { x: 0, y: 0 } },
        { id: 'compare', type: 'compare', params: {}, position: { x: 380, y: 0 } },
      ],
      edges: [edge('text', 'text', 'compare', 'text')],
    },
  },
];

export function findTemplate(id: string): Template | undefined {
  return TEMPLATES.find((t) => t.id === id);
}

/** Note: a sticky note a teacher puts on the canvas. It has no ports and computes nothing. */
import { z } from 'zod';
import { defineNode } from '../engine/define-node';

export const NOTE_COLORS = ['yellow', 'blue', 'green', 'pink'] as const;

export const noteNode = defineNode({
  type: 'note',
  version: 1,
  title: 'Note',
  question: 'What should the class look at here?',
  summary: 'A sticky note for explanations on the canvas.',
  category: 'teach',
  inputs: {},
  outputs: {},
  params: z.object({
    text: z.string().max(10_000).default('Write a note for the class…'),
    color: z.enum(NOTE_COLORS).default('yellow'),
  }),
  run: () => ({}),
  view: ({ params }) => ({ words: (params.text.match(/\S+/gu) ?? []).length }),
});

/** Text: where a pipeline starts. Typed text, a bundled sample or an uploaded file. */
import { z } from 'zod';
import { defineNode } from '../engine/define-node';
import { describeText } from './text';
import { TEXT_SAMPLES } from './samples';

/** The largest text a Text node holds: it travels inside the graph document. */
export const TEXT_LIMIT_BYTES = 2 * 1024 * 1024;

export const textNode = defineNode({
  type: 'text',
  version: 1,
  title: 'Text',
  question: 'What do I start from?',
  summary: 'Type text, pick a sample or upload a .txt / .jsonl file.',
  category: 'input',
  inputs: {},
  outputs: { text: { kind: 'text', label: 'text' } },
  params: z.object({
    text: z.string().max(TEXT_LIMIT_BYTES).default(TEXT_SAMPLES[0]!.text),
    /** Where the text came from, shown in the inspector: 'typed', 'sample:<id>' or 'file:<name>'. */
    origin: z.string().max(300).default('sample:english'),
  }),
  run: (_inputs, params) => ({ text: params.text }),
  view: ({ params }) => ({ origin: params.origin, ...describeText(params.text) }),
});

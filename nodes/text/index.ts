/** Text: where a pipeline starts. Typed text, a bundled sample or an uploaded file. */
import { z } from 'zod';
import { defineNode } from '../engine/define-node';
import { describeText } from './text';
import { graphemeColumns } from './graphemes';
import { TEXT_SAMPLES } from './samples';
import { CORPORA, CORPUS_NAMES, loadCorpus, ODIA_CORPUS_CREDIT } from './odia-corpus';

/** How much of a named corpus the node's body shows (the whole text is what flows on). */
const CORPUS_PREVIEW_CHARS = 3000;

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
    text: z
      .string()
      .max(TEXT_LIMIT_BYTES, `A Text node holds at most ${TEXT_LIMIT_BYTES.toLocaleString('en-US')} characters. For a bigger corpus, train the tokenizer on a file instead: its inspector reads up to 200 MB in your browser, or uploads it to the server.`)
      .default(TEXT_SAMPLES[0]!.text),
    /** Where the text came from, shown in the inspector: 'typed', 'sample:<id>' or 'file:<name>'. */
    origin: z.string().max(300).default('sample:english'),
    /** A shipped corpus too large for the document, held by name; when set, `text` is not used. */
    corpus: z.enum(['', ...CORPUS_NAMES]).default(''),
  }),
  run: async (_inputs, params) => ({ text: params.corpus ? await loadCorpus(params.corpus) : params.text }),
  view: ({ params, outputs }) => ({
    origin: params.origin,
    corpus: params.corpus ? { title: CORPORA[params.corpus].title, credit: ODIA_CORPUS_CREDIT, preview: outputs.text.slice(0, CORPUS_PREVIEW_CHARS) } : null,
    ...describeText(outputs.text),
    graphemes: graphemeColumns(outputs.text),
  }),
});

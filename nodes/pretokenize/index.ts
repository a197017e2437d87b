/** Pretokenize: cut text into the pieces BPE works on, with offsets. */
import { z } from 'zod';
import { defineNode } from '../engine/define-node';
import { PRETOKENIZE_MODES } from './pretokenize';
import { pretokenizeReusing } from './incremental';
import { MODE_INFO, byteLevelLegend } from './explain';

/** How much of the text the inspector shows under the pieces. */
const SOURCE_SHOWN = 1000;

/** The inspector shows at most this many pieces; the count says how many there are. */
export const PIECES_SHOWN = 2000;

export const pretokenizeNode = defineNode({
  type: 'pretokenize',
  version: 1,
  title: 'Pretokenize',
  question: 'What are the pieces BPE works on? What is Ġ?',
  summary: 'Whitespace, GPT-2 / GPT-4 regex, BERT punctuation, Metaspace ▁, ByteLevel Ġ.',
  category: 'tokenize',
  inputs: { text: { kind: 'text', label: 'text' } },
  outputs: { pretokens: { kind: 'pretokens', label: 'pieces' } },
  params: z.object({ mode: z.enum(PRETOKENIZE_MODES).default('bytelevel').describe('Mode') }),
  // A keystroke changes a piece or two: cut again only around the edit (incremental.ts).
  run: ({ text }, { mode }) => ({ pretokens: { source: text, scheme: mode, pieces: pretokenizeReusing(text, mode) } }),
  view: ({ outputs, params }) => {
    const { pieces } = outputs.pretokens;
    const shown = pieces.slice(0, PIECES_SHOWN);
    const distinct = new Set(pieces.map((p) => p.shown)).size;
    return {
      mode: params.mode,
      ...MODE_INFO[params.mode],
      count: pieces.length,
      /** The length of the text cut (UTF-16 units), so the page can tell which text the chips are of. */
      textLength: outputs.pretokens.source.length,
      distinct,
      pieces: shown,
      legend: params.mode === 'bytelevel' ? byteLevelLegend(pieces.map((p) => p.shown)) : [],
      /** The beginning of the text the pieces' offsets point into, for the hover highlight. */
      source: outputs.pretokens.source.slice(0, SOURCE_SHOWN),
    };
  },
});

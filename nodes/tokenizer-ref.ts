/**
 * What travels on a `tokenizer` port, and the one place that knows how to encode with any of
 * them. A pretrained tokenizer travels as a handle (its name): the files are loaded, once, where
 * the node runs. The loader is imported lazily, so transformers.js is fetched only when a graph
 * first uses a pretrained tokenizer.
 *
 * Not handled here: trained BPE tokenizers' algorithms (bpe/), the files themselves (public/hub/).
 */
import type { Resources } from './engine/define-node';
import type { Tokens } from './engine/ports';

import type { TokenizerDescription } from './pretrained/describe-tokenizer';

export type TokenizerRef = { kind: 'pretrained'; name: string; label: string; description: TokenizerDescription };

export async function loadPretrained(name: string, resources: Resources) {
  const { loadPretrainedTokenizer } = await import('./pretrained/pretrained');
  return loadPretrainedTokenizer(name, { localModelPath: resources.hubPath, allowRemote: resources.allowRemote });
}

export async function encodeWith(ref: TokenizerRef, text: string, resources: Resources, addSpecialTokens = true): Promise<Tokens> {
  switch (ref.kind) {
    case 'pretrained': {
      const { encodeWithPieces } = await import('./pretrained/pretrained');
      const encoded = encodeWithPieces(await loadPretrained(ref.name, resources), text, { addSpecialTokens });
      return {
        text,
        tokenizer: ref.label,
        pieces: encoded.pieces.map(({ piece, id, kind, start, end }) => ({ piece, id, kind, start, end })),
      };
    }
  }
}

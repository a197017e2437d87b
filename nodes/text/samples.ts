/**
 * Bundled sample texts for the Text node.
 *
 * Licence: written for Tokenloom by its authors and dedicated to the public domain (CC0 1.0),
 * except the corpus excerpt (public domain, see corpus-sample.ts); see nodes/text/SAMPLES.md. Each sample is short enough to tokenize on every keystroke and
 * chosen to show one thing: English prose (the common case), Odia (a script GPT-2 handles
 * badly), source code (whitespace and symbols), and emoji with mixed scripts (multi-byte
 * characters and joiners).
 */

export interface TextSample {
  id: string;
  title: string;
  text: string;
}

import { SOTU_1862_EXCERPT } from './corpus-sample';

export const TEXT_SAMPLES: readonly TextSample[] = [
  {
    id: 'english',
    title: 'English prose',
    text:
      'I love NLP. Before a language model can read a sentence, the sentence has to become numbers. ' +
      'A tokenizer cuts the text into pieces it knows, and each piece has an ID in its vocabulary. ' +
      'Common words like "the" get a piece of their own; rarer words such as "untokenizable" are built ' +
      'from smaller pieces. The model never sees letters, only the IDs.',
  },
  {
    id: 'odia',
    title: 'Odia paragraph',
    text:
      'ଓଡ଼ିଆ ଭାଷା ଭାରତର ଓଡ଼ିଶା ରାଜ୍ୟର ସରକାରୀ ଭାଷା। ଏହି ଭାଷାରେ କୋଟି କୋଟି ଲୋକ କଥା କୁହନ୍ତି। ' +
      'ଜଣେ ପିଲା ବିଦ୍ୟାଳୟକୁ ଯାଏ ଏବଂ ନୂଆ ଶବ୍ଦ ଶିଖେ। ଆମେ ଆମର ଭାଷାକୁ ଭଲ ପାଉ।',
  },
  {
    id: 'code',
    title: 'Source code',
    text: [
      'def count_pairs(ids):',
      '    """Count how often each adjacent pair of ids occurs."""',
      '    counts = {}',
      '    for pair in zip(ids, ids[1:]):',
      '        counts[pair] = counts.get(pair, 0) + 1',
      '    return counts',
      '',
      'print(count_pairs([1, 2, 3, 1, 2]))  # {(1, 2): 2, (2, 3): 1, (3, 1): 1}',
    ].join('\n'),
  },
  {
    id: 'emoji',
    title: 'Emoji and mixed scripts',
    text: 'Hello 👋🏽 world! 🇮🇳 नमस्ते, ଜଣେ, こんにちは, café vs café, 👨‍👩‍👧 family, 😀😀😀 done.',
  },
  { id: 'sotu-1862', title: 'Corpus: Lincoln, 1862 (24 KB)', text: SOTU_1862_EXCERPT },
];

export function findSample(id: string): TextSample | undefined {
  return TEXT_SAMPLES.find((s) => s.id === id);
}

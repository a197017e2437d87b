/**
 * The "BPE vs WordPiece vs Unigram" template: the three ways a vocabulary is made, trained on one
 * corpus (English speeches and an Odia paragraph) and compared on a sentence none of them saw.
 */
import type { GraphDoc, Lesson } from '../engine/graph-doc';
import type { Prediction } from '../engine/lesson-prediction';
import { SOTU_1862_EXCERPT } from '../text/corpus-sample';
import { findSample } from '../text/samples';

export const THREE_ALGORITHMS_SENTENCE = 'Tokenizers cut unfamiliar words into familiar pieces. ଆମେ ନୂଆ ଶବ୍ଦ ଶିଖୁ।';

const edge = (source: string, sourcePort: string, target: string, targetPort: string) => ({
  id: `e-${source}-${sourcePort}-${target}-${targetPort}`,
  source,
  sourcePort,
  target,
  targetPort,
});

/** Students guess before the reveal; the BPE node's own count of the sentence's tokens answers. */
const BPE_PREDICTION: Prediction = { prompt: 'How many tokens will BPE cut the new sentence into?', measure: 'token-count', options: [] };

const LESSON: Lesson = {
  steps: (
    [
      ['corpus', 'What do the three learn from?', 'The same corpus for all three: a Lincoln speech and an Odia paragraph.', 'The text.'],
      ['bpe', 'How does BPE make a vocabulary?', 'It starts from the 256 bytes and merges the most frequent adjacent pair, again and again.', 'The merges by count.'],
      ['wordpiece', 'How is WordPiece different?', 'The same merges, but a piece inside a word carries ##; encoding takes the longest piece from the left, and a word it cannot spell becomes [UNK].', 'The ## merges, then step through the longest match.'],
      ['unigram', 'And Unigram (SentencePiece)?', 'The other way round: it starts from thousands of frequent substrings and prunes the ones the corpus can do without, until the size is reached. A word is cut where the pieces’ probabilities multiply highest.', 'The vocabulary size per round, then click a word for its lattice.'],
      ['compare', 'Which one cuts a new sentence best?', 'The sentence is not in the corpus. Count tokens per word, and look at the pieces only one of them learned.', 'Tokens per word and the pieces only one learned.'],
    ] as const
  ).map(([nodeId, question, note, lookAt]) => ({ nodeId, question, note, lookAt, ...(nodeId === 'bpe' ? { prediction: BPE_PREDICTION } : {}) })),
  controls: { hidePalette: false, lockGraph: false, visibleParams: {} },
};

export const THREE_ALGORITHMS_DOC: GraphDoc = {
  schemaVersion: 1,
  title: 'BPE vs WordPiece vs Unigram',
  nodes: [
    { id: 'corpus', type: 'text', title: 'Corpus', params: { text: `${SOTU_1862_EXCERPT}\n${findSample('odia')!.text}`, origin: 'sample:sotu-1862' }, position: { x: -360, y: 160 } },
    { id: 'sentence', type: 'text', title: 'Sentence', params: { text: THREE_ALGORITHMS_SENTENCE, origin: 'typed' }, position: { x: -360, y: -200 } },
    { id: 'pretokenize', type: 'pretokenize', params: { mode: 'gpt2-marks' }, position: { x: 0, y: -330 } },
    { id: 'bpe', type: 'bpe', params: { vocabSize: 800, minFrequency: 2, specialTokens: '' }, position: { x: 340, y: -330 } },
    { id: 'wordpiece', type: 'wordpiece', params: { vocabSize: 800, minFrequency: 2, stripAccents: 'no' }, position: { x: 340, y: 0 } },
    { id: 'unigram', type: 'unigram', params: { vocabSize: 800 }, position: { x: 340, y: 330 } },
    { id: 'compare', type: 'compare', params: { gpt2: false, bert: false, tinyllama: false }, position: { x: 720, y: 0 } },
  ],
  edges: [
    edge('sentence', 'text', 'pretokenize', 'text'),
    edge('pretokenize', 'pretokens', 'bpe', 'pretokens'),
    edge('corpus', 'text', 'bpe', 'corpus'),
    edge('sentence', 'text', 'wordpiece', 'text'),
    edge('corpus', 'text', 'wordpiece', 'corpus'),
    edge('sentence', 'text', 'unigram', 'text'),
    edge('corpus', 'text', 'unigram', 'corpus'),
    edge('sentence', 'text', 'compare', 'text'),
    edge('bpe', 'tokenizer', 'compare', 'a'),
    edge('wordpiece', 'tokenizer', 'compare', 'b'),
    edge('unigram', 'tokenizer', 'compare', 'c'),
  ],
  lesson: LESSON,
};

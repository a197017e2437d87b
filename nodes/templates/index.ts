/**
 * Templates: ready-made graphs, each set up so that one inspector answers one beginner's
 * question as soon as it opens. Plain GraphDocs, so they run anywhere the engine runs.
 */
import type { GraphDoc, Lesson } from '../engine/graph-doc';
import { YES_NO_OPTIONS, type Prediction } from '../engine/lesson-prediction';
import { SOTU_1862_EXCERPT } from '../text/corpus-sample';
import type { CorpusName } from '../text/odia-corpus';
import { THREE_ALGORITHMS_DOC } from './three-algorithms';

/** "The Odia language": the prompt the trained model continues. */
const ODIA_PROMPT = 'ଓଡ଼ିଆ ଭାଷା';
/** Both models of the vocabulary-size template: the same size, seed, prompt and time budget. */
const VOCAB_TRAIN = { preset: 'tiny', steps: 2000, timeBudget: 15, evalEvery: 20, sampleEvery: 100, prompt: ODIA_PROMPT } as const;

/** The Fine-tune template's paragraph (about tokenizers: new to a model that read speeches) and its probe. */
const FINETUNE_PROMPT = 'Tokenizers turn text into';
const FINETUNE_TEXT = [
  'Tokenizers turn text into numbers. A tokenizer cuts text into tokens and gives each token an ID.',
  'Tokenizers turn text into numbers before the model sees anything, and the model learns from the numbers.',
  'Fine-tuning changes the weights of the model: its embeddings, its attention and its predictions.',
  'Tokenizers turn text into numbers, and fine-tuning leaves those numbers as they were.',
].join(' ');

export interface Template {
  id: string;
  title: string;
  /** One line for the gallery. */
  description: string;
  /** The node whose inspector answers the question; opened on load. */
  focus: string;
  doc: GraphDoc;
}

type StepRow = [nodeId: string, question: string, note: string, lookAt: string, prediction?: Prediction];

/** A lesson from [nodeId, question, note, lookAt, prediction?] rows; controls off. */
function lesson(steps: StepRow[]): Lesson {
  return {
    steps: steps.map(([nodeId, question, note, lookAt, prediction]) => ({ nodeId, question, note, lookAt, ...(prediction ? { prediction } : {}) })),
    controls: { hidePalette: false, lockGraph: false, visibleParams: {} },
  };
}

/** Prediction questions students answer before the reveal; the graph computes the true answer. */
const predict = {
  count: (prompt: string): Prediction => ({ prompt, measure: 'token-count', options: [] }),
  bytes: (prompt: string): Prediction => ({ prompt, measure: 'byte-count', options: [] }),
  next: (prompt: string): Prediction => ({ prompt, measure: 'top-token', options: [] }),
  yesNo: (prompt: string, measure: 'same-ids' | 'id-is-frequency'): Prediction => ({ prompt, measure, options: YES_NO_OPTIONS }),
};

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
  lesson: lesson([
    [
      'text',
      'What does a computer see when it stores text?',
      'Every character is a number (its code point), stored as 1–4 bytes.',
      'The table of code points and UTF-8 bytes.',
      predict.bytes('How many bytes does this text take in UTF-8?'),
    ],
    ['clean', 'Why normalise text before tokenizing it?', 'The same-looking “é” can be one code point or two. Normalising makes them equal.', 'Pick the emoji sample: café is written both ways.'],
    ['pretokenize', 'What are the pieces BPE works on, and what is Ġ?', 'GPT-2 cuts text into word-like pieces that keep their leading space, written Ġ.', 'The chips and their offsets; the Ġ legend.'],
  ]),
};

/** Text → Clean → Pretokenize → BPE → IDs → Decode, the tokenizer half of the whole pipeline. */
function tokenizerChain(opts: {
  title: string;
  text: string;
  origin: string;
  mode: string;
  bpe: Record<string, unknown>;
  clean?: Record<string, unknown>;
  /** The corpus BPE trains on, when it is not the text: a text, or a shipped corpus by name. */
  corpus?: string | { corpus: CorpusName };
  /** The text encoded, as a shipped corpus by name. */
  textCorpus?: CorpusName;
  original?: boolean;
  steps?: StepRow[];
}): GraphDoc {
  const textParams = opts.textCorpus ? { text: '', origin: `corpus:${opts.textCorpus}`, corpus: opts.textCorpus } : { text: opts.text, origin: opts.origin };
  const nodes: GraphDoc['nodes'] = [
    // Two rows of three, so the whole chain stays readable on one screen (and a projector).
    { id: 'text', type: 'text', ...(opts.corpus !== undefined && { title: opts.textCorpus ? 'Held-out text' : 'Sentence' }), params: textParams, position: { x: 0, y: 0 } },
    { id: 'clean', type: 'clean', params: opts.clean ?? {}, position: { x: 340, y: 0 } },
    { id: 'pretokenize', type: 'pretokenize', params: { mode: opts.mode }, position: { x: 680, y: 0 } },
    { id: 'bpe', type: 'bpe', params: opts.bpe, position: { x: 0, y: 330 } },
    { id: 'ids', type: 'ids', params: {}, position: { x: 340, y: 330 } },
    { id: 'decode', type: 'decode', params: {}, position: { x: 680, y: 330 } },
  ];
  const edges = [
    edge('text', 'text', 'clean', 'text'),
    edge('clean', 'text', 'pretokenize', 'text'),
    edge('pretokenize', 'pretokens', 'bpe', 'pretokens'),
    edge('bpe', 'tokens', 'ids', 'tokens'),
    edge('bpe', 'tokenizer', 'ids', 'tokenizer'),
    edge('ids', 'ids', 'decode', 'ids'),
    edge('bpe', 'tokenizer', 'decode', 'tokenizer'),
    edge('clean', 'text', 'decode', 'original'),
  ];
  if (opts.original) edges.push(edge('text', 'text', 'bpe', 'original'));
  const steps: StepRow[] = opts.steps ?? [
    ['text', 'What text do we start from?', 'Any text works; the corpus decides what the tokenizer learns.', 'The character and byte counts.'],
    ['pretokenize', 'What pieces will BPE see?', 'BPE merges inside these pieces, never across them.', 'The chips.'],
    [
      'bpe',
      opts.title.endsWith('?') ? opts.title : 'How does BPE turn the pieces into tokens?',
      'Each merge joins the most frequent pair into a new token with the next ID.',
      'The merge timeline, the replay slider, ID against frequency.',
      // Trained merges only: GPT-2's shipped merges carry no counts to compare with.
      opts.bpe.source === 'gpt2' ? undefined : predict.yesNo('Do the IDs follow frequency: does a more frequent token always get a lower ID?', 'id-is-frequency'),
    ],
    ['ids', 'What does encode() return?', 'A list of IDs (and a mask): positions in this vocabulary.', 'input_ids and attention_mask.', predict.count('How many IDs will encode() return for this text?')],
    ['decode', 'Do we get the text back?', 'Byte-level BPE is lossless: decoding gives back exactly what was encoded.', 'The round-trip check.'],
  ];
  if (opts.corpus !== undefined) {
    const params =
      typeof opts.corpus === 'string'
        ? { text: opts.corpus, origin: 'sample:sotu-1862' }
        : { text: '', origin: `corpus:${opts.corpus.corpus}`, corpus: opts.corpus.corpus };
    nodes.push({ id: 'corpus', type: 'text', title: 'Corpus', params, position: { x: -340, y: 330 } });
    edges.push(edge('corpus', 'text', 'bpe', 'corpus'));
  }
  return { schemaVersion: 1, title: opts.title, nodes, edges, lesson: lesson(steps) };
}

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
            text: 'Each model numbers its own vocabulary. A common tutorial example claims GPT-2 gives [40, 1212, 20275]; the real GPT-2 gives 40 1842 399 19930 (NLP is two tokens).',
            color: 'blue',
          },
          position: { x: 0, y: 260 },
          size: { width: 300, height: 130 },
        },
      ],
      edges: [edge('text', 'text', 'gpt2', 'text'), edge('text', 'text', 'compare', 'text')],
      lesson: lesson([
        ['text', 'We give three models the same sentence. Will they see the same numbers?', 'Ask the class to guess before revealing.', 'The text: I love NLP.'],
        [
          'gpt2',
          'What IDs does GPT-2 give “I love NLP”?',
          'NLP is not in GPT-2’s vocabulary, so it is spelled ĠN + LP.',
          'The four tokens and their IDs.',
          predict.count('How many tokens will GPT-2 use for “I love NLP”?'),
        ],
        [
          'compare',
          'Are token IDs the same across models?',
          'No: each model numbers its own vocabulary, and BERT lowercases first.',
          'The three ID rows.',
          predict.yesNo('Will GPT-2, BERT and TinyLlama give the same IDs?', 'same-ids'),
        ],
      ]),
    },
  },
  {
    id: 'vocab',
    title: 'How is a vocabulary made?',
    description: 'Train BPE on a speech, watch the merges, replay them on your sentence.',
    focus: 'bpe',
    doc: tokenizerChain({
      title: 'How is a vocabulary made?',
      text: 'The unbroken union of these states is worth preserving.',
      origin: 'typed',
      mode: 'bytelevel',
      bpe: { vocabSize: 1000, minFrequency: 2 },
      corpus: SOTU_1862_EXCERPT,
    }),
  },
  {
    id: 'frequency',
    title: 'Is a token’s ID its frequency?',
    description: 'ID = merge order. See both orders side by side, and the scatter that shows they differ.',
    focus: 'bpe',
    doc: tokenizerChain({
      title: 'Is a token’s ID its frequency?',
      text: SOTU_1862_EXCERPT,
      origin: 'sample:sotu-1862',
      mode: 'bytelevel',
      bpe: { vocabSize: 800, minFrequency: 2 },
    }),
  },
  {
    id: 'odia-train',
    title: 'Can I train my own tokenizer, e.g. for Odia?',
    description: 'Train BPE on a real Odia corpus and count, on Odia it never saw, the tokens per word it spends against GPT-2, BERT and TinyLlama.',
    focus: 'bpe',
    doc: tokenizerChain({
      title: 'Train a tokenizer for Odia',
      text: '',
      origin: '',
      textCorpus: 'odia-heldout',
      corpus: { corpus: 'odia-train' },
      mode: 'gpt2-marks',
      bpe: { vocabSize: 2000, minFrequency: 2 },
      steps: [
        ['corpus', 'What does the tokenizer learn from?', 'A real Odia corpus: the translated interface text of free software, about 870 KB.', 'The character and byte counts; the scripts bar.'],
        ['text', 'How will we know it works?', 'A tenth of the corpus is held out: the tokenizer never trains on it, we only measure on it.', 'The held-out text.'],
        ['pretokenize', 'What pieces will BPE see?', 'The script-aware split keeps vowel signs and viramas inside their word; GPT-2’s split cuts there.', 'The chips.'],
        ['bpe', 'Can I train my own tokenizer for Odia?', 'Yes: BPE learns whole Odia words, and spends far fewer tokens per word than GPT-2 on text it never saw.', 'The whole words it learned and the tokens-per-word table.', predict.count('How many tokens will your Odia BPE use for the held-out text?')],
        ['decode', 'Do we get the text back?', 'Byte-level BPE is lossless: decoding gives back exactly what was encoded.', 'The round-trip check.'],
      ],
    }),
  },
  {
    id: 'gpt2-chain',
    title: 'What does tokenizer.encode() do? GPT-2, step by step',
    description: 'GPT-2’s own merges in a hand-built chain, checked against the official tokenizer.',
    focus: 'bpe',
    doc: tokenizerChain({
      title: 'GPT-2, step by step',
      text: 'I love NLP. Tokenizers turn text into numbers.',
      origin: 'typed',
      mode: 'bytelevel',
      bpe: { source: 'gpt2' },
      clean: { form: 'none', stripControl: false, replaceInvalid: false },
      original: true,
    }),
  },
  {
    id: 'three-algorithms',
    title: 'BPE vs WordPiece vs Unigram: how is a vocabulary made?',
    description: 'The three algorithms trained on one corpus, and a new sentence cut by each.',
    focus: 'compare',
    doc: THREE_ALGORITHMS_DOC,
  },
  {
    id: 'odia',
    title: 'Why train my own tokenizer? Odia in three models and yours',
    description: 'GPT-2, BERT and TinyLlama against a BPE trained on Odia, counted on held-out Odia none of them trained on.',
    focus: 'compare',
    doc: {
      schemaVersion: 1,
      title: 'Odia through GPT-2, BERT, TinyLlama and your own BPE',
      // The same Text → Clean → Pretokenize → BPE recipe as the odia-train template, so a run of both trains once.
      nodes: [
        { id: 'text', type: 'text', title: 'Held-out Odia', params: { text: '', origin: 'corpus:odia-heldout', corpus: 'odia-heldout' }, position: { x: 0, y: 0 } },
        { id: 'clean', type: 'clean', params: {}, position: { x: 340, y: 0 } },
        { id: 'pretokenize', type: 'pretokenize', params: { mode: 'gpt2-marks' }, position: { x: 680, y: 0 } },
        { id: 'corpus', type: 'text', title: 'Corpus', params: { text: '', origin: 'corpus:odia-train', corpus: 'odia-train' }, position: { x: -340, y: 330 } },
        { id: 'bpe', type: 'bpe', params: { vocabSize: 2000, minFrequency: 2 }, position: { x: 0, y: 330 } },
        { id: 'compare', type: 'compare', params: {}, position: { x: 380, y: 330 } },
      ],
      edges: [
        edge('text', 'text', 'clean', 'text'),
        edge('clean', 'text', 'pretokenize', 'text'),
        edge('pretokenize', 'pretokens', 'bpe', 'pretokens'),
        edge('corpus', 'text', 'bpe', 'corpus'),
        edge('bpe', 'tokenizer', 'compare', 'a'),
        edge('clean', 'text', 'compare', 'text'),
      ],
      lesson: lesson([
        [
          'text',
          'What do we measure on?',
          'A tenth of the Odia corpus, held out: no tokenizer here trained on it. Odia characters take 3 bytes each in UTF-8.',
          'The character and byte counts.',
          predict.bytes('How many bytes does the held-out Odia text take in UTF-8?'),
        ],
        ['bpe', 'What does a tokenizer trained on Odia learn?', 'Whole Odia syllables and words, from the other nine tenths of the corpus.', 'The whole words it learned.'],
        [
          'compare',
          'Why train your own tokenizer?',
          'GPT-2 spends about a token per byte, BERT gives [UNK], LLaMA falls back to bytes; the BPE trained on Odia spends a few tokens per word.',
          'The tokens-per-word column and the sentence above it, counted on the whole held-out text.',
        ],
      ]),
    },
  },
  {
    id: 'bpe-vs-ngram',
    title: 'Is BPE the same as an n-gram?',
    description: 'BPE makes the units; an n-gram counts sequences of them. Both predictions beside a Transformer’s.',
    focus: 'ngram',
    doc: {
      schemaVersion: 1,
      title: 'Is BPE the same as an n-gram?',
      nodes: [
        { id: 'text', type: 'text', params: { text: SOTU_1862_EXCERPT, origin: 'sample:sotu-1862' }, position: { x: 0, y: 0 } },
        { id: 'pretokenize', type: 'pretokenize', params: { mode: 'bytelevel' }, position: { x: 340, y: -330 } },
        { id: 'bpe', type: 'bpe', params: { vocabSize: 600, minFrequency: 2 }, position: { x: 680, y: -330 } },
        { id: 'tokenizer', type: 'pretrained', params: { model: 'gpt2' }, position: { x: 340, y: 0 } },
        { id: 'ngram', type: 'ngram', params: { n: 2, top: 15 }, position: { x: 680, y: 0 } },
        { id: 'ids', type: 'ids', params: {}, position: { x: 340, y: 330 } },
        { id: 'transformer', type: 'transformer', params: { topK: 5 }, position: { x: 680, y: 330 } },
      ],
      edges: [
        edge('text', 'text', 'pretokenize', 'text'),
        edge('pretokenize', 'pretokens', 'bpe', 'pretokens'),
        edge('text', 'text', 'tokenizer', 'text'),
        edge('tokenizer', 'tokens', 'ngram', 'tokens'),
        edge('tokenizer', 'tokens', 'ids', 'tokens'),
        edge('tokenizer', 'tokenizer', 'ids', 'tokenizer'),
        edge('ids', 'ids', 'transformer', 'ids'),
        edge('transformer', 'predictions', 'ngram', 'predictions'),
      ],
      lesson: lesson([
        ['bpe', 'What does BPE learn from a corpus?', 'Units: it merges the most frequent adjacent pair into a new token, again and again.', 'The merge timeline.'],
        ['ngram', 'What does an n-gram model learn?', 'Counts of sequences of units, and from them the probability of the next unit.', 'The top bigrams and the prediction.'],
        [
          'transformer',
          'How does a Transformer predict the next token?',
          'From all previous tokens in its window, with learned weights, not only the last n−1.',
          'The top-5 and the attention.',
          predict.next('Which token will the model rank first as the next one?'),
        ],
        ['ngram', 'Is BPE the same as an n-gram?', 'No. A BPE merge is a frequent 2-gram of symbols turned into a new unit; an n-gram model counts sequences of units to predict.', 'The two predictions side by side.'],
      ]),
    },
  },
  {
    id: 'pipeline',
    title: 'What is the whole flow from text to output text?',
    description: 'Text → tokens → IDs → a real (tiny) GPT-2 → predictions, and Generate → Decode back to text.',
    focus: 'transformer',
    doc: {
      schemaVersion: 1,
      title: 'From text to output text',
      nodes: [
        { id: 'text', type: 'text', params: { text: 'I love', origin: 'typed' }, position: { x: 0, y: 0 } },
        { id: 'tokenizer', type: 'pretrained', params: { model: 'gpt2' }, position: { x: 360, y: 0 } },
        { id: 'ids', type: 'ids', params: {}, position: { x: 700, y: 0 } },
        { id: 'transformer', type: 'transformer', params: { topK: 5 }, position: { x: 1040, y: -160 } },
        { id: 'generate', type: 'generate', params: { strategy: 'greedy', maxNewTokens: 20 }, position: { x: 1040, y: 200 } },
        { id: 'decode', type: 'decode', params: {}, position: { x: 1380, y: 200 } },
      ],
      edges: [
        edge('text', 'text', 'tokenizer', 'text'),
        edge('tokenizer', 'tokens', 'ids', 'tokens'),
        edge('tokenizer', 'tokenizer', 'ids', 'tokenizer'),
        edge('ids', 'ids', 'transformer', 'ids'),
        edge('ids', 'ids', 'generate', 'ids'),
        edge('generate', 'ids', 'decode', 'ids'),
        edge('tokenizer', 'tokenizer', 'decode', 'tokenizer'),
      ],
      lesson: lesson([
        ['text', 'What do we give the model?', 'Plain text. The model never sees letters, only numbers.', 'The text: I love.'],
        ['tokenizer', 'How does the text become tokens?', 'GPT-2’s tokenizer cuts it into pieces from its vocabulary: I, Ġlove.', 'The tokens and their IDs.', predict.count('How many tokens will GPT-2 make of “I love”?')],
        ['ids', 'What does the model actually receive?', 'A list of IDs, here [40, 1842]: row numbers in the model’s vocabulary.', 'input_ids.'],
        [
          'transformer',
          'What does the model output?',
          'A probability for every one of the 50,257 tokens as the next one. This tiny model read State of the Union speeches.',
          'The top-5 bars, then the attention heatmaps.',
          predict.next('Which token comes next after “I love”?'),
        ],
        ['generate', 'How does it write more than one token?', 'Pick a token, append it, predict again. Greedy always picks the top one, so it soon repeats itself.', 'The text growing token by token.'],
        ['decode', 'How do the new IDs become text again?', 'The same tokenizer runs backwards: IDs → tokens → bytes → text.', 'The decoded text.'],
      ]),
    },
  },
  {
    id: 'train-odia',
    title: 'Your own model: train a tokenizer on Odia, then a model on it',
    description: 'BPE learns Odia tokens, then a tiny GPT learns to write with them: watch its samples go from noise to Odia.',
    focus: 'train',
    doc: {
      schemaVersion: 1,
      title: 'Your own model, on your own Odia tokenizer',
      nodes: [
        { id: 'corpus', type: 'text', title: 'Corpus', params: { text: '', origin: 'corpus:odia-train', corpus: 'odia-train' }, position: { x: 0, y: -240 } },
        { id: 'prompt', type: 'text', title: 'Prompt', params: { text: ODIA_PROMPT, origin: 'typed' }, position: { x: 0, y: 200 } },
        { id: 'pretokenize', type: 'pretokenize', params: { mode: 'gpt2-marks' }, position: { x: 340, y: 200 } },
        { id: 'bpe', type: 'bpe', params: { vocabSize: 1000, minFrequency: 2 }, position: { x: 680, y: 200 } },
        { id: 'train', type: 'train-model', params: { preset: 'tiny', steps: 300, evalEvery: 10, sampleEvery: 50, prompt: ODIA_PROMPT }, position: { x: 1020, y: -240 } },
        { id: 'ids', type: 'ids', params: {}, position: { x: 1020, y: 200 } },
        { id: 'generate', type: 'generate', params: { strategy: 'sample', temperature: 0.8, topK: 20, maxNewTokens: 30, seed: 7 }, position: { x: 1360, y: 0 } },
        { id: 'decode', type: 'decode', params: {}, position: { x: 1700, y: 0 } },
      ],
      edges: [
        edge('prompt', 'text', 'pretokenize', 'text'),
        edge('pretokenize', 'pretokens', 'bpe', 'pretokens'),
        edge('corpus', 'text', 'bpe', 'corpus'),
        edge('bpe', 'tokenizer', 'train', 'tokenizer'),
        edge('corpus', 'text', 'train', 'corpus'),
        edge('bpe', 'tokens', 'ids', 'tokens'),
        edge('bpe', 'tokenizer', 'ids', 'tokenizer'),
        edge('ids', 'ids', 'generate', 'ids'),
        edge('train', 'model', 'generate', 'model'),
        edge('generate', 'ids', 'decode', 'ids'),
        edge('bpe', 'tokenizer', 'decode', 'tokenizer'),
      ],
      lesson: lesson([
        ['corpus', 'What will the tokenizer and the model learn from?', 'A real Odia corpus: the translated interface text of free software, about 870 KB, one short phrase a line. A real model reads billions of words; this is enough to watch learning happen.', 'The character and byte counts; the scripts bar.'],
        ['bpe', 'Which tokens does Odia get?', 'The script-aware split keeps vowel signs inside words, so BPE merges Odia letters into 1,000 syllables and frequent words.', 'The merge timeline.', predict.count('How many tokens will your Odia BPE use for the prompt?')],
        [
          'train',
          'Can a model learn to write with these tokens?',
          'It starts from random weights: every token equally likely, a loss of ln(1,000) ≈ 6.9, and its first sample is noise. Its samples soon turn into short lines, as the corpus has, of Odia syllables with a few common words such as ଏହି (this) and ପାଇଁ (for). Within a hundred or two steps the held-out loss falls below the unigram line: the model has learned which tokens are common. The bigram line stays below it: counting every pair in the whole corpus knows more than a tiny model that has read a small part of it for a minute.',
          'The samples step by step, then the held-out curve against the two lines.',
        ],
        ['generate', 'Does the new model write Odia?', 'Generate runs the model you just trained, with your tokenizer’s IDs: Odia syllables and words, not yet sentences.', 'The generated tokens.'],
      ]),
    },
  },
  {
    id: 'vocab-size-model',
    title: 'Why does vocabulary size matter?',
    description: 'Two tiny GPTs on the same Odia text, one on a 500-token BPE and one on a 4,000-token BPE, trained side by side for the same 15 seconds.',
    focus: 'small-vocab',
    doc: {
      schemaVersion: 1,
      title: 'Why does vocabulary size matter?',
      nodes: [
        // The shipped Odia corpus: the English samples are too short for 4,000 tokens (a BPE runs out of pairs at about 3,100).
        { id: 'corpus', type: 'text', title: 'Corpus', params: { text: '', origin: 'corpus:odia-train', corpus: 'odia-train' }, position: { x: 0, y: 0 } },
        { id: 'pretokenize', type: 'pretokenize', params: { mode: 'gpt2-marks' }, position: { x: 340, y: 0 } },
        { id: 'bpe-500', type: 'bpe', title: '500 tokens', params: { vocabSize: 500, minFrequency: 2 }, position: { x: 680, y: -240 } },
        { id: 'bpe-4000', type: 'bpe', title: '4,000 tokens', params: { vocabSize: 4000, minFrequency: 2 }, position: { x: 680, y: 240 } },
        { id: 'small-vocab', type: 'train-model', title: 'Model on 500 tokens', params: { ...VOCAB_TRAIN }, position: { x: 1020, y: -240 } },
        { id: 'large-vocab', type: 'train-model', title: 'Model on 4,000 tokens', params: { ...VOCAB_TRAIN }, position: { x: 1020, y: 240 } },
      ],
      edges: [
        edge('corpus', 'text', 'pretokenize', 'text'),
        edge('pretokenize', 'pretokens', 'bpe-500', 'pretokens'),
        edge('pretokenize', 'pretokens', 'bpe-4000', 'pretokens'),
        edge('bpe-500', 'tokenizer', 'small-vocab', 'tokenizer'),
        edge('bpe-4000', 'tokenizer', 'large-vocab', 'tokenizer'),
        edge('corpus', 'text', 'small-vocab', 'corpus'),
        edge('corpus', 'text', 'large-vocab', 'corpus'),
      ],
      lesson: lesson([
        [
          'bpe-4000',
          'What does a bigger vocabulary buy?',
          'Longer tokens: the same Odia text becomes fewer than half as many tokens (about 3.8 characters a token, against 1.7 with 500), so a model reads more than twice as much text in its 64-token window.',
          'The token count against the 500-token tokenizer’s.',
          predict.count('How many tokens will the 4,000-token BPE use for the corpus?'),
        ],
        [
          'small-vocab',
          'How fast does the small-vocabulary model learn?',
          'Each of its 500 rows is seen often, so in its 15 seconds it learns which tokens are common: its held-out loss comes down to the unigram line. But its tokens are barely more than letters, so every character costs it a lot.',
          'The curves against the two lines, and the loss per character on the node.',
        ],
        [
          'large-vocab',
          'And the large one?',
          'Eight times the rows, each seen rarely, and a wider output layer: in the same 15 seconds it is still far from its bigram line and its samples are noise. Yet per character it is already ahead, because each of its tokens holds more than twice the text. Compare models with different tokenizers per character, not per token.',
          'Loss per character on the two nodes, side by side.',
        ],
      ]),
    },
  },
  {
    id: 'finetune',
    title: 'Do token IDs change during fine-tuning?',
    description: 'Train the tiny GPT-2 on a paragraph for a few steps: the weights and predictions move, the token IDs do not.',
    focus: 'finetune',
    doc: {
      schemaVersion: 1,
      title: 'Do token IDs change during fine-tuning?',
      nodes: [
        { id: 'corpus', type: 'text', title: 'Training text', params: { text: FINETUNE_TEXT, origin: 'typed' }, position: { x: 0, y: -220 } },
        { id: 'text', type: 'text', title: 'Prompt', params: { text: FINETUNE_PROMPT, origin: 'typed' }, position: { x: 0, y: 160 } },
        { id: 'tokenizer', type: 'pretrained', params: { model: 'gpt2' }, position: { x: 360, y: 160 } },
        { id: 'ids', type: 'ids', params: {}, position: { x: 700, y: 160 } },
        {
          id: 'finetune',
          type: 'finetune',
          params: { steps: 8, batchSize: 4, seqLength: 32, learningRate: 0.003, watchText: FINETUNE_PROMPT, probePrompt: FINETUNE_PROMPT },
          position: { x: 700, y: -220 },
        },
        { id: 'base', type: 'transformer', title: 'Base model', params: { topK: 5 }, position: { x: 1040, y: 260 } },
        { id: 'tuned', type: 'transformer', title: 'Fine-tuned model', params: { topK: 5 }, position: { x: 1040, y: -120 } },
      ],
      edges: [
        edge('corpus', 'text', 'finetune', 'text'),
        edge('tokenizer', 'tokenizer', 'finetune', 'tokenizer'),
        edge('text', 'text', 'tokenizer', 'text'),
        edge('tokenizer', 'tokens', 'ids', 'tokens'),
        edge('tokenizer', 'tokenizer', 'ids', 'tokenizer'),
        edge('ids', 'ids', 'base', 'ids'),
        edge('ids', 'ids', 'tuned', 'ids'),
        edge('finetune', 'model', 'tuned', 'model'),
      ],
      lesson: lesson([
        ['corpus', 'What will the model be trained on?', 'A paragraph about tokenizers: nothing like the State of the Union speeches the model read.', 'The text.'],
        [
          'ids',
          'What IDs does the prompt have before training?',
          'GPT-2’s tokenizer gives these IDs; the model reads them as row numbers of its embedding table.',
          'input_ids.',
          predict.count('How many IDs does the prompt “Tokenizers turn text into” have?'),
        ],
        ['finetune', 'Do token IDs change during fine-tuning?', 'No. Training changes the weights — embedding rows, attention matrices, predictions — never the tokenizer, so the IDs are identical.', 'The IDs check, then the loss curves and the rows that moved.'],
        ['tuned', 'So what did change?', 'The same IDs now lead to different predictions: compare the fine-tuned model’s top-5 with the original’s.', 'Top-5 here against the base Transformer below.'],
      ]),
    },
  },
];

export function findTemplate(id: string): Template | undefined {
  return TEMPLATES.find((t) => t.id === id);
}

/**
 * Unigram: SentencePiece's algorithm trained on the canvas. It starts from a big vocabulary of
 * frequent substrings and prunes it, EM round after EM round, to the pieces that explain the
 * corpus best; a word is encoded as its most probable segmentation (Viterbi). Outputs the
 * tokenizer and the tokens of the text.
 *
 * Training is deterministic (SentencePiece's tie-breaks: higher score, then the smaller string),
 * so a shared link reproduces the same pieces anywhere.
 */
import { z } from 'zod';
import { defineNode } from '../engine/define-node';
import { fingerprint, shareWork } from '../engine/shared-work';
import { unigramEncoderFor, type TokenizerRef } from '../shared/tokenizer-ref';
import { checkSample } from '../export/sample';
import { toUnigramFiles } from './hf-export';
import { MAX_UNIGRAM_VOCAB, MIN_UNIGRAM_VOCAB, trainUnigram } from './train-unigram';

const PIECES_SHOWN = 300;
const TEXT_SAMPLE = 2000;
const LATTICE_WORD_LIMIT = 64;

export const unigramNode = defineNode({
  type: 'unigram',
  version: 1,
  title: 'Unigram',
  question: 'How does SentencePiece make its vocabulary: start big and prune?',
  summary: 'Train a Unigram LM tokenizer (SentencePiece’s algorithm): EM rounds, pruning, Viterbi encoding.',
  category: 'tokenize',
  inputs: {
    text: { kind: 'text', label: 'text' },
    corpus: { kind: 'text', label: 'corpus', optional: true },
  },
  outputs: {
    tokenizer: { kind: 'tokenizer', label: 'tokenizer' },
    tokens: { kind: 'tokens', label: 'tokens' },
  },
  params: z.object({
    vocabSize: z.number().int().min(MIN_UNIGRAM_VOCAB).max(MAX_UNIGRAM_VOCAB).default(1000).describe('Vocabulary size (pieces + <unk> <s> </s>)'),
    characterCoverage: z.number().min(0.5).max(1).default(0.9995).describe('Share of characters the alphabet must cover'),
    maxPieceLength: z.number().int().min(1).max(64).default(16).describe('Longest piece (characters)'),
    byteFallback: z.boolean().default(false).describe('Spell unknown characters as bytes'),
    shrinkingFactor: z.number().min(0.5).max(0.95).default(0.75).describe('Share of pieces kept per pruning round'),
  }),
  run: async ({ text, corpus }, params, ctx) => {
    const trainOn = corpus ?? text;
    // spm_train skips lines over 4192 bytes; a pasted paragraph is one line, so here every line counts.
    const settings = { ...params, maxSentenceLength: Number.MAX_SAFE_INTEGER };
    const trained = await shareWork(`unigram:${fingerprint(trainOn)}:${JSON.stringify(settings)}`, ctx, ({ checkpoint, progress }) =>
      trainUnigram(trainOn, settings, { checkpoint, progress }),
    );
    const label = 'Unigram (trained)';
    const tokenizer: TokenizerRef = { kind: 'unigram', label, model: trained };
    const encoder = unigramEncoderFor(trained);
    const pieces = encoder.encodeTokens(text);
    const firstWord = text.split(/\s+/).find((w) => w.length > 1) ?? text.trim();
    const normal = trained.pieces.map((p, id) => ({ ...p, id })).filter((p) => p.kind === 'normal');
    return {
      tokenizer,
      tokens: { text, tokenizer: label, pieces },
      details: {
        training: {
          vocabSize: trained.pieces.length,
          requiredChars: trained.requiredChars,
          uniqueWords: trained.uniqueWords,
          sentences: trained.sentences,
        },
        corpusChars: trainOn.length,
        rounds: trained.rounds,
        topPieces: normal.slice(0, PIECES_SHOWN).map((p) => ({ id: p.id, piece: p.piece, score: p.score, probability: Math.exp(p.score) })),
        lattice: encoder.lattice([...firstWord].slice(0, LATTICE_WORD_LIMIT).join('')),
      },
    };
  },
  /** Export files, or the lattice of a word the learner clicked. */
  query: ({ outputs }, request: { export?: boolean; notebook?: boolean; lattice?: string }) => {
    const ref = outputs.tokenizer;
    if (ref.kind !== 'unigram') throw new Error('Only a Unigram tokenizer can be asked here.');
    if (typeof request.lattice === 'string') return unigramEncoderFor(ref.model).lattice([...request.lattice].slice(0, LATTICE_WORD_LIMIT).join(''));
    if (!request.export && !request.notebook) throw new Error('Unknown question for the Unigram node.');
    const files = toUnigramFiles(ref.model);
    if (!request.notebook) return files;
    return { files, check: checkSample(outputs.tokens) };
  },
  view: ({ outputs, details }) => ({
    ...details!,
    tokenCount: outputs.tokens.pieces.length,
    unknownCount: outputs.tokens.pieces.filter((p) => p.kind === 'unknown').length,
    charCount: [...outputs.tokens.text].length,
    text: outputs.tokens.text.slice(0, 20_000),
    pieces: outputs.tokens.pieces.slice(0, TEXT_SAMPLE),
  }),
});

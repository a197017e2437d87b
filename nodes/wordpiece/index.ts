/**
 * WordPiece: BERT's algorithm trained on the canvas. Training is BPE where a character after a
 * word's first carries '##'; encoding takes the longest vocabulary entry from the left. Outputs
 * the tokenizer and the tokens of the text.
 *
 * Training is deterministic (ties: the smaller pair of ids; prefixed characters numbered in the
 * order the corpus shows them), so a shared link reproduces the same vocabulary anywhere.
 */
import { z } from 'zod';
import { defineNode } from '../engine/define-node';
import { fingerprint, shareWork } from '../engine/shared-work';
import { wordPieceEncoderFor, type TokenizerRef } from '../shared/tokenizer-ref';
import { checkSample } from '../export/sample';
import { BERT_TEXT_DEFAULTS, bertPieces, type BertTextOptions } from './bert-text';
import type { WordPieceStep } from './encode-wordpiece';
import { toWordPieceFiles } from './hf-export';
import { MAX_WORDPIECE_VOCAB, trainWordPiece } from './train-wordpiece';

const MERGES_HEAD = 400;
const MERGES_TAIL = 40;
const TRACE_WORDS = 30;
const TEXT_SAMPLE = 2000;

export const STRIP_ACCENTS = ['auto', 'yes', 'no'] as const;

function textOptions(params: { lowercase: boolean; stripAccents: (typeof STRIP_ACCENTS)[number]; normalize: boolean }): BertTextOptions | null {
  if (!params.normalize) return null;
  return { ...BERT_TEXT_DEFAULTS, lowercase: params.lowercase, stripAccents: params.stripAccents === 'auto' ? null : params.stripAccents === 'yes' };
}

export const wordpieceNode = defineNode({
  type: 'wordpiece',
  version: 1,
  title: 'WordPiece',
  question: 'How does BERT make its vocabulary, and how does it cut a word it has never seen?',
  summary: 'Train WordPiece (BERT’s algorithm) on your corpus: merges with ##, then longest-match encoding.',
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
    vocabSize: z.number().int().min(10).max(MAX_WORDPIECE_VOCAB).default(2000).describe('Vocabulary size (specials + alphabet + merges)'),
    minFrequency: z.number().int().min(0).max(1_000_000).default(2).describe('Minimum pair count to merge'),
    normalize: z.boolean().default(true).describe('BERT normaliser (clean text, CJK spacing)'),
    lowercase: z.boolean().default(true).describe('Lowercase (BERT uncased)'),
    stripAccents: z.enum(STRIP_ACCENTS).default('auto').describe('Strip accents (auto: when lowercasing)'),
    prefix: z.string().min(1).max(8).default('##').describe('Continuing-subword prefix'),
    specialTokens: z.string().max(500).default('[PAD], [UNK], [CLS], [SEP], [MASK]').describe('Special tokens (comma-separated)'),
    maxInputCharsPerWord: z.number().int().min(1).max(10_000).default(100).describe('Longer words become [UNK]'),
  }),
  run: async ({ text, corpus }, params, ctx) => {
    const specials = params.specialTokens.split(',').map((s) => s.trim()).filter(Boolean);
    const settings = {
      vocabSize: params.vocabSize,
      minFrequency: params.minFrequency,
      specialTokens: specials,
      prefix: params.prefix,
      text: textOptions(params),
      unkToken: specials.includes('[UNK]') ? '[UNK]' : (specials[0] ?? '[UNK]'),
      maxInputCharsPerWord: params.maxInputCharsPerWord,
    };
    const trainOn = corpus ?? text;
    const trained = await shareWork(`wordpiece:${fingerprint(trainOn)}:${JSON.stringify(settings)}`, ctx, ({ checkpoint, progress }) =>
      trainWordPiece(trainOn, settings, { checkpoint, progress }),
    );
    const label = 'WordPiece (trained)';
    const tokenizer: TokenizerRef = { kind: 'wordpiece', label, model: trained };
    const encoder = wordPieceEncoderFor(trained);
    const pieces = encoder.encodeTokens(text);

    // Longest-match traces of the text's first distinct words, for the step-by-step view.
    const seen = new Set<string>();
    const traces: { word: string; steps: WordPieceStep[]; pieces: string[] | null }[] = [];
    for (const { word } of bertPieces(text.slice(0, 20_000), trained.text ?? { cleanText: false, handleChineseChars: false, stripAccents: false, lowercase: false })) {
      if (traces.length >= TRACE_WORDS) break;
      if (seen.has(word) || [...word].length < 2) continue;
      seen.add(word);
      const steps: WordPieceStep[] = [];
      const found = encoder.encodeWord(word, steps);
      traces.push({ word, steps: steps.map((s) => ({ ...s, tried: s.tried.slice(0, 12) })), pieces: found?.map((p) => p.piece) ?? null });
    }
    const merges = trained.merges;
    return {
      tokenizer,
      tokens: { text, tokenizer: label, pieces },
      details: {
        training: {
          vocabSize: trained.tokens.length,
          merges: merges.length,
          startVocabulary: trained.tokens.length - new Set(merges.map((m) => m.id)).size,
          stoppedBecause: trained.stoppedBecause,
          uniqueWords: trained.uniqueWords,
          totalWords: trained.totalWords,
        },
        corpusChars: trainOn.length,
        headRows: merges.slice(0, MERGES_HEAD).map((m, rank) => ({ rank, ...m })),
        tailRows: merges.slice(Math.max(MERGES_HEAD, merges.length - MERGES_TAIL)).map((m, i, all) => ({ rank: merges.length - all.length + i, ...m })),
        traces,
      },
    };
  },
  /** Export as Hugging Face files (nodes/export); `notebook` adds the text and IDs to check against. */
  query: ({ outputs }, request: { export?: boolean; notebook?: boolean }) => {
    if (!request.export && !request.notebook) throw new Error('Unknown question for the WordPiece node.');
    const ref = outputs.tokenizer;
    if (ref.kind !== 'wordpiece') throw new Error('Only a WordPiece tokenizer can be exported here.');
    const files = toWordPieceFiles(ref.model);
    if (!request.notebook) return files;
    return { files, check: checkSample(outputs.tokens) };
  },
  view: ({ outputs, details }) => ({
    ...details!,
    prefix: outputs.tokenizer.kind === 'wordpiece' ? outputs.tokenizer.model.prefix : '##',
    tokenCount: outputs.tokens.pieces.length,
    unknownCount: outputs.tokens.pieces.filter((p) => p.kind === 'unknown').length,
    charCount: [...outputs.tokens.text].length,
    pieces: outputs.tokens.pieces.slice(0, TEXT_SAMPLE),
  }),
});

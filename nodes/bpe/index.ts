/**
 * BPE: byte-level BPE trained on the canvas (or GPT-2's own merges), applied to the pieces that
 * arrive from Pretokenize. Outputs the tokenizer and the tokens of the text.
 *
 * Training is deterministic (tie-break: higher pair count first, then the smaller (left id,
 * right id)), so a shared link reproduces the same merges and IDs on any machine.
 */
import { z } from 'zod';
import { defineNode, type Resources } from '../engine/define-node';
import { fingerprint, shareWork } from '../engine/shared-work';
import type { Pretokens } from '../engine/ports';
import { bpeEncoderFor, loadPretrained, type TokenizerRef } from '../shared/tokenizer-ref';
import { MAX_VOCAB_SIZE, MIN_VOCAB_SIZE, trainBpe } from './train-bpe';
import { trainBpeFromStream } from './train-stream';
import { corpusFileRefSchema, openCorpusFile } from '../shared/corpus-file';
import { modelFromVocabAndMerges } from './vocab-files';
import { toHuggingFaceFiles } from './hf-export';
import { checkSample } from '../export/sample';
import { SHIPPED_TOKENIZER_LABELS } from '../pretrained/shipped';
import { measureOdia } from './measure-odia';
import { officialGpt2Ids } from './official-ids';
import type { BpeModel, TrainedBpe } from './types';
import type { SplitPattern } from './gpt2-split';
import {
  idFrequencyCorrelation,
  inversionExample,
  mergeRows,
  replayFrames,
  summarizeTraining,
  traceWords,
  type MergeRow,
} from './teach';

export const BPE_SOURCES = ['train', 'gpt2'] as const;
/** What the inspector receives of a long merge list: the start, and the end. */
const MERGES_HEAD = 400;
const MERGES_TAIL = 40;
const SCATTER_POINTS = 1500;
const TRACE_WORDS = 40;
const TEXT_SAMPLE = 2000;
/** Fewer merges than this from the text alone: say on the node how to get a useful vocabulary. */
const FEW_MERGES = 50;

/**
 * Why a freshly wired BPE gives byte IDs: with no corpus it trains on the sentence it encodes,
 * which yields a handful of merges. Said on the node, with the two ways out.
 */
function fewMergesHint(chars: number, merges: number): string {
  return `Training on ${chars.toLocaleString('en-US')} characters gives ${merges} ${merges === 1 ? 'merge' : 'merges'}, so most tokens are single bytes: connect a corpus to the corpus input, or set Merges to GPT-2’s.`;
}

/** Which split the trainer must use for the pieces it is given. */
function patternFor(pretokens: Pretokens): SplitPattern {
  switch (pretokens.scheme) {
    case 'bytelevel':
    case 'gpt2':
      return 'gpt2';
    case 'gpt2-marks':
      return 'gpt2-marks';
    default:
      throw new Error(
        `Byte-level BPE here splits text as GPT-2 does; the pieces come from the '${pretokens.scheme}' mode. Set Pretokenize to ByteLevel, GPT-2 regex or Script-aware.`,
      );
  }
}

const gpt2Models = new Map<string, Promise<BpeModel>>();
/** GPT-2's own vocabulary and merges, read from the shipped tokenizer.json. */
function loadGpt2Model(resources: Resources): Promise<BpeModel> {
  let pending = gpt2Models.get(resources.hubPath);
  if (!pending) {
    pending = loadPretrained('gpt2', resources).then((loaded) => {
      const model = loaded.tokenizerJson.model as { vocab: Record<string, number>; merges: (string | [string, string])[] };
      const merges = model.merges.map((m) => (Array.isArray(m) ? m.join(' ') : m)).join('\n');
      return modelFromVocabAndMerges(model.vocab, merges, ['<|endoftext|>']);
    });
    gpt2Models.set(resources.hubPath, pending);
    pending.catch(() => gpt2Models.delete(resources.hubPath));
  }
  return pending;
}

function hasOdia(text: string): boolean {
  return /\p{Script=Oriya}/u.test(text.slice(0, 5000));
}

/** Distinct multi-byte pieces of the text, in order of appearance, for the encode stepper. */
function wordsToTrace(pieces: Pretokens['pieces']): string[] {
  const seen = new Set<string>();
  for (const p of pieces) {
    if (seen.size >= TRACE_WORDS) break;
    if (p.text.trim().length >= 2) seen.add(p.text);
  }
  return [...seen];
}

function scatter(rows: readonly MergeRow[]) {
  const step = Math.max(1, Math.ceil(rows.length / SCATTER_POINTS));
  const points: { id: number; frequency: number; token: string }[] = [];
  for (let i = 0; i < rows.length; i += step) points.push({ id: rows[i]!.id, frequency: rows[i]!.frequency, token: rows[i]!.merged });
  return points;
}

export const bpeNode = defineNode({
  type: 'bpe',
  version: 1,
  title: 'BPE',
  question: 'How is a vocabulary made? Is a token ID its frequency?',
  summary: 'Train byte-level BPE on your corpus and watch the merges, or use GPT-2’s.',
  category: 'tokenize',
  inputs: {
    pretokens: { kind: 'pretokens', label: 'pieces' },
    corpus: { kind: 'text', label: 'corpus', optional: true },
    original: { kind: 'text', label: 'original text', optional: true },
  },
  outputs: {
    tokenizer: { kind: 'tokenizer', label: 'tokenizer' },
    tokens: { kind: 'tokens', label: 'tokens' },
  },
  params: z.object({
    source: z.enum(BPE_SOURCES).default('train').describe('Merges'),
    vocabSize: z
      .number()
      .int()
      .min(MIN_VOCAB_SIZE, `A vocabulary must hold at least the ${MIN_VOCAB_SIZE} bytes: pick ${MIN_VOCAB_SIZE} or more.`)
      .max(MAX_VOCAB_SIZE).default(1000).describe('Vocabulary size (256 bytes + merges + specials)'),
    minFrequency: z.number().int().min(0).max(1_000_000).default(2).describe('Minimum pair count to merge'),
    specialTokens: z.string().max(500).default('<|endoftext|>').describe('Special tokens (comma-separated)'),
    /**
     * Train on a corpus file instead of the corpus input: a reference by sha256 (the file itself
     * is in the browser's worker or on the server, shared/corpus-file.ts), set by the inspector.
     */
    corpusFile: corpusFileRefSchema.nullable().default(null).describe('Corpus file'),
  }),
  run: async ({ pretokens, corpus, original }, params, ctx) => {
    const text = pretokens.source;
    const pattern = patternFor(pretokens);
    let model: BpeModel;
    let trained: TrainedBpe | undefined;
    if (params.source === 'gpt2') {
      if (pattern !== 'gpt2') throw new Error("GPT-2's merges go with GPT-2's split: set Pretokenize to ByteLevel or GPT-2 regex.");
      model = await loadGpt2Model(ctx.resources);
    } else {
      const specials = params.specialTokens.split(',').map((s) => s.trim()).filter(Boolean);
      const trainOn = corpus ?? text;
      const settings = { vocabSize: params.vocabSize, minFrequency: params.minFrequency, specialTokens: specials, pattern };
      const file = params.corpusFile;
      // Keyed by what training depends on only: editing the text a separate corpus encodes
      // re-encodes at once instead of training again (or restarting a long training). A corpus
      // file is keyed by its hash: the same bytes train the same merges wherever they are read.
      trained = file
        ? await shareWork(`bpe:file:${file.sha256}:${file.format}:${file.jsonlField ?? ''}:${JSON.stringify(settings)}`, ctx, ({ checkpoint, progress }) =>
            trainBpeFromStream(openCorpusFile(file, ctx), settings, {
              checkpoint,
              progress,
              totalBytes: file.bytes,
              ...(file.format === 'jsonl' ? { jsonlField: file.jsonlField ?? 'text' } : {}),
            }),
          )
        : await shareWork(`bpe:${fingerprint(trainOn)}:${JSON.stringify(settings)}`, ctx, ({ checkpoint, progress }) =>
            trainBpe(trainOn, settings, { checkpoint, progress }),
          );
      model = trained;
    }
    const label = params.source === 'gpt2' ? 'BPE (GPT-2 merges)' : 'BPE (trained)';
    const tokenizer: TokenizerRef = { kind: 'bpe', label, model };
    const pieces = bpeEncoderFor(model).encodeTokens(text);
    const sample = text.slice(0, TEXT_SAMPLE);

    // Teaching extras, computed here where the model lives; the view only shapes them.
    const rows = trained ? mergeRows(trained.merges, trained.tokens) : [];
    const odia =
      trained && hasOdia(text) && !params.corpusFile
        ? await compareOdia(corpus ?? text, text, params, trained, ctx.resources, ctx.checkpoint)
        : null;
    const faithful = params.source === 'gpt2' ? await checkAgainstGpt2(original ?? text, pieces.map((p) => p.id), ctx.resources) : null;
    return {
      tokenizer,
      tokens: { text, tokenizer: label, pieces },
      details: {
        training: trained ? summarizeTraining(trained) : null,
        corpusChars: (corpus ?? text).length,
        corpusFile: params.corpusFile ? { name: params.corpusFile.name, bytes: params.corpusFile.bytes, where: params.corpusFile.where, words: trained?.totalWords ?? 0, uniqueWords: trained?.uniqueWords ?? 0 } : null,
        mergeCount: model.merges.length,
        vocabSize: model.tokens.length,
        headRows: trained ? rows.slice(0, MERGES_HEAD) : model.merges.slice(0, MERGES_HEAD).map((m, rank) => ({ rank, id: 256 + rank, left: m.left, right: m.right, merged: m.left + m.right, count: 0, frequency: 0 })),
        tailRows: trained ? rows.slice(Math.max(MERGES_HEAD, rows.length - MERGES_TAIL)) : [],
        scatter: scatter(rows),
        correlation: trained ? idFrequencyCorrelation(trained.merges) : null,
        inversion: inversionExample(rows),
        frames: trained ? replayFrames(model, sample) : [],
        traces: traceWords(model, wordsToTrace(pretokens.pieces)),
        odia,
        faithful,
        hint: trained && corpus === undefined && !params.corpusFile && trained.merges.length < FEW_MERGES ? fewMergesHint([...text].length, trained.merges.length) : null,
      },
    };
  },
  /**
   * Export as Hugging Face files, built on demand where the model lives; `notebook` adds the
   * text and IDs a notebook checks the files against (nodes/export).
   */
  query: ({ outputs }, request: { export?: boolean; notebook?: boolean }) => {
    if (!request.export && !request.notebook) throw new Error('Unknown question for the BPE node.');
    const ref = outputs.tokenizer;
    if (ref.kind !== 'bpe') throw new Error('Only a BPE tokenizer can be exported here.');
    const files = toHuggingFaceFiles(ref.model);
    if (!request.notebook) return files;
    return { files, check: checkSample(outputs.tokens), pattern: ref.model.pattern ?? 'gpt2' };
  },
  view: ({ outputs, details }) => ({
    ...details!,
    tokenCount: outputs.tokens.pieces.length,
    charCount: [...outputs.tokens.text].length,
    pieces: outputs.tokens.pieces.slice(0, TEXT_SAMPLE),
  }),
});

/**
 * "Can I train my own tokenizer for Odia?": the same training with the other split, then every
 * tokenizer's tokens per word on the text (measure-odia.ts). A shipped tokenizer that fails to
 * load is left out of the table rather than failing the node.
 */
async function compareOdia(
  corpus: string,
  text: string,
  params: { vocabSize: number; minFrequency: number },
  trained: TrainedBpe,
  resources: Resources,
  checkpoint: () => Promise<void>,
) {
  const other: SplitPattern = trained.pattern === 'gpt2' ? 'gpt2-marks' : 'gpt2';
  const alt = await trainBpe(corpus, { vocabSize: params.vocabSize, minFrequency: params.minFrequency, pattern: other }, { checkpoint });
  const gpt2 = await loadGpt2Model(resources).catch(() => null);
  const { encodeWithPieces } = await import('../pretrained/pretrained');
  const pretrained: { label: string; tokens: number; unknown: number; vocabSize: number }[] = [];
  for (const name of ['bert-base-uncased', 'tinyllama'] as const) {
    await checkpoint();
    const loaded = await loadPretrained(name, resources).catch(() => null);
    if (!loaded) continue;
    const { pieces } = encodeWithPieces(loaded, text, { addSpecialTokens: false });
    const unknown = pieces.filter((p) => p.kind === 'unknown').length;
    pretrained.push({ label: SHIPPED_TOKENIZER_LABELS[name], tokens: pieces.length, unknown, vocabSize: loaded.tokenizer.get_vocab().size });
  }
  return measureOdia({ corpus, text, trained, alt, gpt2, pretrained });
}

/** The faithful-chain badge: do this chain's IDs equal the official GPT-2 tokenizer's? */
async function checkAgainstGpt2(text: string, ours: readonly number[], resources: Resources) {
  // Line by line with the lines remembered: a keystroke encodes one line again (official-ids.ts).
  const official = officialGpt2Ids(await loadPretrained('gpt2', resources), text);
  let index = 0;
  while (index < ours.length && index < official.length && ours[index] === official[index]) index++;
  const equal = index === ours.length && index === official.length;
  return { equal, index, ours: ours.slice(index, index + 5), official: official.slice(index, index + 5), officialCount: official.length };
}

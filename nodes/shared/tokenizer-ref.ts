/**
 * What travels on a `tokenizer` port, and the one place that knows how to encode and decode
 * with any of them:
 * - a pretrained tokenizer travels as a handle (its name): its files are loaded, once, where
 *   the node runs; the loader is imported lazily, so transformers.js is fetched only when a
 *   graph first uses a pretrained tokenizer;
 * - a BPE tokenizer trained on the canvas (or GPT-2's merges) travels as its model: vocab,
 *   ordered merges, special tokens;
 * - a WordPiece or Unigram tokenizer trained on the canvas travels as its model too (a vocabulary
 *   with '##' continuations, or pieces with scores).
 *
 * Not handled here: the algorithms (bpe/, pretrained/), the files themselves (public/hub/).
 */
import type { Resources } from '../engine/define-node';
import type { Tokens } from '../engine/ports';
import type { TokenizerDescription } from '../pretrained/describe-tokenizer';
import type { BpeModel } from '../bpe/types';
import { BpeEncoder } from '../bpe/encode-bpe';
import { BpeDecoder } from '../bpe/decode-bpe';
import type { WordPieceModel } from '../wordpiece/types';
import { WordPieceEncoder, decodeWordPiece } from '../wordpiece/encode-wordpiece';
import type { UnigramModel } from '../unigram/types';
import { UnigramEncoder, decodeUnigram } from '../unigram/encode-unigram';

export type TokenizerRef =
  | { kind: 'pretrained'; name: string; label: string; description: TokenizerDescription }
  | { kind: 'bpe'; label: string; model: BpeModel }
  | { kind: 'wordpiece'; label: string; model: WordPieceModel }
  | { kind: 'unigram'; label: string; model: UnigramModel };

// The engine names no tokenizer: the `tokenizer` port's value type is declared here.
declare module '../engine/define-node' {
  interface PortValueMap {
    tokenizer: TokenizerRef;
  }
}

export async function loadPretrained(name: string, resources: Resources) {
  const { loadPretrainedTokenizer } = await import('../pretrained/pretrained');
  return loadPretrainedTokenizer(name, { localModelPath: resources.hubPath, allowRemote: resources.allowRemote });
}

// Building an encoder indexes the merges (about 30 ms for GPT-2's): keep one per model.
const encoders = new WeakMap<BpeModel, BpeEncoder>();
const decoders = new WeakMap<BpeModel, BpeDecoder>();

export function bpeEncoderFor(model: BpeModel): BpeEncoder {
  let encoder = encoders.get(model);
  if (!encoder) encoders.set(model, (encoder = new BpeEncoder(model)));
  return encoder;
}

const wordPieceEncoders = new WeakMap<WordPieceModel, WordPieceEncoder>();
export function wordPieceEncoderFor(model: WordPieceModel): WordPieceEncoder {
  let encoder = wordPieceEncoders.get(model);
  if (!encoder) wordPieceEncoders.set(model, (encoder = new WordPieceEncoder(model)));
  return encoder;
}

const unigramEncoders = new WeakMap<UnigramModel, UnigramEncoder>();
export function unigramEncoderFor(model: UnigramModel): UnigramEncoder {
  let encoder = unigramEncoders.get(model);
  if (!encoder) unigramEncoders.set(model, (encoder = new UnigramEncoder(model)));
  return encoder;
}

export function bpeDecoderFor(model: BpeModel): BpeDecoder {
  let decoder = decoders.get(model);
  if (!decoder) decoders.set(model, (decoder = new BpeDecoder(model)));
  return decoder;
}

const vocabularies = new WeakMap<object, string[]>();
/** A pretrained tokenizer's vocabulary by id (transformers.js gives token → id). */
export function idToToken(tokenizer: { get_vocab(): Map<string, number> }): string[] {
  let byId = vocabularies.get(tokenizer);
  if (!byId) {
    byId = [];
    for (const [token, id] of tokenizer.get_vocab()) byId[id] = token;
    vocabularies.set(tokenizer, byId);
  }
  return byId;
}

export async function encodeWith(ref: TokenizerRef, text: string, resources: Resources, addSpecialTokens = true): Promise<Tokens> {
  switch (ref.kind) {
    case 'pretrained': {
      const { encodeWithPieces } = await import('../pretrained/pretrained');
      const encoded = encodeWithPieces(await loadPretrained(ref.name, resources), text, { addSpecialTokens });
      return {
        text,
        tokenizer: ref.label,
        pieces: encoded.pieces.map(({ piece, id, kind, start, end }) => ({ piece, id, kind, start, end })),
      };
    }
    case 'bpe':
      return { text, tokenizer: ref.label, pieces: bpeEncoderFor(ref.model).encodeTokens(text) };
    case 'wordpiece':
      return { text, tokenizer: ref.label, pieces: wordPieceEncoderFor(ref.model).encodeTokens(text) };
    case 'unigram':
      return { text, tokenizer: ref.label, pieces: unigramEncoderFor(ref.model).encodeTokens(text) };
  }
}

/**
 * What decoding needs from a tokenizer, whatever its kind: its vocabulary size, ids to text,
 * and each token's piece and bytes. The Decode node's algorithm (validation, skipping special
 * tokens, the round trip) is nodes/decode/decode.ts.
 */
export interface TokenizerCodec {
  vocabSize: number;
  /** ids → text; the ids are in the vocabulary. */
  decode(ids: readonly number[]): string;
  /** The token as its vocabulary writes it. */
  piece(id: number): string;
  /** The bytes the token stands for. */
  tokenBytes(id: number): Uint8Array;
}

export async function codecFor(ref: TokenizerRef, resources: Resources): Promise<TokenizerCodec> {
  switch (ref.kind) {
    case 'bpe': {
      const decoder = bpeDecoderFor(ref.model);
      return {
        vocabSize: ref.model.tokens.length,
        decode: (ids) => decoder.decode(ids),
        piece: (id) => ref.model.tokens[id]!,
        tokenBytes: (id) => decoder.tokenBytes(id),
      };
    }
    case 'wordpiece':
    case 'unigram': {
      const vocab = vocabularyOfTrained(ref);
      const specials = new Set(specialTokensOf(ref).map((t) => t.id));
      return {
        vocabSize: vocab.length,
        decode: (ids) => (ref.kind === 'wordpiece' ? decodeWordPiece(ref.model, ids) : decodeUnigram(ref.model, ids)),
        piece: (id) => vocab[id]!,
        tokenBytes: (id) => (specials.has(id) ? new Uint8Array(0) : pieceBytes(ref, id)),
      };
    }
    case 'pretrained': {
      const { tokenizer } = await loadPretrained(ref.name, resources);
      const vocab = idToToken(tokenizer);
      const encoder = new TextEncoder();
      return {
        vocabSize: ref.description.vocabSize,
        decode: (ids) => tokenizer.decode(ids as number[], { skip_special_tokens: false }),
        piece: (id) => vocab[id] ?? '',
        tokenBytes: (id) => encoder.encode(tokenizer.decode([id], { skip_special_tokens: false })),
      };
    }
  }
}

/** The tokenizer's special tokens with the roles they play (bos, eos, cls, sep, pad, unk). */
export function specialTokensOf(ref: TokenizerRef): { content: string; id: number; roles: string[] }[] {
  switch (ref.kind) {
    case 'pretrained':
      return ref.description.specialTokens;
    case 'bpe':
      // A BPE tokenizer trained here has GPT-2's convention: one end-of-text token that also
      // serves as beginning-of-text and padding.
      return ref.model.specialTokens.map((t, i) => ({ ...t, roles: i === 0 ? ['bos', 'eos', 'pad'] : [] }));
    case 'wordpiece':
      // BERT's conventions: [CLS] starts, [SEP] ends, [PAD] pads, [UNK] stands for unknown words.
      return ref.model.specialTokens.map((t) => ({ ...t, roles: BERT_ROLES[t.content] ?? [] }));
    case 'unigram':
      return ref.model.pieces.flatMap((p, id) =>
        p.kind === 'unknown'
          ? [{ content: p.piece, id, roles: ['unk'] }]
          : p.kind === 'control'
            ? [{ content: p.piece, id, roles: id === ref.model.bosId ? ['bos'] : id === ref.model.eosId ? ['eos'] : [] }]
            : [],
      );
  }
}

const BERT_ROLES: Record<string, string[]> = { '[CLS]': ['cls', 'bos'], '[SEP]': ['sep', 'eos'], '[PAD]': ['pad'], '[UNK]': ['unk'], '[MASK]': ['mask'] };

function vocabularyOfTrained(ref: Extract<TokenizerRef, { kind: 'wordpiece' | 'unigram' }>): readonly string[] {
  return ref.kind === 'wordpiece' ? ref.model.tokens : ref.model.pieces.map((p) => p.piece);
}

/** The bytes one token stands for: a continuation without its prefix, '▁' as a space, a byte piece as its byte. */
function pieceBytes(ref: Extract<TokenizerRef, { kind: 'wordpiece' | 'unigram' }>, id: number): Uint8Array {
  const encoder = new TextEncoder();
  if (ref.kind === 'wordpiece') {
    const token = ref.model.tokens[id]!;
    return encoder.encode(token.startsWith(ref.model.prefix) ? token.slice(ref.model.prefix.length) : token);
  }
  const piece = ref.model.pieces[id]!;
  if (piece.kind === 'byte') return Uint8Array.of(parseInt(piece.piece.slice(3, 5), 16));
  return encoder.encode(piece.kind === 'normal' ? piece.piece.replaceAll('\u2581', ' ') : '');
}

/** Every token of the vocabulary by id: for the vocabulary browser. */
export async function vocabularyOf(ref: TokenizerRef, resources: Resources): Promise<readonly string[]> {
  switch (ref.kind) {
    case 'bpe':
      return ref.model.tokens;
    case 'wordpiece':
    case 'unigram':
      return vocabularyOfTrained(ref);
    case 'pretrained':
      return idToToken((await loadPretrained(ref.name, resources)).tokenizer);
  }
}

/** The end-of-text id: the tokenizer's eos (or bos) special token; null when it has none. */
export function eosIdOf(tokenizer: TokenizerRef): number | null {
  const specials = specialTokensOf(tokenizer);
  return (specials.find((t) => t.roles.includes('eos')) ?? specials.find((t) => t.roles.includes('bos')))?.id ?? null;
}

/**
 * Encoding text to token ids with a byte-level BPE model (ours or GPT-2's): GPT-2 pre-tokenization
 * (or model.pattern's variant), then, inside each piece, merges applied by rank.
 *
 *   const encoder = new BpeEncoder(gpt2Model);
 *   encoder.encode('I love NLP')   // [40, 1842, 399, 19930]
 *
 * Within a piece, the UTF-8 bytes start as one token each; then the adjacent pair whose merge
 * has the lowest rank is merged (every occurrence, left to right), again and again until no
 * adjacent pair has a merge. This is GPT-2's `bpe()` and HF's BPE model with ignore_merges=false.
 * A vocabulary entry is never looked up whole: 'abc' may be a token and still encode as 'a'+'bc'
 * if the merges say so.
 *
 * Speed: pieces repeat (' the', ','), so results are cached per piece (piece-cache.ts, bounded by
 * `cacheSize` entries and emptied when full: cheaper than LRU bookkeeping and as good for text
 * whose vocabulary is Zipfian). Single ASCII characters skip the cache. The merge loops
 * themselves (a scan for short pieces, a heap for long ones) are apply-merges.ts.
 *
 * Not handled here: step-by-step traces (trace-bpe.ts), decoding (decode-bpe.ts), other
 * pre-tokenizers. Special tokens in the text are plain text unless `allowSpecial` is set.
 */
import type { TokenPiece } from '../engine/ports';
import { BYTE_TO_CHAR } from '../pretokenize/byte-level';
import { gpt2PieceEnd, type SplitPattern } from './gpt2-split';
import { applyMerges } from './apply-merges';
import { PairTable } from './pair-table';
import { MAX_CACHED_LENGTH, PieceCache } from './piece-cache';
import type { BpeModel } from './types';
import { encodeUtf8Into, maxUtf8Length } from './utf8';

const DEFAULT_CACHE_SIZE = 100_000;

export interface BpeEncoderOptions {
  /** Most pieces remembered at once. 0 disables the cache. Default 100,000. */
  cacheSize?: number;
}

export interface EncodeOptions {
  /** Cut special tokens out of the text and give them their ids. Default false: they are text. */
  allowSpecial?: boolean;
}

/** One pre-token and the ids BPE gave it. Offsets are UTF-16 code units into the text. */
export interface EncodedPiece {
  start: number;
  end: number;
  ids: number[];
  special: boolean;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class BpeEncoder {
  readonly model: BpeModel;
  readonly pattern: SplitPattern;
  /** byteIds[b]: the id of the single-byte token for byte b. */
  readonly byteIds = new Int32Array(256);
  private readonly ranks: PairTable;
  /** mergedIds[rank]: the id of the token a merge produces. */
  private readonly mergedIds: Int32Array;
  private readonly specialIds = new Map<string, number>();
  private readonly specialPattern: RegExp | null;
  private readonly cache: PieceCache | null;
  private bytes = new Uint8Array(1024);
  private symbols = new Int32Array(1024);

  constructor(model: BpeModel, options: BpeEncoderOptions = {}) {
    this.model = model;
    this.pattern = model.pattern ?? 'gpt2';
    const cacheSize = options.cacheSize ?? DEFAULT_CACHE_SIZE;
    this.cache = cacheSize > 0 ? new PieceCache(cacheSize) : null;
    const ids = new Map<string, number>();
    model.tokens.forEach((token, id) => ids.set(token, id));
    for (let b = 0; b < 256; b++) {
      const id = ids.get(BYTE_TO_CHAR[b]!);
      if (id === undefined) throw new Error(`vocabulary has no token for byte 0x${b.toString(16)} ('${BYTE_TO_CHAR[b]}')`);
      this.byteIds[b] = id;
    }
    this.ranks = new PairTable(model.merges.length);
    this.mergedIds = new Int32Array(model.merges.length);
    model.merges.forEach(({ left, right }, rank) => {
      const leftId = ids.get(left);
      const rightId = ids.get(right);
      const mergedId = ids.get(left + right);
      if (leftId === undefined || rightId === undefined || mergedId === undefined) {
        throw new Error(`merge ${rank} ('${left}' '${right}') uses a token missing from the vocabulary`);
      }
      // A repeated merge keeps its first (lowest) rank: the later copy could never apply.
      if (this.ranks.get(leftId, rightId) < 0) this.ranks.set(leftId, rightId, rank);
      this.mergedIds[rank] = mergedId;
    });
    for (const { content, id } of model.specialTokens) this.specialIds.set(content, id);
    const contents = [...this.specialIds.keys()].filter((c) => c.length > 0).sort((a, b) => b.length - a.length);
    this.specialPattern = contents.length > 0 ? new RegExp(contents.map(escapeRegExp).join('|'), 'g') : null;
  }

  /** Rank of the merge (left, right), or -1. */
  rankOf(leftId: number, rightId: number): number {
    return this.ranks.get(leftId, rightId);
  }

  /** Id of the token that merge `rank` produces. */
  mergedIdOf(rank: number): number {
    return this.mergedIds[rank]!;
  }

  /** Text to ids. */
  encode(text: string, options: EncodeOptions = {}): number[] {
    const out: number[] = [];
    if (!options.allowSpecial || this.specialPattern === null) {
      this.encodeOrdinary(text, 0, text.length, out);
      return out;
    }
    let from = 0;
    for (const match of text.matchAll(this.specialPattern)) {
      this.encodeOrdinary(text, from, match.index, out);
      out.push(this.specialIds.get(match[0])!);
      from = match.index + match[0].length;
    }
    this.encodeOrdinary(text, from, text.length, out);
    return out;
  }

  /** Text to pre-tokens with their ids and offsets (for the tokens port and inspectors). */
  encodePieces(text: string, options: EncodeOptions = {}): EncodedPiece[] {
    const pieces: EncodedPiece[] = [];
    const ordinary = (from: number, to: number) => {
      for (let start = from; start < to; ) {
        const end = gpt2PieceEnd(text, start, to, this.pattern);
        const ids: number[] = [];
        this.encodeOrdinary(text, start, end, ids);
        pieces.push({ start, end, ids, special: false });
        start = end;
      }
    };
    let from = 0;
    if (options.allowSpecial && this.specialPattern !== null) {
      for (const match of text.matchAll(this.specialPattern)) {
        ordinary(from, match.index);
        const end = match.index + match[0].length;
        pieces.push({ start: match.index, end, ids: [this.specialIds.get(match[0])!], special: true });
        from = end;
      }
    }
    ordinary(from, text.length);
    return pieces;
  }

  /**
   * Text to tokens for the `tokens` port: each token with its ByteLevel form and the UTF-16 span
   * of the characters its bytes belong to. A token holding only part of a character's bytes
   * (one of the two tokens of '👋') is kind 'byte' and gets the whole character's span.
   *
   *   gpt2.encodeTokens(' I')   // [{ piece: 'ĠI', id: 314, kind: 'text', start: 0, end: 2 }]
   */
  encodeTokens(text: string, options: EncodeOptions = {}): TokenPiece[] {
    const tokens = this.model.tokens;
    const out: TokenPiece[] = [];
    const charStart: number[] = []; // per byte of the piece: where its character starts…
    const charEnd: number[] = []; // …and ends, in UTF-16 units
    const firstByte: boolean[] = []; // per byte: is it the first byte of its character?
    for (const piece of this.encodePieces(text, options)) {
      if (piece.special) {
        out.push({ piece: tokens[piece.ids[0]!]!, id: piece.ids[0]!, kind: 'special', start: piece.start, end: piece.end });
        continue;
      }
      charStart.length = charEnd.length = firstByte.length = 0;
      for (let i = piece.start; i < piece.end; ) {
        const cp = text.codePointAt(i)!;
        const units = cp > 0xffff ? 2 : 1;
        const bytes = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4; // a lone surrogate: 3 (U+FFFD)
        for (let k = 0; k < bytes; k++) {
          charStart.push(i);
          charEnd.push(i + units);
          firstByte.push(k === 0);
        }
        i += units;
      }
      let byte = 0;
      for (const id of piece.ids) {
        const length = tokens[id]!.length; // ByteLevel: one character per byte
        const last = byte + length - 1;
        const whole = firstByte[byte]! && (last + 1 === firstByte.length || firstByte[last + 1]!);
        out.push({ piece: tokens[id]!, id, kind: whole ? 'text' : 'byte', start: charStart[byte]!, end: charEnd[last]! });
        byte += length;
      }
    }
    return out;
  }

  private encodeOrdinary(text: string, from: number, to: number, out: number[]): void {
    const cache = this.cache;
    const pattern = this.pattern;
    for (let start = from; start < to; ) {
      const end = gpt2PieceEnd(text, start, to, pattern);
      if (end === start + 1) {
        const c = text.charCodeAt(start);
        if (c < 0x80) {
          out.push(this.byteIds[c]!);
          start = end;
          continue;
        }
      }
      if (cache === null || end - start > MAX_CACHED_LENGTH) {
        const n = this.bpe(text, start, end);
        for (let i = 0; i < n; i++) out.push(this.symbols[i]!);
      } else {
        let slot = cache.find(text, start, end);
        if (slot < 0) {
          const n = this.bpe(text, start, end);
          slot = cache.insert(slot, text, start, end, this.symbols, n);
        }
        const ids = cache.ids;
        const valueEnd = cache.valueStart(slot) + cache.valueLength(slot);
        for (let i = cache.valueStart(slot); i < valueEnd; i++) out.push(ids[i]!);
      }
      start = end;
    }
  }

  /** BPE of text[start, end): leaves the ids in this.symbols and returns how many. */
  private bpe(text: string, start: number, end: number): number {
    const need = maxUtf8Length(start, end);
    if (need > this.bytes.length) {
      this.bytes = new Uint8Array(need * 2);
      this.symbols = new Int32Array(need * 2);
    }
    const length = encodeUtf8Into(text, start, end, this.bytes);
    const symbols = this.symbols;
    for (let i = 0; i < length; i++) symbols[i] = this.byteIds[this.bytes[i]!]!;
    return applyMerges(symbols, length, this.ranks, this.mergedIds);
  }
}

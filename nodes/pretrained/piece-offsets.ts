/**
 * Where each token came from: character offsets of a tokenizer's pieces in the original text.
 *
 * transformers.js returns pieces and ids but no offsets, so we rebuild them. The text is replayed
 * through the tokenizer's own recipe (read from its tokenizer.json) while remembering, for every
 * character the model sees, which input characters produced it (steps 1–3: replay-text.ts, with
 * normalize-with-origins.ts); this module does step 4:
 *
 *   1. split out added tokens written literally in the text ('<|endoftext|>', '[CLS]'),
 *   2. normalise each other section (lowercase, strip accents, prepend '▁', replace ' ' by '▁' …),
 *   3. apply the pre-tokenizer's character changes (Metaspace '▁', ByteLevel prefix space),
 *   4. walk the pieces left to right, turning each into the bytes it stands for
 *      ('Ġlove' -> ' love' by GPT-2's byte table, '<0xE0>' -> byte E0, '##ing' -> 'ing',
 *      '▁I' -> '▁I'), and match those bytes against the replayed text.
 *
 * A piece that covers only some bytes of a character (GPT-2 spends 3 tokens on 'ଜ') gets the
 * whole character's span, so several tokens can share one character; this is what HF
 * `tokenizers` reports too. '[UNK]' covers the rest of its word. A prepended '▁' is credited to
 * the first character of its section (again as HF does).
 *
 * Offsets are UTF-16 code unit indices (JavaScript string positions), end exclusive.
 *
 * Not handled here: normalizers we cannot replay character by character (SentencePiece's
 * `Precompiled` charsmap, `NMT`), added tokens matched only after normalisation, Unigram
 * models. For those, placing a piece fails and the caller gets `null` offsets with a reason,
 * never wrong ones.
 */
import { maxOf, minOf } from '../shared/arrays';
import { CHAR_TO_BYTE } from '../pretokenize/byte-level';
import { byteFallbackValue } from '../shared/token-text';
import type { JsonConfig } from './normalize-with-origins';
import { replayText, type TokenizerJsonLike, type Unit } from './replay-text';

/** A placed piece: its span in the input, and whether it holds only part of a character's bytes. */
export interface PieceSpan {
  start: number;
  end: number;
  splitsCharacter: boolean;
}

export type PlacePiecesResult =
  | { ok: true; spans: PieceSpan[] }
  | { ok: false; spans: Array<PieceSpan | null>; reason: string };

const utf8 = new TextEncoder();

/** Byte-fallback pieces spell one raw byte: '<0xE0>' -> 0xE0. */
export { byteFallbackValue };

// ---------------------------------------------------------------------------------------------
// Pieces as the bytes they stand for.

type Surface = { kind: 'bytes'; bytes: Uint8Array } | { kind: 'added'; content: string } | { kind: 'unknown' };

/** How this tokenizer spells text in its pieces, read once from tokenizer.json. */
export interface PieceSpelling {
  byteLevel: boolean;
  byteFallback: boolean;
  unkToken: string | null;
  continuingSubwordPrefix: string | null;
  endOfWordSuffix: string | null;
  addedContents: ReadonlySet<string>;
}

function containsType(config: JsonConfig | null | undefined, type: string): boolean {
  if (!config) return false;
  if (config.type === type) return true;
  const children = [config.pretokenizers, config.decoders, config.normalizers].find(Array.isArray) as JsonConfig[] | undefined;
  return (children ?? []).some((c) => containsType(c, type));
}

export function readPieceSpelling(tokenizerJson: TokenizerJsonLike & { decoder?: JsonConfig | null }): PieceSpelling {
  const model = tokenizerJson.model ?? {};
  const prefix = model.continuing_subword_prefix;
  const suffix = model.end_of_word_suffix;
  return {
    byteLevel: containsType(tokenizerJson.pre_tokenizer, 'ByteLevel') || containsType(tokenizerJson.decoder, 'ByteLevel'),
    byteFallback: model.byte_fallback === true,
    unkToken: typeof model.unk_token === 'string' ? model.unk_token : null,
    continuingSubwordPrefix: typeof prefix === 'string' && prefix.length > 0 ? prefix : null,
    endOfWordSuffix: typeof suffix === 'string' && suffix.length > 0 ? suffix : null,
    addedContents: new Set((tokenizerJson.added_tokens ?? []).map((t) => t.content)),
  };
}

/**
 * The bytes a piece stands for in the replayed text.
 *   'Ġlove' (byte-level) -> 20 6C 6F 76 65;  '<0xE0>' (byte fallback) -> E0;  '##ing' -> 69 6E 67
 */
export function pieceSurface(piece: string, spelling: PieceSpelling): Surface {
  // The unk token is usually an added token too; it stands for unknown text, unless the text
  // literally contains '[UNK]' (placePieces checks for that).
  if (piece === spelling.unkToken) return { kind: 'unknown' };
  if (spelling.addedContents.has(piece)) return { kind: 'added', content: piece };
  if (spelling.byteFallback) {
    const byte = byteFallbackValue(piece);
    if (byte !== null) return { kind: 'bytes', bytes: Uint8Array.of(byte) };
  }
  if (spelling.byteLevel) {
    const bytes = Array.from(piece, (c) => CHAR_TO_BYTE.get(c));
    if (bytes.every((b) => b !== undefined)) return { kind: 'bytes', bytes: Uint8Array.from(bytes as number[]) };
  }
  let spelled = piece;
  const prefix = spelling.continuingSubwordPrefix;
  if (prefix && spelled.startsWith(prefix) && spelled.length > prefix.length) spelled = spelled.slice(prefix.length);
  const suffix = spelling.endOfWordSuffix;
  if (suffix && spelled.endsWith(suffix) && spelled.length > suffix.length) spelled = spelled.slice(0, -suffix.length);
  return { kind: 'bytes', bytes: utf8.encode(spelled) };
}

// ---------------------------------------------------------------------------------------------
// Matching.

interface Cursor {
  unit: number;
  byte: number;
}

/** Try to read `bytes` at the cursor; returns the cursor after them, or null. */
function readBytes(units: Unit[], at: Cursor, bytes: Uint8Array): Cursor | null {
  let { unit, byte } = at;
  for (const expected of bytes) {
    const current = units[unit];
    if (!current || current.kind !== 'char' || current.bytes[byte] !== expected) return null;
    byte++;
    if (byte === current.bytes.length) {
      unit++;
      byte = 0;
    }
  }
  return { unit, byte };
}

function surfaceFitsAt(units: Unit[], at: Cursor, surface: Surface | undefined): boolean {
  if (!surface) return false;
  const unit = units[at.unit];
  if (surface.kind === 'added') return at.byte === 0 && unit?.kind === 'added' && unit.content === surface.content;
  if (surface.kind === 'bytes') return surface.bytes.length > 0 && readBytes(units, at, surface.bytes) !== null;
  return false;
}

/**
 * Place each piece of `pieces` (the pieces produced from `text`, without the special tokens a
 * post-processor adds) on the text. Example with GPT-2 on 'I love':
 *   placePieces('I love', ['I', 'Ġlove'], gpt2Json) -> spans [0,1) and [1,6)
 */
export function placePieces(text: string, pieces: readonly string[], tokenizerJson: TokenizerJsonLike): PlacePiecesResult {
  const spans: Array<PieceSpan | null> = [];
  const fail = (reason: string): PlacePiecesResult => {
    while (spans.length < pieces.length) spans.push(null);
    return { ok: false, spans, reason };
  };
  const units = replayText(text, tokenizerJson);
  if (units === null) {
    return fail(`offsets unavailable: the normalizer (${describeConfigType(tokenizerJson.normalizer)}) cannot be replayed character by character`);
  }
  const spelling = readPieceSpelling(tokenizerJson);
  const surfaces = pieces.map((p) => pieceSurface(p, spelling));
  let cursor: Cursor = { unit: 0, byte: 0 };

  for (const [index, surface] of surfaces.entries()) {
    // Whitespace the pre-tokenizer dropped (BERT) is skipped, but only if the piece does not start there.
    while (
      !surfaceFitsAt(units, cursor, surface) &&
      cursor.byte === 0 &&
      units[cursor.unit]?.kind === 'char' &&
      (units[cursor.unit] as { isSpace: boolean }).isSpace
    ) {
      cursor = { unit: cursor.unit + 1, byte: 0 };
    }
    const from = cursor;
    let to: Cursor | null = null;
    if (surface.kind === 'added') {
      to = surfaceFitsAt(units, cursor, surface) ? { unit: cursor.unit + 1, byte: 0 } : null;
    } else if (surface.kind === 'bytes') {
      to = surface.bytes.length > 0 ? readBytes(units, cursor, surface.bytes) : null;
    } else if (units[cursor.unit]?.kind === 'added' && (units[cursor.unit] as { content: string }).content === pieces[index]) {
      to = { unit: cursor.unit + 1, byte: 0 }; // '[UNK]' written literally in the text
    } else {
      // An unknown token covers at least one character, then runs to the end of its word: until
      // whitespace, an added token, or the point where the next piece fits.
      const first = units[cursor.unit];
      if (first?.kind === 'char' && cursor.byte === 0) {
        let unit = cursor.unit + 1;
        for (;;) {
          const next = units[unit];
          if (!next || next.kind !== 'char' || next.isSpace) break;
          if (surfaceFitsAt(units, { unit, byte: 0 }, surfaces[index + 1])) break;
          unit++;
        }
        to = { unit, byte: 0 };
      }
    }
    if (to === null) return fail(`offsets unavailable from token ${index} ('${pieces[index]}'): it does not match the text there`);
    const lastUnit = to.byte === 0 ? to.unit - 1 : to.unit;
    const touched = units.slice(from.unit, lastUnit + 1);
    spans.push({
      start: minOf(touched, (u) => u.start),
      end: maxOf(touched, (u) => u.end),
      splitsCharacter: from.byte !== 0 || to.byte !== 0,
    });
    cursor = to;
  }
  return { ok: true, spans: spans as PieceSpan[] };
}

function describeConfigType(config: JsonConfig | null | undefined): string {
  if (!config) return 'none';
  if (config.type === 'Sequence') {
    const steps = [config.normalizers, config.pretokenizers].find(Array.isArray) as JsonConfig[] | undefined;
    return (steps ?? []).map(describeConfigType).join(' + ');
  }
  return String(config.type);
}

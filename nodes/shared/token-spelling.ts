/**
 * How a vocabulary spells text in its tokens, and the bytes a stored token stands for:
 * GPT-2's byte stand-ins ('Ġ' = the space byte), SentencePiece's '▁' and '<0xE0>' byte
 * tokens, WordPiece's '##' continuation prefix.
 *
 *   tokenBytes('Ġlove', BYTE_LEVEL)   // [0x20, 0x6C, 0x6F, 0x76, 0x65]
 *   tokenBytes('▁I', SENTENCEPIECE)   // [0x20, 0x49]
 *   guessSpelling(['nl', '##p'])      // WORDPIECE
 *
 * Not handled here: decoding a tokenization into readable views (token-text.ts, which
 * re-exports this module, so views import one file).
 */
import { CHAR_TO_BYTE } from '../pretokenize/byte-level';

/** How a vocabulary spells text in its tokens. */
export interface TokenSpelling {
  /** Every character is a GPT-2 byte stand-in ('Ġ' = 0x20). */
  byteLevel: boolean;
  /** The character that stands for a space ('▁' in SentencePiece), or null. */
  spaceMarker: string | null;
  /** '##' for WordPiece pieces inside a word, or null. */
  continuingPrefix: string | null;
  /** '<0xE0>' is one raw byte. */
  byteFallback: boolean;
}

export const BYTE_LEVEL: TokenSpelling = { byteLevel: true, spaceMarker: null, continuingPrefix: null, byteFallback: false };
export const SENTENCEPIECE: TokenSpelling = { byteLevel: false, spaceMarker: '▁', continuingPrefix: null, byteFallback: true };
export const WORDPIECE: TokenSpelling = { byteLevel: false, spaceMarker: null, continuingPrefix: '##', byteFallback: false };
export const PLAIN: TokenSpelling = { byteLevel: false, spaceMarker: null, continuingPrefix: null, byteFallback: false };

/** '<0xE0>' -> 0xE0, else null. */
export function byteFallbackValue(piece: string): number | null {
  const match = /^<0x([0-9A-Fa-f]{2})>$/.exec(piece);
  return match ? parseInt(match[1]!, 16) : null;
}

const utf8 = new TextEncoder();

/**
 * The bytes a stored token stands for, or null when this spelling cannot read it (then the
 * token is shown as stored). 'Ġlove' -> 20 6C 6F 76 65 (byte-level); '▁I' -> 20 49;
 * '##ing' -> 69 6E 67; '<0xE0>' -> E0.
 */
export function tokenBytes(piece: string, spelling: TokenSpelling): number[] | null {
  if (spelling.byteFallback) {
    const byte = byteFallbackValue(piece);
    if (byte !== null) return [byte];
  }
  if (spelling.byteLevel) {
    const bytes: number[] = [];
    for (const c of piece) {
      const b = CHAR_TO_BYTE.get(c);
      if (b === undefined) return null;
      bytes.push(b);
    }
    return bytes;
  }
  let text = piece;
  const prefix = spelling.continuingPrefix;
  if (prefix && text.startsWith(prefix) && text.length > prefix.length) text = text.slice(prefix.length);
  if (spelling.spaceMarker) text = text.replaceAll(spelling.spaceMarker, ' ');
  return [...utf8.encode(text)];
}

/**
 * The spelling of a vocabulary judged from some of its tokens, for views that have tokens but no
 * tokenizer (a model's predictions, a vocabulary page). '##' means WordPiece, '▁' or '<0x..>'
 * SentencePiece, stand-in characters beyond ASCII ('Ġ', 'à¬') byte-level; else plain text.
 */
export function guessSpelling(pieces: readonly string[]): TokenSpelling {
  if (pieces.some((p) => p.length > 2 && p.startsWith('##'))) return WORDPIECE;
  if (pieces.some((p) => p.includes('▁') || byteFallbackValue(p) !== null)) return SENTENCEPIECE;
  const standIns = pieces.filter((p) => /[^\x21-\x7e]/.test(p));
  if (standIns.length > 0 && standIns.every((p) => tokenBytes(p, BYTE_LEVEL) !== null)) return BYTE_LEVEL;
  return PLAIN;
}

/**
 * The spelling of a described tokenizer (pretrained/describe-tokenizer.ts): byte-level BPE,
 * BPE with byte fallback (SentencePiece's '▁'), WordPiece ('##'); else plain.
 */
export function spellingOfModel(model: { modelKind: string; continuingSubwordPrefix: string | null; byteFallback: boolean }): TokenSpelling {
  if (model.modelKind === 'byte-level BPE') return BYTE_LEVEL;
  if (model.byteFallback) return SENTENCEPIECE;
  if (model.continuingSubwordPrefix) return { ...WORDPIECE, continuingPrefix: model.continuingSubwordPrefix };
  return PLAIN;
}

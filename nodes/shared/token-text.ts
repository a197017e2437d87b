/**
 * What a token stands for, readably: the text behind the way a tokenizer stores it.
 *
 * Vocabularies store tokens in their own spelling. GPT-2 and every byte-level BPE write each byte
 * as a printable stand-in ('Ġ' is the space byte, so Odia 'ଭାଷା' is stored as 'à¬Ńà¬¾à¬·à¬¾');
 * SentencePiece (LLaMA) writes a space as '▁' and unknown characters as raw bytes '<0xE0>';
 * WordPiece (BERT) marks a piece inside a word with '##'. A learner should read 'ଭାଷା', and be
 * able to flip to the stored form, because "what is Ġ?" is a lesson too.
 *
 *   viewTokens(['à¬', 'ľ', 'à¬¾'], BYTE_LEVEL).map((t) => t.shown)
 *     // ['‹E0 AC›', '‹9C›', 'ା']  hints: '2 of the 3 bytes of ଜ', '1 of the 3 bytes of ଜ', null
 *   viewTokens(['Ġà¬Ńà¬¾à¬·à¬¾'], BYTE_LEVEL)[0].shown   // '·ଭାଷା' (· is the space glyph)
 *   viewTokens(['▁I', '<0xE0>', '<0xAC>', '<0x9C>'], SENTENCEPIECE).map((t) => t.shown)
 *     // ['·I', '‹E0›', '‹AC›', '‹9C›'], each hinted as one of the 3 bytes of ଜ
 *   viewTokens(['nl', '##p'], WORDPIECE).map((t) => t.shown)   // ['nl', 'p']
 *
 * A token that holds only part of a character's UTF-8 bytes cannot be shown alone; its
 * neighbours say which character it is part of. So a whole tokenization is decoded as one byte
 * stream (special tokens cut the stream), and each token shows the characters it holds whole
 * plus, for the bytes it shares, `‹E0 AC›` and a hint naming the character.
 *
 * Hand-written rather than a library's decode(): decoders give the text of a whole sequence,
 * not which bytes of which character each token holds, which is the point of the view. The
 * UTF-8 walk follows the WHATWG decoder (a bad sequence is cut at its maximal valid prefix), so
 * what is called invalid here is what TextDecoder would turn into U+FFFD.
 *
 * Not handled here: offsets into the source text (the tokenizers give them: pretrained/
 * piece-offsets.ts, bpe/encode-bpe.ts; `spanOf` below only reads them), drawing (components/).
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

/** The glyphs the app draws for invisible characters. */
export const SPACE_GLYPH = '·';
const VISIBLE: Record<string, string> = { ' ': SPACE_GLYPH, '\n': '⏎', '\t': '⇥', '\r': '␍' };

/** Spaces, newlines and tabs as the app's glyphs: ' ଭାଷା\n' -> '·ଭାଷା⏎'. */
export function showWhitespace(text: string): string {
  return text.replace(/[ \n\t\r]/g, (c) => VISIBLE[c]!);
}

export type TokenSegment =
  /** Characters the token holds whole. */
  | { kind: 'text'; text: string }
  /** Bytes `index`…`index + bytes.length - 1` (0-based) of a character that is `total` bytes long. */
  | { kind: 'partial'; bytes: number[]; char: string; index: number; total: number }
  /** Bytes that are no character at all (TextDecoder would show U+FFFD). */
  | { kind: 'invalid'; bytes: number[] };

export interface TokenView {
  /** The token as the tokenizer stores it. */
  raw: string;
  /** A special or added token ('[CLS]', '<|endoftext|>'): shown as it is. */
  special: boolean;
  /** The UTF-8 bytes it stands for; null for a special token. */
  bytes: number[] | null;
  segments: TokenSegment[];
  /** The readable form: whole characters (whitespace as glyphs) and `‹E0 AC›` for shared bytes. */
  shown: string;
  /** Why a part is not text: '2 of the 3 bytes of ଜ'; null when the token is whole characters. */
  hint: string | null;
}

const hex2 = (b: number) => b.toString(16).toUpperCase().padStart(2, '0');

/** ‹E0 AC›: bytes written in hex inside single guillemets, so they never read as text. */
export function showBytes(bytes: readonly number[]): string {
  return `‹${bytes.map(hex2).join(' ')}›`;
}

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

/** One decoded unit of a byte stream: a character or one invalid byte run, with its byte range. */
interface Decoded {
  start: number;
  end: number;
  char: string | null;
}

/** Length of the UTF-8 sequence starting at `at`, 0 if it is not a valid one (WHATWG rules). */
function sequenceLength(bytes: readonly number[], at: number): number {
  const lead = bytes[at]!;
  if (lead < 0x80) return 1;
  let need: number;
  let low = 0x80;
  let high = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) need = 1;
  else if (lead >= 0xe0 && lead <= 0xef) {
    need = 2;
    if (lead === 0xe0) low = 0xa0;
    if (lead === 0xed) high = 0x9f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    need = 3;
    if (lead === 0xf0) low = 0x90;
    if (lead === 0xf4) high = 0x8f;
  } else return 0;
  for (let k = 1; k <= need; k++) {
    const b = bytes[at + k];
    if (b === undefined || b < low || b > high) return 0;
    low = 0x80;
    high = 0xbf;
  }
  return need + 1;
}

/** Characters of a byte stream with their byte ranges; a byte that starts no valid character is its own unit. */
function decodeStream(bytes: readonly number[]): Decoded[] {
  const out: Decoded[] = [];
  let at = 0;
  while (at < bytes.length) {
    const length = sequenceLength(bytes, at);
    if (length === 0) {
      out.push({ start: at, end: at + 1, char: null });
      at++;
    } else {
      out.push({ start: at, end: at + length, char: new TextDecoder().decode(Uint8Array.from(bytes.slice(at, at + length))) });
      at += length;
    }
  }
  return out;
}

/** A character as a hint names it: itself, or its code point when it has no glyph (ZWJ U+200D). */
function nameOf(char: string): string {
  return /^[\p{Cc}\p{Cf}\p{Z}]$/u.test(char) ? `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` : char;
}

function describe(segments: TokenSegment[]): { shown: string; hint: string | null } {
  let shown = '';
  const hints: string[] = [];
  for (const s of segments) {
    if (s.kind === 'text') shown += showWhitespace(s.text);
    else {
      shown += showBytes(s.bytes);
      hints.push(s.kind === 'partial' ? `${s.bytes.length} of the ${s.total} bytes of ${nameOf(s.char)}` : `${showBytes(s.bytes)} is not UTF-8 text`);
    }
  }
  return { shown, hint: hints.length ? hints.join('; ') : null };
}

function pushText(segments: TokenSegment[], text: string): void {
  const last = segments[segments.length - 1];
  if (last?.kind === 'text') last.text += text;
  else segments.push({ kind: 'text', text });
}

/** Segments of the token holding stream bytes [from, to), given the stream's decoded units. */
function segmentsOf(units: Decoded[], bytes: readonly number[], from: number, to: number, firstUnit: number): TokenSegment[] {
  const segments: TokenSegment[] = [];
  for (let u = firstUnit; u < units.length && units[u]!.start < to; u++) {
    const unit = units[u]!;
    if (unit.end <= from) continue;
    const a = Math.max(from, unit.start);
    const b = Math.min(to, unit.end);
    const own = bytes.slice(a, b);
    if (unit.char === null) {
      const last = segments[segments.length - 1];
      if (last?.kind === 'invalid') last.bytes.push(...own);
      else segments.push({ kind: 'invalid', bytes: own });
    } else if (a === unit.start && b === unit.end) pushText(segments, unit.char);
    else segments.push({ kind: 'partial', bytes: own, char: unit.char, index: a - unit.start, total: unit.end - unit.start });
  }
  return segments;
}

/**
 * Readable views of a whole tokenization, in order. Neighbouring tokens decide which character
 * shared bytes belong to; `specials` (added tokens) are shown as stored and cut the byte stream.
 */
export function viewTokens(pieces: readonly string[], spelling: TokenSpelling, specials: ReadonlySet<string> = new Set()): TokenView[] {
  const views: TokenView[] = new Array(pieces.length);
  let runStart = 0;
  const flush = (end: number) => {
    // pieces[runStart, end) are all readable; decode them as one stream.
    const stream: number[] = [];
    const ranges: [number, number][] = [];
    for (let i = runStart; i < end; i++) {
      const bytes = tokenBytes(pieces[i]!, spelling)!;
      ranges.push([stream.length, stream.length + bytes.length]);
      for (const b of bytes) stream.push(b);
    }
    const units = decodeStream(stream);
    let unit = 0;
    for (let i = runStart; i < end; i++) {
      const [from, to] = ranges[i - runStart]!;
      while (unit < units.length && units[unit]!.end <= from) unit++;
      const segments = segmentsOf(units, stream, from, to, unit);
      views[i] = { raw: pieces[i]!, special: false, bytes: stream.slice(from, to), segments, ...describe(segments) };
    }
  };
  pieces.forEach((piece, i) => {
    if (specials.has(piece) || tokenBytes(piece, spelling) === null) {
      flush(i);
      views[i] = { raw: piece, special: specials.has(piece), bytes: null, segments: [{ kind: 'text', text: piece }], shown: piece, hint: null };
      runStart = i + 1;
    }
  });
  flush(pieces.length);
  return views;
}

/** One token on its own (a vocabulary row, a predicted next token): no neighbours to borrow from. */
export function viewToken(piece: string, spelling: TokenSpelling, specials?: ReadonlySet<string>): TokenView {
  return viewTokens([piece], spelling, specials)[0]!;
}

/** What a chip prints: the readable form, or the stored one when the learner asks for it. */
export function tokenLabel(view: TokenView, stored: boolean): string {
  return stored ? view.raw : view.shown;
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

/** The span of the source text a token covers, or null when it covers none ([CLS]). */
export function spanOf(source: string, token: { start: number | null; end: number | null }): string | null {
  if (token.start === null || token.end === null) return null;
  return source.slice(token.start, token.end);
}

/** Indices of the tokens whose span holds the character at `offset`: the reverse of hovering a chip. */
export function tokensAt(tokens: ReadonlyArray<{ start: number | null; end: number | null }>, offset: number): number[] {
  const out: number[] = [];
  tokens.forEach((t, i) => {
    if (t.start !== null && t.end !== null && t.start <= offset && offset < t.end) out.push(i);
  });
  return out;
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

/** A pre-token's view: its text as read, and the form the next stage stores ('Ġlove', '▁love'). */
export function viewOfPiece(text: string, stored: string): TokenView {
  return { raw: stored, special: false, bytes: [...utf8.encode(text)], segments: [{ kind: 'text', text }], shown: showWhitespace(text), hint: null };
}

/**
 * Each token of a vocabulary as plain text (its bytes decoded, a broken character as U+FFFD),
 * so a search for 'ଭାଷା' or ' love' finds the tokens stored as 'à¬Ńà¬¾à¬·à¬¾' or 'Ġlove'.
 */
export function readableVocabulary(tokens: readonly string[]): string[] {
  const sample = tokens.filter((_, i) => i % Math.max(1, Math.floor(tokens.length / 2000)) === 0);
  const spelling = guessSpelling(sample);
  const decoder = new TextDecoder();
  return tokens.map((t) => {
    if (t === undefined) return '';
    const bytes = tokenBytes(t, spelling);
    return bytes ? decoder.decode(Uint8Array.from(bytes)) : t;
  });
}

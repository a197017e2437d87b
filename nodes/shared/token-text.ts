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
 * UTF-8 walk is utf8-units.ts; how each vocabulary spells its bytes is token-spelling.ts
 * (re-exported here, so a view imports this one file).
 *
 * Not handled here: offsets into the source text (the tokenizers give them: pretrained/
 * piece-offsets.ts, bpe/encode-bpe.ts; `spanOf` below only reads them), drawing (components/).
 */
import { guessSpelling, tokenBytes, type TokenSpelling } from './token-spelling';
import { decodeStream, type Decoded } from './utf8-units';

export * from './token-spelling';

const utf8 = new TextEncoder();

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

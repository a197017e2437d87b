/**
 * Where each token came from: character offsets of a tokenizer's pieces in the original text.
 *
 * transformers.js returns pieces and ids but no offsets, so we rebuild them. The text is replayed
 * through the tokenizer's own recipe (read from its tokenizer.json) while remembering, for every
 * character the model sees, which input characters produced it:
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
import { maxOf, minOf, pushAll } from '../shared/arrays';
import { CHAR_TO_BYTE } from '../pretokenize/byte-level';
import { byteFallbackValue } from '../shared/token-text';

/** The parts of a tokenizer.json that decide how text maps to pieces. Loosely typed on purpose. */
export interface TokenizerJsonLike {
  normalizer?: JsonConfig | null;
  pre_tokenizer?: JsonConfig | null;
  added_tokens?: ReadonlyArray<{ id: number; content: string; special?: boolean; normalized?: boolean; lstrip?: boolean; rstrip?: boolean }>;
  model?: JsonConfig | null;
}

export interface JsonConfig {
  type?: string;
  [key: string]: unknown;
}

/** A character of the text as the model sees it, and the input span it came from. */
interface SeenChar {
  char: string;
  start: number;
  end: number;
}

type Unit =
  | { kind: 'char'; char: string; bytes: Uint8Array; start: number; end: number; isSpace: boolean }
  | { kind: 'added'; content: string; start: number; end: number };

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
// Normalisation with origins.

function spread(char: SeenChar, replacement: string): SeenChar[] {
  return Array.from(replacement, (c) => ({ char: c, start: char.start, end: char.end }));
}

function mapEach(chars: SeenChar[], f: (c: string) => string): SeenChar[] {
  return chars.flatMap((c) => spread(c, f(c.char)));
}

/**
 * Lowercase as JavaScript does on the whole string (so a word-final 'Σ' becomes 'ς', exactly
 * as transformers.js's normalizer does), keeping one output character per input character
 * when the lengths allow it.
 */
function lowercase(chars: SeenChar[]): SeenChar[] {
  const lowered = Array.from(chars.map((c) => c.char).join('').toLowerCase());
  if (lowered.length === chars.length) return chars.map((c, i) => ({ ...c, char: lowered[i]! }));
  return mapEach(chars, (c) => c.toLowerCase());
}

function stripAccentsAfterNfd(chars: SeenChar[]): SeenChar[] {
  return mapEach(chars, (c) => c.normalize('NFD').replace(/\p{Mn}/gu, ''));
}

/** NFC/NFKC compose a base with its marks, so normalise base+marks clusters together. */
function composeClusters(chars: SeenChar[], form: 'NFC' | 'NFKC'): SeenChar[] {
  const out: SeenChar[] = [];
  let i = 0;
  while (i < chars.length) {
    let j = i + 1;
    while (j < chars.length && /^\p{M}$/u.test(chars[j]!.char)) j++;
    const cluster = chars.slice(i, j);
    const span = { char: '', start: cluster[0]!.start, end: maxOf(cluster, (c) => c.end) };
    pushAll(out, spread(span, cluster.map((c) => c.char).join('').normalize(form)));
    i = j;
  }
  return out;
}

function isChineseChar(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b820 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

/** BERT's normalizer, step by step as transformers.js runs it. */
function bertNormalize(chars: SeenChar[], config: JsonConfig): SeenChar[] {
  let out = chars;
  if (config.clean_text) {
    out = out.flatMap((c) => {
      const cp = c.char.charCodeAt(0);
      const control = !['\t', '\n', '\r'].includes(c.char) && /^(\p{Cc}|\p{Cf}|\p{Co}|\p{Cs})$/u.test(c.char);
      if (cp === 0 || cp === 0xfffd || control) return [];
      return [/^\s$/u.test(c.char) ? { ...c, char: ' ' } : c];
    });
  }
  if (config.handle_chinese_chars) {
    // transformers.js tests the first UTF-16 unit only, so astral CJK is left alone; so do we.
    out = out.flatMap((c) => (isChineseChar(c.char.charCodeAt(0)) ? spread(c, ` ${c.char} `) : [c]));
  }
  if (config.lowercase) {
    out = lowercase(out);
    if (config.strip_accents !== false) out = stripAccentsAfterNfd(out);
  } else if (config.strip_accents) {
    out = stripAccentsAfterNfd(out);
  }
  return out;
}

/** Replace every match of a pattern; the replacement inherits the span of what it replaced. */
function replacePattern(chars: SeenChar[], pattern: RegExp, content: string): SeenChar[] {
  const joined = chars.map((c) => c.char).join('');
  // charAt[k] = index of the SeenChar holding UTF-16 position k of `joined`.
  const charAt: number[] = [];
  chars.forEach((c, i) => {
    for (let k = 0; k < c.char.length; k++) charAt.push(i);
  });
  const out: SeenChar[] = [];
  let next = 0;
  for (const match of joined.matchAll(pattern)) {
    if (match[0].length === 0) continue;
    const first = charAt[match.index]!;
    const last = charAt[match.index + match[0].length - 1]!;
    pushAll(out, chars.slice(next, first));
    const covered = chars.slice(first, last + 1);
    pushAll(out, spread({ char: '', start: covered[0]!.start, end: maxOf(covered, (c) => c.end) }, content));
    next = last + 1;
  }
  pushAll(out, chars.slice(next));
  return out;
}

function patternOf(config: JsonConfig): RegExp | null {
  const pattern = config.pattern as { String?: string; Regex?: string } | undefined;
  if (pattern?.String !== undefined) return new RegExp(pattern.String.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gu');
  if (pattern?.Regex !== undefined) {
    try {
      return new RegExp(pattern.Regex, 'gu');
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * Apply a tokenizer.json normalizer, remembering origins. Returns null for normalizers we cannot
 * replay. Example (LLaMA's Prepend '▁' + Replace ' '->'▁' on 'I love', offset 0):
 *   '▁' [0,1), 'I' [0,1), '▁' [1,2), 'l' [2,3), …
 */
export function normalizeWithOrigins(chars: SeenChar[], config: JsonConfig | null | undefined): SeenChar[] | null {
  if (!config) return chars;
  switch (config.type) {
    case 'Sequence': {
      let out: SeenChar[] | null = chars;
      for (const step of (config.normalizers as JsonConfig[] | undefined) ?? []) {
        out = normalizeWithOrigins(out, step);
        if (out === null) return null;
      }
      return out;
    }
    case 'BertNormalizer':
      return bertNormalize(chars, config);
    case 'Lowercase':
      return lowercase(chars);
    case 'StripAccents':
      return mapEach(chars, (c) => c.replace(/\p{M}/gu, ''));
    case 'NFD':
    case 'NFKD':
      return mapEach(chars, (c) => c.normalize(config.type as 'NFD' | 'NFKD'));
    case 'NFC':
    case 'NFKC':
      return composeClusters(chars, config.type);
    case 'Replace': {
      const pattern = patternOf(config);
      return pattern ? replacePattern(chars, pattern, String(config.content ?? '')) : null;
    }
    case 'Prepend': {
      const first = chars[0];
      const origin = first ? { char: '', start: first.start, end: first.end } : { char: '', start: 0, end: 0 };
      return [...spread(origin, String(config.prepend ?? '')), ...chars];
    }
    case 'Strip': {
      let from = 0;
      let to = chars.length;
      if (config.strip_left) while (from < to && /^\s$/u.test(chars[from]!.char)) from++;
      if (config.strip_right) while (to > from && /^\s$/u.test(chars[to - 1]!.char)) to--;
      return chars.slice(from, to);
    }
    default:
      return null;
  }
}

/** The character changes a pre-tokenizer makes (most only split, which changes nothing). */
function preTokenizeWithOrigins(chars: SeenChar[], config: JsonConfig | null | undefined, sectionIndex: number): SeenChar[] {
  if (!config) return chars;
  switch (config.type) {
    case 'Sequence':
      return ((config.pretokenizers as JsonConfig[] | undefined) ?? []).reduce(
        (out, step) => preTokenizeWithOrigins(out, step, sectionIndex),
        chars,
      );
    case 'ByteLevel': {
      const first = chars[0];
      if (!config.add_prefix_space || !first || first.char === ' ') return chars;
      return [{ char: ' ', start: first.start, end: first.end }, ...chars];
    }
    case 'Metaspace': {
      const replacement = String(config.replacement ?? '▁');
      const replaced = chars.map((c) => (c.char === ' ' ? { ...c, char: replacement } : c));
      const scheme = String(config.prepend_scheme ?? 'always');
      const first = replaced[0];
      const prepend =
        first !== undefined &&
        first.char !== replacement &&
        (scheme === 'always' || (scheme === 'first' && sectionIndex === 0));
      return prepend ? [{ char: replacement, start: first.start, end: first.end }, ...replaced] : replaced;
    }
    default:
      return chars;
  }
}

// ---------------------------------------------------------------------------------------------
// The replayed text as a stream of units.

function toUnits(chars: SeenChar[]): Unit[] {
  return chars.map((c) => ({
    kind: 'char',
    char: c.char,
    bytes: utf8.encode(c.char),
    start: c.start,
    end: c.end,
    isSpace: /^\s$/u.test(c.char),
  }));
}

function charsOf(text: string, from: number, to: number): SeenChar[] {
  const out: SeenChar[] = [];
  let i = from;
  while (i < to) {
    const cp = text.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    out.push({ char: text.slice(i, i + width), start: i, end: i + width });
    i += width;
  }
  return out;
}

/**
 * Replay `text` as the model sees it: added tokens as single units, everything else as
 * normalised, pre-tokenised characters with their origins. Null if the normalizer cannot be replayed.
 */
function replayText(text: string, tokenizerJson: TokenizerJsonLike): Unit[] | null {
  const added = (tokenizerJson.added_tokens ?? []).filter((t) => t.content.length > 0);
  const byContent = new Map(added.map((t) => [t.content, t]));
  // Longest match first at each position, as transformers.js's DictionarySplitter does.
  const contents = [...byContent.keys()].sort((a, b) => b.length - a.length);
  type Section = { added: string | null; from: number; to: number };
  const sections: Section[] = [];
  let plainFrom = 0;
  let i = 0;
  while (i < text.length) {
    const hit = contents.find((c) => text.startsWith(c, i));
    if (hit === undefined) {
      i++;
      continue;
    }
    if (i > plainFrom) sections.push({ added: null, from: plainFrom, to: i });
    sections.push({ added: hit, from: i, to: i + hit.length });
    i += hit.length;
    plainFrom = i;
  }
  if (plainFrom < text.length) sections.push({ added: null, from: plainFrom, to: text.length });

  // lstrip / rstrip: an added token swallows the whitespace beside it.
  sections.forEach((section, index) => {
    const token = section.added === null ? undefined : byContent.get(section.added);
    if (!token) return;
    const before = sections[index - 1];
    if (token.lstrip && before && before.added === null) {
      while (before.to > before.from && /\s/.test(text[before.to - 1]!)) before.to--;
    }
    const after = sections[index + 1];
    if (token.rstrip && after && after.added === null) {
      while (after.from < after.to && /\s/.test(text[after.from]!)) after.from++;
    }
  });

  const units: Unit[] = [];
  for (const [sectionIndex, section] of sections.entries()) {
    if (section.added !== null) {
      units.push({ kind: 'added', content: section.added, start: section.from, end: section.to });
      continue;
    }
    if (section.to <= section.from) continue;
    const normalized = normalizeWithOrigins(charsOf(text, section.from, section.to), tokenizerJson.normalizer);
    if (normalized === null) return null;
    if (normalized.length === 0) continue;
    pushAll(units, toUnits(preTokenizeWithOrigins(normalized, tokenizerJson.pre_tokenizer, sectionIndex)));
  }
  return units;
}

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

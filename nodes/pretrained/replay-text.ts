/**
 * The text as the model sees it, replayed from a tokenizer.json: added tokens written literally
 * in the text ('<|endoftext|>', '[CLS]') split out as single units (longest first, with their
 * lstrip/rstrip), every other section normalised (normalize-with-origins.ts) and given the
 * pre-tokenizer's character changes (Metaspace '▁', ByteLevel's prefix space). Each unit keeps
 * the span of the input it came from, so piece-offsets.ts can match pieces against it.
 *
 * Offsets are UTF-16 code unit indices (JavaScript string positions), end exclusive.
 *
 * Not handled here: added tokens matched only after normalisation; a normalizer that cannot be
 * replayed makes `replayText` return null.
 */
import { pushAll } from '../shared/arrays';
import { normalizeWithOrigins, type JsonConfig, type SeenChar } from './normalize-with-origins';

/** The parts of a tokenizer.json that decide how text maps to pieces. Loosely typed on purpose. */
export interface TokenizerJsonLike {
  normalizer?: JsonConfig | null;
  pre_tokenizer?: JsonConfig | null;
  added_tokens?: ReadonlyArray<{ id: number; content: string; special?: boolean; normalized?: boolean; lstrip?: boolean; rstrip?: boolean }>;
  model?: JsonConfig | null;
}

/** One unit of the replayed text: a character (with its UTF-8 bytes) or a whole added token. */
export type Unit =
  | { kind: 'char'; char: string; bytes: Uint8Array; start: number; end: number; isSpace: boolean }
  | { kind: 'added'; content: string; start: number; end: number };

const utf8 = new TextEncoder();

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
export function replayText(text: string, tokenizerJson: TokenizerJsonLike): Unit[] | null {
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

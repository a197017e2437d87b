/**
 * Normalisation with origins: a tokenizer.json normalizer replayed character by character,
 * remembering for every character the model sees which input characters produced it
 * (lowercase, strip accents, NFC/NFKC, Replace, Prepend '▁', Strip, BERT's normalizer).
 * A character that becomes several (a Replace, a decomposition) lends its span to each.
 *
 * Not handled here: normalizers that cannot be replayed character by character (SentencePiece's
 * `Precompiled` charsmap, `NMT`): `normalizeWithOrigins` returns null for them, never a guess.
 * Splitting out added tokens and the pre-tokenizer's changes are replay-text.ts's.
 */
import { maxOf, pushAll } from '../shared/arrays';

/** One step of a tokenizer.json pipeline (a normalizer, pre-tokenizer, decoder …). Loosely typed on purpose. */
export interface JsonConfig {
  type?: string;
  [key: string]: unknown;
}

/** A character of the text as the model sees it, and the input span it came from. */
export interface SeenChar {
  char: string;
  start: number;
  end: number;
}

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

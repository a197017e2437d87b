/**
 * From tokens to what a model's `encode()` returns: input_ids and attention_mask, with special
 * tokens added as the model expects, and truncation or padding to a fixed length.
 *
 *   buildInputIds([40, 1842], { bos: 50256, eos: 50256 }, { maxLength: 6, padding: true, truncation: true, pad: 50256 })
 *     // { ids: [50256, 40, 1842, 50256, 50256, 50256], attentionMask: [1, 1, 1, 1, 0, 0], truncated: 0, padded: 2 }
 *
 * Not handled here: pairs of sequences (token_type_ids), left padding.
 */
import { readableVocabulary, SPACE_GLYPH } from '../shared/token-text';

export interface InputIds {
  ids: number[];
  attentionMask: number[];
  /** Tokens dropped by truncation. */
  truncated: number;
  /** Padding tokens appended. */
  padded: number;
  /** Which positions hold special tokens the IDs step added. */
  added: number[];
}

export function buildInputIds(
  tokenIds: readonly number[],
  wrap: { bos?: number; eos?: number },
  options: { maxLength: number; padding: boolean; truncation: boolean; pad?: number },
): InputIds {
  const head = wrap.bos === undefined ? [] : [wrap.bos];
  const tail = wrap.eos === undefined ? [] : [wrap.eos];
  let body = [...tokenIds];
  let truncated = 0;
  const limit = options.maxLength > 0 ? options.maxLength : Infinity;
  if (options.truncation && head.length + body.length + tail.length > limit) {
    const keep = Math.max(0, limit - head.length - tail.length);
    truncated = body.length - keep;
    body = body.slice(0, keep);
  }
  const ids = [...head, ...body, ...tail];
  const added = [...(head.length ? [0] : []), ...(tail.length ? [ids.length - 1] : [])];
  const attentionMask = ids.map(() => 1);
  let padded = 0;
  if (options.padding && Number.isFinite(limit) && ids.length < limit) {
    if (options.pad === undefined) throw new Error('Padding needs a padding token, and this tokenizer has none.');
    padded = limit - ids.length;
    for (let i = 0; i < padded; i++) {
      ids.push(options.pad);
      attentionMask.push(0);
    }
  }
  return { ids, attentionMask, truncated, padded, added };
}

/** Case-insensitive search of a vocabulary by token text or exact id, paged. */
const readableVocabularies = new WeakMap<readonly string[], string[]>();
function readableOf(tokens: readonly string[]): string[] {
  let readable = readableVocabularies.get(tokens);
  if (!readable) readableVocabularies.set(tokens, (readable = readableVocabulary(tokens)));
  return readable;
}

const presentIds = new WeakMap<readonly string[], number[]>();

/** The ids a vocabulary has a token for (a vocabulary array may have holes), in order. */
function presentIdsOf(tokens: readonly string[]): number[] {
  let ids = presentIds.get(tokens);
  if (!ids) {
    const found: number[] = [];
    tokens.forEach((_, id) => found.push(id));
    ids = found;
    presentIds.set(tokens, ids);
  }
  return ids;
}

export function searchVocabulary(
  tokens: readonly string[],
  query: string,
  page: number,
  pageSize = 50,
): { total: number; page: number; rows: { id: number; token: string }[] } {
  const q = query.trim();
  let matches: number[];
  if (q === '') {
    // A shortcut past the text search (every token contains ''), which also skips the holes;
    // kept per vocabulary, as the IDs node shows this first page on every run.
    matches = presentIdsOf(tokens);
  }
  else if (/^\d+$/.test(q)) matches = Number(q) < tokens.length ? [Number(q)] : [];
  else {
    // Stored form ('Ġlove') or readable form ('·love' with the space glyph, 'ଭାଷା'): either finds the token.
    const needle = q.toLowerCase();
    const readableNeedle = needle.replaceAll(SPACE_GLYPH, ' ');
    const readable = readableOf(tokens);
    matches = [];
    tokens.forEach((t, id) => {
      if (t !== undefined && (t.toLowerCase().includes(needle) || readable[id]!.toLowerCase().includes(readableNeedle))) matches.push(id);
    });
  }
  const start = Math.max(0, page) * pageSize;
  return { total: matches.length, page, rows: matches.slice(start, start + pageSize).map((id) => ({ id, token: tokens[id]! })) };
}

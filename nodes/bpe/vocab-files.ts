/**
 * GPT-2's two tokenizer files, read and written: vocab.json (token -> id, called encoder.json in
 * OpenAI's release) and merges.txt (vocab.bpe: a '#version' line, then one "left right" per rank).
 *
 *   const model = modelFromVocabAndMerges(
 *     { a: 0, b: 1, ab: 2, '<|endoftext|>': 3 }, '#version: 0.2\na b\n', ['<|endoftext|>']);
 *   model.merges            // [{ left: 'a', right: 'b' }]
 *   toMergesTxt(model)      // '#version: 0.2\na b\n'
 *
 * ByteLevel tokens never contain a real space (it is written 'Ġ'), so splitting a merges line at
 * its single space is unambiguous.
 *
 * Not handled here: tokenizer.json (hf-export.ts), SentencePiece or WordPiece files.
 */
import type { BpeModel, MergeRule } from './types';

/**
 * Builds a model from a vocab object and merges text. `specialTokens` names the vocab entries
 * that are special (GPT-2: '<|endoftext|>'); they must be in the vocab.
 */
export function modelFromVocabAndMerges(
  vocab: Readonly<Record<string, number>>,
  mergesTxt: string,
  specialTokens: readonly string[] = [],
): BpeModel {
  const tokens: string[] = [];
  for (const [token, id] of Object.entries(vocab)) {
    if (!Number.isInteger(id) || id < 0) throw new Error(`vocab entry '${token}' has invalid id ${id}`);
    if (tokens[id] !== undefined) throw new Error(`vocab id ${id} is used twice`);
    tokens[id] = token;
  }
  for (let id = 0; id < tokens.length; id++) {
    if (tokens[id] === undefined) throw new Error(`vocab has no token with id ${id}`);
  }
  const merges: MergeRule[] = [];
  for (const line of mergesTxt.split('\n')) {
    if (line.startsWith('#version') || line.trim() === '') continue;
    const space = line.indexOf(' ');
    if (space <= 0 || line.indexOf(' ', space + 1) >= 0) throw new Error(`merges line is not "left right": '${line}'`);
    merges.push({ left: line.slice(0, space), right: line.slice(space + 1).replace(/\r$/, '') });
  }
  return {
    tokens,
    merges,
    specialTokens: specialTokens.map((content) => {
      const id = vocab[content];
      if (id === undefined) throw new Error(`special token '${content}' is not in the vocab`);
      return { content, id };
    }),
  };
}

/**
 * vocab.json text, entries in id order. Written by hand because JSON.stringify of an object
 * would list integer-like keys ('0'…'9') first.
 */
export function toVocabJson(model: BpeModel): string {
  return '{' + model.tokens.map((token, id) => `${JSON.stringify(token)}:${id}`).join(',') + '}';
}

/**
 * The merges without repeats of the same pair, first rank kept. Repeats can come out of HF-exact
 * training (see train-bpe.ts); a repeat never applies when encoding by rank, but HF's loader would
 * keep the last rank instead of the first, so exports leave repeats out.
 */
export function uniqueMerges(model: BpeModel): MergeRule[] {
  const seen = new Set<string>();
  return model.merges.filter((m) => {
    const key = `${m.left} ${m.right}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** merges.txt text, GPT-2's format. */
export function toMergesTxt(model: BpeModel): string {
  return '#version: 0.2\n' + uniqueMerges(model).map((m) => `${m.left} ${m.right}\n`).join('');
}

/**
 * The N-gram node's units and everything its inspector shows: the input cut into words or
 * token pieces, counted, the top n-grams, a prediction, perplexity, and (for words) the pair
 * BPE would merge first.
 *
 *   analyzeNgrams(wordUnits('the cat sat on the mat the cat ran', true), 'word', 'words',
 *     { n: 2, top: 1, k: 1, context: ['the'] }).top   // [{ units: ['the', 'cat'], count: 2 }]
 *
 * Not handled here: the model (ngram.ts), the prediction (predict.ts), drawing (components/).
 */
import type { Tokens } from '../engine/ports';
import { pretokenize } from '../pretokenize/pretokenize';
import { compareUnits, countNgrams, keyOf, perplexity, topNgrams, type NgramCount } from './ngram';
import { predictNext, type Prediction } from './predict';
import { guessSpelling, PLAIN, type TokenSpelling } from '../shared/token-text';

/** How many units of the input the view previews. */
export const UNITS_PREVIEWED = 40;
/** Distinct special tokens the view carries (a tokenizer has a handful). */
const MAX_SPECIALS = 50;

/**
 * Word-level units: the text cut on whitespace and punctuation, each punctuation mark a unit
 * of its own. Letters keep their combining marks, so an Odia word stays whole.
 *
 *   wordUnits('The cat, the hat.', true) // ['the', 'cat', ',', 'the', 'hat', '.']
 */
export function wordUnits(text: string, lowercase: boolean): string[] {
  const units = pretokenize(text, 'bert').map((p) => p.text);
  return lowercase ? units.map((u) => u.toLowerCase()) : units;
}

/** Token-level units: the pieces as the tokenizer's vocabulary writes them ('Ġlove', '▁I', '[CLS]'). */
export function tokenUnits(tokens: Tokens): string[] {
  return tokens.pieces.map((p) => p.piece);
}

/** The special (and unknown) tokens among them, which a view shows as stored. */
export function specialUnits(tokens: Tokens): string[] {
  return [...new Set(tokens.pieces.filter((p) => p.kind === 'special' || p.kind === 'unknown').map((p) => p.piece))];
}

/**
 * The most frequent adjacent pair of characters (code points) inside units: the pair BPE would
 * merge first on these words. Null when no unit has two characters.
 *
 *   firstMergePair(['low', 'lower', 'newest']) // { left: 'l', right: 'o', count: 2 } (tie with 'o'+'w', 'l' < 'o')
 */
export function firstMergePair(units: readonly string[]): { left: string; right: string; count: number } | null {
  const pairs = new Map<string, { left: string; right: string; count: number }>();
  for (const unit of units) {
    const chars = [...unit];
    for (let i = 0; i + 1 < chars.length; i++) {
      const left = chars[i]!;
      const right = chars[i + 1]!;
      const key = keyOf([left, right]);
      const entry = pairs.get(key);
      if (entry) entry.count++;
      else pairs.set(key, { left, right, count: 1 });
    }
  }
  let best: { left: string; right: string; count: number } | null = null;
  for (const p of pairs.values()) {
    if (!best || p.count > best.count || (p.count === best.count && compareUnits([p.left, p.right], [best.left, best.right]) < 0)) best = p;
  }
  return best && { ...best };
}

export interface NgramOptions {
  n: number;
  top: number;
  k: number;
  /** Units to predict after; null means the last n−1 units of the input. */
  context: string[] | null;
}

/** Everything the inspector shows: small and structured-cloneable. */
export interface NgramAnalysis {
  level: 'word' | 'token';
  /** 'words' or the tokenizer's name. */
  source: string;
  /**
   * How the units spell their text: token pieces are stored forms ('Ġthe', '▁I', '##ing'), which
   * the inspector reads as text through token-text.ts unless the learner asks for the stored form.
   * PLAIN for words.
   */
  spelling: TokenSpelling;
  /** Special tokens among the units ('[CLS]', '<|endoftext|>'): shown as stored, never decoded. */
  specials: string[];
  n: number;
  unitCount: number;
  unitsPreview: string[];
  vocabSize: number;
  /** Number of n-gram positions. */
  ngramTotal: number;
  distinctNgrams: number;
  top: NgramCount[];
  prediction: Prediction;
  perplexity: number | null;
  /** For word units: the pair BPE would merge first, the bridge between the two ideas. */
  firstMerge: { left: string; right: string; count: number } | null;
}

/**
 * Count, list the top n-grams, predict the next unit and score the input.
 *
 *   analyzeNgrams(wordUnits('the cat sat on the mat the cat ran', true), 'word', 'words',
 *     { n: 2, top: 1, k: 1, context: ['the'] })
 *   // top: [{ units: ['the', 'cat'], count: 2 }], prediction.next[0]: cat, (2 + 1) / (3 + 6) = 1/3
 */
export function analyzeNgrams(
  units: readonly string[],
  level: NgramAnalysis['level'],
  source: string,
  options: NgramOptions,
  specials: readonly string[] = [],
): NgramAnalysis {
  const model = countNgrams(units, options.n);
  const prediction =
    options.context === null ? predictNext(model, units, options.k, 'input') : predictNext(model, options.context, options.k, 'typed');
  return {
    level,
    source,
    spelling: level === 'token' ? guessSpelling(units) : PLAIN,
    specials: [...new Set(specials)].slice(0, MAX_SPECIALS),
    n: options.n,
    unitCount: units.length,
    unitsPreview: units.slice(0, UNITS_PREVIEWED),
    vocabSize: model.vocab.size,
    ngramTotal: model.total,
    distinctNgrams: model.ngrams.size,
    top: topNgrams(model, options.top),
    prediction,
    perplexity: perplexity(model, units, options.k),
    firstMerge: level === 'word' ? firstMergePair(units) : null,
  };
}

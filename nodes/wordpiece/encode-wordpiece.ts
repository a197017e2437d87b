/**
 * WordPiece encoding and decoding, as Hugging Face `tokenizers`' WordPiece model and decoder do
 * it: BERT normalisation and pre-tokenization (bert-text.ts), then inside each word the longest
 * vocabulary entry from the left, again and again; after the first piece the entry is looked up
 * with the prefix ('##').
 *
 *   vocab: un ##aff ##able ##a ##ff [UNK]
 *   encodeWord('unaffable')   // un ##aff ##able  (tries 'unaffable', 'unaffabl', …, 'un'; then
 *                             //  '##affable', …, '##aff'; then '##able')
 *   encodeWord('unbreak')     // [UNK]: no entry starts '##b', so the whole word is unknown
 *
 * A word longer than maxInputCharsPerWord code points is [UNK] at once. Special tokens written
 * in the text are cut out first and keep their ids (HF's added tokens).
 *
 * Decoding (HF's WordPiece decoder, cleanup on): tokens joined by spaces, a prefixed token glued
 * to the one before it, then per token " ." -> "." and the other English contractions HF tidies.
 * Lossy by design: case, accents and spacing the normaliser removed do not come back.
 *
 * Not handled here: training (train-wordpiece.ts), pairs of sentences, [CLS]/[SEP] (the IDs node
 * adds them).
 */
import type { TokenPiece } from '../engine/ports';
import { bertPieces } from './bert-text';
import type { WordPieceModel } from './types';

/** One step of the longest-match search: the candidates tried from one start, longest first. */
export interface WordPieceStep {
  start: number;
  tried: string[];
  found: string | null;
}

interface Found {
  piece: string;
  id: number;
  /** UTF-16 offsets inside the word. */
  start: number;
  end: number;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class WordPieceEncoder {
  readonly ids = new Map<string, number>();
  private readonly longest: number;
  private readonly specialPattern: RegExp | null;
  private readonly cache = new Map<string, Found[] | null>();

  constructor(readonly model: WordPieceModel) {
    let longest = 1;
    model.tokens.forEach((token, id) => {
      if (!this.ids.has(token)) this.ids.set(token, id);
      let n = 0;
      for (const _ of token) n++;
      if (n > longest) longest = n;
    });
    this.longest = longest;
    const contents = model.specialTokens.map((t) => t.content).filter(Boolean).sort((a, b) => b.length - a.length);
    this.specialPattern = contents.length ? new RegExp(contents.map(escapeRegExp).join('|'), 'g') : null;
  }

  /** The pieces of one normalised word, or null when it must be [UNK]. */
  encodeWord(word: string, steps?: WordPieceStep[]): Found[] | null {
    if (!steps) {
      const hit = this.cache.get(word);
      if (hit !== undefined) return hit;
    }
    const { prefix, maxInputCharsPerWord } = this.model;
    const chars = [...word];
    let result: Found[] | null = [];
    if (chars.length > maxInputCharsPerWord) result = null;
    // at[i]: UTF-16 offset of code point i.
    const at = [0];
    for (const c of chars) at.push(at.at(-1)! + c.length);
    for (let start = 0; result && start < chars.length; ) {
      const step: WordPieceStep = { start: at[start]!, tried: [], found: null };
      let end = Math.min(chars.length, start + this.longest);
      let found: Found | null = null;
      for (; end > start; end--) {
        const candidate = (start > 0 ? prefix : '') + word.slice(at[start], at[end]);
        step.tried.push(candidate);
        const id = this.ids.get(candidate);
        if (id !== undefined) {
          found = { piece: candidate, id, start: at[start]!, end: at[end]! };
          break;
        }
      }
      step.found = found?.piece ?? null;
      steps?.push(step);
      if (!found) result = null;
      else {
        result.push(found);
        start = end;
      }
    }
    if (!steps) {
      if (this.cache.size > 100_000) this.cache.clear();
      this.cache.set(word, result);
    }
    return result;
  }

  private unknownId(word: string): number {
    const id = this.ids.get(this.model.unkToken);
    if (id === undefined) {
      throw new Error(`The word '${word}' cannot be spelled with this vocabulary, and it has no ${this.model.unkToken} token: add ${this.model.unkToken} to the special tokens.`);
    }
    return id;
  }

  /** Tokens with offsets into `text`. */
  encodeTokens(text: string): TokenPiece[] {
    const out: TokenPiece[] = [];
    const plain = (from: number, to: number) => {
      for (const { word, start, end } of bertPieces(text.slice(from, to), this.model.text ?? { cleanText: false, handleChineseChars: false, stripAccents: false, lowercase: false })) {
        const pieces = this.encodeWord(word);
        if (pieces === null) out.push({ piece: this.model.unkToken, id: this.unknownId(word), kind: 'unknown', start: from + start, end: from + end });
        else {
          // Offsets: exact when the normaliser kept the word's length, else the whole word.
          const exact = word.length === end - start;
          for (const p of pieces) {
            out.push({ piece: p.piece, id: p.id, kind: 'text', start: exact ? from + start + p.start : from + start, end: exact ? from + start + p.end : from + end });
          }
        }
      }
    };
    let cursor = 0;
    if (this.specialPattern) {
      for (const match of text.matchAll(this.specialPattern)) {
        plain(cursor, match.index);
        out.push({ piece: match[0], id: this.ids.get(match[0])!, kind: 'special', start: match.index, end: match.index + match[0].length });
        cursor = match.index + match[0].length;
      }
    }
    plain(cursor, text.length);
    return out;
  }

  encode(text: string): number[] {
    return this.encodeTokens(text).map((t) => t.id);
  }
}

const CLEANUPS: [string, string][] = [
  [' .', '.'], [' ?', '?'], [' !', '!'], [' ,', ','], [" ' ", "'"], [" n't", "n't"], [" 'm", "'m"],
  [' do not', " don't"], [" 's", "'s"], [" 've", "'ve"], [" 're", "'re"],
];

/** ids -> text, as HF's WordPiece decoder (cleanup on). Throws on an id outside the vocabulary. */
export function decodeWordPiece(model: WordPieceModel, ids: readonly number[]): string {
  let text = '';
  ids.forEach((id, i) => {
    let token = model.tokens[id];
    if (token === undefined) throw new Error(`ID ${id} is not in this tokenizer's vocabulary (0…${model.tokens.length - 1}).`);
    if (i !== 0) token = token.startsWith(model.prefix) ? token.slice(model.prefix.length) : ` ${token}`;
    for (const [from, to] of CLEANUPS) token = token.replaceAll(from, to);
    text += token;
  });
  return text;
}

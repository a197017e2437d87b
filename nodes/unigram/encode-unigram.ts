/**
 * Unigram encoding and decoding as spm_encode / spm_decode do it: normalise (spm-text.ts), then
 * the Viterbi best segmentation of the whole sentence by piece scores; a character no piece
 * covers is <unk> (a run of them is one <unk>), or with byte fallback its UTF-8 bytes.
 *
 *   pieces ▁the -2, ▁t -4, he -3, ▁ -3, t -5, h -5, e -5
 *   encode('the')   // ▁the (-2 beats ▁t + he = -7 and ▁ + t + h + e = -18)
 *
 * The best path is found left to right (best score ending at each position; ties keep the
 * earlier start), as SentencePiece's optimised encoder does. `lattice()` gives the full lattice
 * of one word with its best path, for the inspector.
 *
 * Decoding: pieces joined, '▁' back to spaces, the first one dropped (it is the dummy prefix),
 * byte pieces gathered into UTF-8; <unk> decodes to ' ⁇ ' as spm_decode writes it.
 *
 * Not handled here: training, sampling (subword regularisation), n-best.
 */
import type { TokenPiece } from '../engine/ports';
import { Lattice, PieceTrie, UNK_PENALTY } from './lattice';
import { SPACE, spmNormalize, spmWords } from './spm-text';
import type { UnigramModel } from './types';

const f = Math.fround;

export interface LatticeView {
  word: string;
  /** Every candidate piece: where it starts and ends (code points), its id and score. */
  nodes: { start: number; end: number; piece: string; id: number; score: number; best: boolean }[];
  best: string[];
  score: number;
}

export class UnigramEncoder {
  readonly ids = new Map<string, number>();
  private readonly trie: PieceTrie;
  private readonly scores: Float32Array;
  private readonly unkScore: number;
  private readonly cache = new Map<string, number[]>();

  constructor(readonly model: UnigramModel) {
    const normal: string[] = [];
    this.scores = new Float32Array(model.pieces.length);
    let min = Infinity;
    model.pieces.forEach((p, id) => {
      this.ids.set(p.piece, id);
      this.scores[id] = p.score;
      normal[id] = p.kind === 'normal' ? p.piece : '';
      if (p.kind === 'normal') min = Math.min(min, f(p.score));
    });
    this.trie = new PieceTrie(normal);
    this.unkScore = f((min === Infinity ? 0 : min) - UNK_PENALTY);
  }

  /** Viterbi over one word's code points, left to right; ids (unknown characters as -1 - cp). */
  private segment(cps: Int32Array): number[] {
    const n = cps.length;
    const best = new Float32Array(n + 1);
    const from = new Int32Array(n + 1).fill(-1);
    const id = new Int32Array(n + 1);
    for (let start = 0; start < n; start++) {
      const here = best[start]!;
      let single = false;
      this.trie.prefixes(cps, start, (piece, length) => {
        const end = start + length;
        const score = f(this.scores[piece]! + here);
        if (from[end] === -1 || score > best[end]!) {
          best[end] = score;
          from[end] = start;
          id[end] = piece;
        }
        if (length === 1) single = true;
      });
      if (!single) {
        const score = f(this.unkScore + here);
        if (from[start + 1] === -1 || score > best[start + 1]!) {
          best[start + 1] = score;
          from[start + 1] = start;
          id[start + 1] = -1 - cps[start]!;
        }
      }
    }
    const out: number[] = [];
    for (let end = n; end > 0; end = from[end]!) out.push(id[end]!);
    return out.reverse();
  }

  /** Pieces of normalised text, with unknown runs merged (or spelled as bytes). */
  private encodeWord(word: string): number[] {
    const hit = this.cache.get(word);
    if (hit) return hit;
    const raw = this.segment(Int32Array.from(word, (c) => c.codePointAt(0)!));
    const out: number[] = [];
    for (const x of raw) {
      if (x >= 0) out.push(x);
      else if (this.model.byteFallback) {
        for (const b of new TextEncoder().encode(String.fromCodePoint(-1 - x))) {
          out.push(this.ids.get(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`) ?? this.model.unkId);
        }
      } else if (out.at(-1) !== this.model.unkId) out.push(this.model.unkId);
    }
    if (this.cache.size > 100_000) this.cache.clear();
    this.cache.set(word, out);
    return out;
  }

  encode(text: string): number[] {
    const out: number[] = [];
    for (const line of text.toWellFormed().split('\n')) {
      const words = spmWords(spmNormalize(line, this.model.addDummyPrefix));
      for (const word of words) {
        const ids = this.encodeWord(word);
        for (const id of ids) out.push(id);
      }
    }
    return out;
  }

  /** Tokens with offsets into `text` (a piece's '▁' is the space before its word). */
  encodeTokens(text: string): TokenPiece[] {
    const out: TokenPiece[] = [];
    const re = /[^ \n]+/g;
    for (const match of text.matchAll(re)) {
      const start = match.index;
      const word = (out.length === 0 && !this.model.addDummyPrefix ? '' : SPACE) + match[0];
      let offset = start - (word.startsWith(SPACE) ? 1 : 0);
      for (const id of this.encodeWord(word)) {
        const piece = this.model.pieces[id]!;
        const length = piece.kind === 'normal' ? piece.piece.length : 1;
        const from = Math.max(start, offset);
        out.push({ piece: piece.piece, id, kind: piece.kind === 'byte' ? 'byte' : piece.kind === 'unknown' ? 'unknown' : 'text', start: from, end: Math.min(start + match[0].length, Math.max(from, offset + length)) });
        offset += length;
      }
    }
    return out;
  }

  /** The lattice of one word as the inspector draws it, with the best path marked. */
  lattice(text: string): LatticeView {
    const word = spmWords(spmNormalize(text, true))[0] ?? '';
    const cps = Int32Array.from(word, (c) => c.codePointAt(0)!);
    const normal = this.model.pieces.map((p) => (p.kind === 'normal' ? p.piece : ''));
    const lattice = new Lattice(cps, this.trie, this.scores, { id: this.model.unkId, score: this.unkScore });
    const best = lattice.viterbi();
    const onPath = new Set(best?.nodes ?? []);
    const chars = [...word];
    const nodes = [];
    for (let node = 2; node < lattice.start.length; node++) {
      const start = lattice.start[node]!;
      const end = start + lattice.length[node]!;
      const id = lattice.id[node]!;
      nodes.push({ start, end, piece: normal[id] || chars.slice(start, end).join(''), id, score: lattice.score[node]!, best: onPath.has(node) });
    }
    return { word, nodes, best: (best?.nodes ?? []).map((n) => normal[lattice.id[n]!] || '<unk>'), score: best?.score ?? 0 };
  }
}

/** ids -> text, as spm_decode. Throws on an id outside the vocabulary. */
export function decodeUnigram(model: UnigramModel, ids: readonly number[]): string {
  const bytes: number[] = [];
  let text = '';
  const flush = () => {
    if (bytes.length) text += new TextDecoder().decode(Uint8Array.from(bytes));
    bytes.length = 0;
  };
  for (const id of ids) {
    const piece = model.pieces[id];
    if (piece === undefined) throw new Error(`ID ${id} is not in this tokenizer's vocabulary (0…${model.pieces.length - 1}).`);
    if (piece.kind === 'byte') {
      bytes.push(parseInt(piece.piece.slice(3, 5), 16));
      continue;
    }
    flush();
    if (piece.kind === 'unknown') text += ' \u2047 ';
    else if (piece.kind === 'normal') text += piece.piece;
  }
  flush();
  text = text.replaceAll(SPACE, ' ');
  return text.startsWith(' ') && model.addDummyPrefix ? text.slice(1) : text;
}

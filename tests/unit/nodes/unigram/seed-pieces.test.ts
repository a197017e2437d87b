/**
 * The trainer's shortcuts against the plain versions they replace: seeds found over the unique
 * words against the suffix tree of the whole corpus (what esaxx and SentencePiece use), words
 * counted per line against spmWords(spmNormalize), and the flat E-step and Viterbi against the
 * per-word lattice.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WordLattices } from '@/nodes/unigram/em';
import type { ModelPiece } from '@/nodes/unigram/em-steps';
import { Lattice, PieceTrie } from '@/nodes/unigram/lattice';
import { seedPieces, type CorpusWord } from '@/nodes/unigram/seed-pieces';
import { DEFAULT_PIECE_RULES, SpmWordCounter, compareCodePoints, isValidPiece, spmNormalize, spmWords } from '@/nodes/unigram/spm-text';
import { suffixArray, suffixTreeNodes } from '@/nodes/unigram/suffix-array';

const cps = (s: string) => Int32Array.from(s, (c) => c.codePointAt(0)!);
const f = Math.fround;
/** Lines over a small alphabet with spaces, a literal ▁, two scripts and an emoji. */
const stringOf = (chars: string[], min: number, max: number) => fc.array(fc.constantFrom(...chars), { minLength: min, maxLength: max }).map((cs) => cs.join(''));
const lines = fc.array(stringOf(['a', 'b', 'n', ' ', ' ', '▁', 'ଓ', 'ା', ',', '👍', '<unk>'], 0, 24), { minLength: 1, maxLength: 12 });

function counted(ls: string[], addDummyPrefix = true): CorpusWord[] {
  const counter = new SpmWordCounter(addDummyPrefix);
  for (const l of ls) counter.add(l);
  return counter.words.map((w) => ({ cps: cps(w.word), count: w.count, ends: w.ends }));
}

/** SentencePiece's way: the suffix tree of every sentence, NUL-separated, in esaxx's node order. */
function seedsFromWholeCorpus(ls: string[]): ModelPiece[] {
  const sentences = ls.map((l) => spmNormalize(l).replace(/<unk>|<s>|<\/s>/g, '\t')).filter(Boolean);
  const text = cps(sentences.map((s) => s + '\0').join(''));
  const sa = suffixArray(text);
  const tree = suffixTreeNodes(text, sa);
  const chars = new Map<number, number>();
  for (const c of text) if (c !== 0 && c !== 9) chars.set(c, (chars.get(c) ?? 0) + 1);
  const seeds: ModelPiece[] = [...chars].map(([c, n]): ModelPiece => [String.fromCodePoint(c), f(n), 0]).sort((a, b) => b[1] - a[1] || compareCodePoints(a[0], b[0]));
  const subs: [number, number][] = [];
  for (let i = 0; i < tree.count; i++) {
    const offset = sa[tree.left[i]!]!;
    if (tree.depth[i]! > 1 && isValidPiece(text, DEFAULT_PIECE_RULES, offset, offset + tree.depth[i]!)) subs.push([i, (tree.right[i]! - tree.left[i]!) * tree.depth[i]!]);
  }
  subs.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  for (const [i, score] of subs) seeds.push([String.fromCodePoint(...text.subarray(sa[tree.left[i]!]!, sa[tree.left[i]!]! + tree.depth[i]!)), f(score), 0]);
  return seeds;
}

describe('Unigram training shortcuts', () => {
  it('counts the words spmWords(spmNormalize(line)) gives, with how often each ends a line (fast-check)', () => {
    fc.assert(
      fc.property(lines, fc.boolean(), (ls, dummy) => {
        const expected = new Map<string, [number, number]>();
        for (const l of ls) {
          const words = spmWords(spmNormalize(l, dummy).replace(/<unk>|<s>|<\/s>/g, '\t'));
          words.forEach((w, k) => {
            const e = expected.get(w) ?? [0, 0];
            e[0]++;
            if (k === words.length - 1) e[1]++;
            expected.set(w, e);
          });
        }
        const counter = new SpmWordCounter(dummy);
        const empty = ls.map((l) => !counter.add(l));
        expect(new Map(counter.words.map((w) => [w.word, [w.count, w.ends]]))).toEqual(expected);
        expect(empty).toEqual(ls.map((l) => spmNormalize(l, dummy) === ''));
      }),
    );
  });

  it('finds the seeds of the whole corpus\'s suffix tree, in its order, from the unique words (fast-check)', () => {
    fc.assert(
      fc.property(lines, (ls) => {
        const reference = seedsFromWholeCorpus(ls);
        const required = new Map(reference.filter((s) => [...s[0]].length === 1).map((s) => [s[0].codePointAt(0)!, s[1]]));
        if (required.size === 0) return;
        const ours = seedPieces(counted(ls), required, DEFAULT_PIECE_RULES, 1_000_000);
        expect(ours.map((s) => s[0])).toEqual(reference.map((s) => s[0]));
      }),
    );
  });

  it('gives the per-word lattice\'s expected counts and best paths, bit for bit, also with pieces gone (fast-check)', () => {
    const pieces = ['▁', 'a', 'b', 'n', '▁a', '▁b', 'an', 'na', 'ban', 'ana', '▁ban', 'nan', '▁banana'];
    const trie = new PieceTrie(pieces);
    fc.assert(
      fc.property(
        fc.array(stringOf(['a', 'b', 'n', 'x'], 1, 9), { minLength: 1, maxLength: 6 }),
        fc.array(fc.float({ min: -12, max: -0.5, noNaN: true }), { minLength: pieces.length, maxLength: pieces.length }),
        fc.array(fc.boolean(), { minLength: pieces.length, maxLength: pieces.length }),
        (bodies, raw, alive) => {
          const words = bodies.map((b) => '▁' + b);
          // The model: the live pieces, renumbered; current maps seed -> model index.
          const current = new Int32Array(pieces.length).fill(-1);
          const live: string[] = [];
          pieces.forEach((p, i) => {
            if (alive[i] || [...p].length === 1) current[i] = live.push(p) - 1;
          });
          const scores = Float32Array.from(live, (p) => raw[pieces.indexOf(p)]!);
          const unkScore = f(Math.min(...scores) - 10);
          const lattices = new WordLattices(words.map(cps), trie, current);
          const counts = words.map((_, i) => i + 1);
          const ours = new Float32Array(live.length);
          lattices.eStep({ from: 0, to: words.length, objective: 0 }, scores, unkScore, counts, ours, 10);
          const theirs = new Float32Array(live.length);
          const liveTrie = new PieceTrie(live);
          words.forEach((w, i) => {
            const lattice = new Lattice(cps(w), liveTrie, scores, { id: 0, score: unkScore });
            lattice.populateMarginal(counts[i]!, theirs);
            const best = lattice.viterbi()!.nodes.map((n) => lattice.id[n]);
            expect([...lattices.path.subarray(0, lattices.viterbi(i, scores, unkScore))]).toEqual(best);
          });
          expect([...ours]).toEqual([...theirs]);
        },
      ),
    );
  });
});

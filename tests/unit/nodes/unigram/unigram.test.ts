import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UnigramEncoder, decodeUnigram } from '@/nodes/unigram/encode-unigram';
import { Lattice, PieceTrie } from '@/nodes/unigram/lattice';
import { isValidPiece, spmNormalize, spmWords } from '@/nodes/unigram/spm-text';
import { suffixArray, suffixTreeNodes } from '@/nodes/unigram/suffix-array';
import { digamma } from '@/nodes/unigram/em-steps';
import { trainUnigram } from '@/nodes/unigram/train-unigram';
import type { UnigramModel, UnigramPiece } from '@/nodes/unigram/types';
import { odiaCorpus } from '@/scripts/make-corpora';

const cps = (s: string) => Int32Array.from(s, (c) => c.codePointAt(0)!);
const SPECIALS: UnigramPiece[] = [
  { piece: '<unk>', score: 0, kind: 'unknown' },
  { piece: '<s>', score: 0, kind: 'control' },
  { piece: '</s>', score: 0, kind: 'control' },
];
const modelOf = (pieces: [string, number][], extra: Partial<UnigramModel> = {}): UnigramModel => ({
  pieces: [...SPECIALS, ...pieces.map(([piece, score]): UnigramPiece => ({ piece, score, kind: 'normal' }))],
  unkId: 0, bosId: 1, eosId: 2, byteFallback: false, addDummyPrefix: true, ...extra,
});

describe('Unigram Viterbi', () => {
  // Hand-worked: for '▁the', the paths and their scores (sum of log probabilities):
  //   ▁the -2 | ▁t + he -4 - 3 = -7 | ▁th + e -4.5 - 5 = -9.5 | ▁ + t + h + e = -3 - 15 = -18 | ▁ + the? no piece 'the'
  const model = modelOf([['▁the', -2], ['▁t', -4], ['▁th', -4.5], ['he', -3], ['▁', -3], ['t', -5], ['h', -5], ['e', -5]]);
  it('picks the best-scoring segmentation, as worked by hand', () => {
    const encoder = new UnigramEncoder(model);
    expect(encoder.encode('the')).toEqual([3]);
    const view = encoder.lattice('the');
    expect(view.best).toEqual(['▁the']);
    expect(view.score).toBe(-2);
    // Every piece that fits, by start: ▁ ▁t ▁th ▁the (0), t (1), h he (2), e (3).
    expect(view.nodes.map((n) => `${n.start}:${n.piece}`)).toEqual(['0:▁', '0:▁t', '0:▁th', '0:▁the', '1:t', '2:h', '2:he', '3:e']);
    expect(view.nodes.filter((n) => n.best).map((n) => n.piece)).toEqual(['▁the']);
  });

  it('takes the second-best path when the best piece is left out (what pruning asks)', () => {
    const pieces = model.pieces.map((p) => p.piece);
    const lattice = new Lattice(cps('▁the'), new PieceTrie(pieces), model.pieces.map((p) => p.score), { id: 0, score: -15 });
    const best = lattice.viterbi()!;
    const second = lattice.viterbi(best.nodes[0])!;
    expect(second.nodes.map((n) => pieces[lattice.id[n]!])).toEqual(['▁t', 'he']);
    expect(second.score).toBe(-7);
  });

  it('gives marginals that sum to the expected number of pieces per position', () => {
    const pieces = model.pieces.map((p) => p.piece);
    const lattice = new Lattice(cps('▁the'), new PieceTrie(pieces), model.pieces.map((p) => p.score), { id: 0, score: -15 });
    const expected = new Float32Array(pieces.length);
    lattice.populateMarginal(1, expected);
    // Every path covers position 0 with exactly one of ▁ ▁t ▁th ▁the.
    expect(expected[3]! + expected[4]! + expected[5]! + expected[7]!).toBeCloseTo(1, 5);
    expect(expected[3]!).toBeGreaterThan(0.99); // exp(-2) dwarfs exp(-7)
  });

  it('makes one <unk> of a run of unknown characters, or bytes with byte fallback', () => {
    expect(new UnigramEncoder(model).encode('thexyz')).toEqual([3, 0]);
    const bytes = Array.from({ length: 256 }, (_, b): UnigramPiece => ({ piece: `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`, score: 0, kind: 'byte' }));
    const withBytes: UnigramModel = { ...model, byteFallback: true, pieces: [...SPECIALS, ...bytes, ...model.pieces.slice(3)] };
    const ids = new UnigramEncoder(withBytes).encode('theé');
    expect(ids).toEqual([259, 3 + 0xc3, 3 + 0xa9]);
    expect(decodeUnigram(withBytes, ids)).toBe('theé');
  });
});

describe('SentencePiece text rules', () => {
  it('trims and collapses spaces and marks word starts with ▁', () => {
    expect(spmNormalize('  Hello   world ')).toBe('▁Hello▁world');
    expect(spmNormalize('   ')).toBe('');
    expect(spmWords('▁Hello▁▁world')).toEqual(['▁Hello', '▁', '▁world']);
  });
  it('allows ▁ only first, one script per piece, at most maxPieceLength characters', () => {
    expect(isValidPiece(cps('▁the'))).toBe(true);
    expect(isValidPiece(cps('the▁'))).toBe(false);
    expect(isValidPiece(cps('a,'))).toBe(false);
    expect(isValidPiece(cps('ଭାଷା'))).toBe(true);
    expect(isValidPiece(cps('é'.normalize('NFD')))).toBe(true); // the combining mark takes Latin
    expect(isValidPiece(cps('abcdefghijklmnopq'))).toBe(false);
  });
  it('computes digamma as SentencePiece does (ψ(1) = -γ)', () => {
    expect(digamma(1)).toBeCloseTo(-0.5772156649, 9);
    expect(digamma(10)).toBeCloseTo(2.2517525890667, 9);
  });
});

describe('suffix array and suffix tree nodes', () => {
  it('sorts the suffixes of banana and finds its repeated substrings', () => {
    const t = cps('banana');
    const sa = suffixArray(t);
    expect([...sa]).toEqual([5, 3, 1, 0, 4, 2]);
    const tree = suffixTreeNodes(t, sa);
    const nodes = Array.from({ length: tree.count }, (_, i) => `${String.fromCodePoint(...t.subarray(sa[tree.left[i]!]!, sa[tree.left[i]!]! + tree.depth[i]!))}×${tree.right[i]! - tree.left[i]!}`);
    expect(nodes).toEqual(['ana×2', 'a×3', 'na×2', '×6']);
  });
  it('agrees with a naive sort on random strings (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 60 }), (xs) => {
        const t = Int32Array.from(xs);
        const naive = xs.map((_, i) => i).sort((a, b) => {
          for (let k = 0; ; k++) {
            if (a + k >= xs.length) return -1;
            if (b + k >= xs.length) return 1;
            if (xs[a + k] !== xs[b + k]) return xs[a + k]! - xs[b + k]!;
          }
        });
        expect([...suffixArray(t)]).toEqual(naive);
      }),
    );
  });
});

describe('trainUnigram', () => {
  it('reports rising progress up to 1, and stops at a checkpoint that throws (the worker\'s Stop)', async () => {
    const corpus = odiaCorpus(30_000);
    const seen: number[] = [];
    let checkpoints = 0;
    await trainUnigram(corpus, { vocabSize: 300 }, { progress: (x) => seen.push(x), checkpoint: async () => void checkpoints++ });
    expect(seen.at(-1)).toBe(1);
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.every((x, i) => i === 0 || x >= seen[i - 1]!)).toBe(true);
    const stopAt = Math.floor(checkpoints / 2);
    let calls = 0;
    const stopped = trainUnigram(corpus, { vocabSize: 300 }, {
      checkpoint: async () => {
        if (++calls === stopAt) throw new Error('stopped');
      },
    });
    await expect(stopped).rejects.toThrow('stopped');
    expect(calls).toBe(stopAt);
  });

  it('starts big and prunes down to the vocabulary size, keeping every required character', async () => {
    const corpus = odiaCorpus(30_000);
    const uni = await trainUnigram(corpus, { vocabSize: 300, characterCoverage: 1 });
    expect(uni.pieces.length).toBe(300);
    expect(uni.rounds[0]!.step).toBe('seed');
    expect(uni.rounds[0]!.size).toBeGreaterThan(1000);
    expect(uni.rounds.at(-1)!.size).toBeLessThanOrEqual(330);
    const pieces = new Set(uni.pieces.map((p) => p.piece));
    for (const c of new Set(corpus.replace(/[\s]/g, ''))) expect(pieces.has(c), c).toBe(true);
    expect(uni.pieces.slice(3).every((p, i, a) => i === 0 || a[i - 1]!.score >= p.score)).toBe(true);
    for (const p of uni.pieces.slice(3)) expect([...p.piece].length).toBeLessThanOrEqual(16);
    // At the default coverage (99.95 %) the rarest characters are left to <unk>.
    const covered = await trainUnigram(corpus, { vocabSize: 300 });
    expect(covered.requiredChars).toBeLessThan(uni.requiredChars);
  });

  it('refuses a vocabulary smaller than the alphabet, and an empty corpus, in plain words', async () => {
    await expect(trainUnigram(odiaCorpus(5_000), { vocabSize: 10 })).rejects.toThrow(/raise the vocabulary size/);
    await expect(trainUnigram(' \n\n', { vocabSize: 100 })).rejects.toThrow(/no text to train on/);
  });

  it('round-trips "", Odia, emoji and lone surrogates through encode and decode', async () => {
    const corpus = `${odiaCorpus(20_000)}\nemoji 👍🏽 and 🇮🇳 here\nplain words here`;
    const uni = await trainUnigram(corpus, { vocabSize: 400, byteFallback: true, characterCoverage: 1 });
    const encoder = new UnigramEncoder(uni);
    const roundTrip = (s: string) => decodeUnigram(uni, encoder.encode(s));
    expect(encoder.encode('')).toEqual([]);
    expect(roundTrip('')).toBe('');
    expect(roundTrip('ଓଡ଼ିଆ ଭାଷା')).toBe('ଓଡ଼ିଆ ଭାଷା');
    expect(roundTrip('👍🏽 🇮🇳 新')).toBe('👍🏽 🇮🇳 新'); // 新 is not in the corpus: its bytes
    expect(roundTrip('a\uD800b')).toBe('a\uFFFDb'); // a lone surrogate is read as U+FFFD, as a file would be
    expect(() => decodeUnigram(uni, [uni.pieces.length])).toThrow(/not in this tokenizer's vocabulary/);
  });
});

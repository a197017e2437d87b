import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTf, type LoadedTf } from '@/nodes/finetune/backend';
import type { Gpt2Config } from '@/nodes/finetune/gpt2';
import { trainBpe } from '@/nodes/bpe/train-bpe';
import { bpeEncoderFor } from '@/nodes/shared/tokenizer-ref';
import { BYTE_LEVEL } from '@/nodes/shared/token-text';
import { SOTU_1862_EXCERPT } from '@/nodes/text/corpus-sample';
import { embeddingMap, project, watchedTokens } from '@/nodes/train-model/embedding-map';
import { splitCorpus } from '@/nodes/train-model/presets';
import { Trainer } from '@/nodes/train-model/train';

const distance = (a: readonly number[], b: readonly number[]) => Math.hypot(...a.map((v, i) => v - b[i]!));

describe('the embedding map', () => {
  it('keeps every distance of points that lie in a plane (PCA is then a rotation and a shift)', () => {
    const point = fc.tuple(fc.double({ min: -10, max: 10, noNaN: true }), fc.double({ min: -10, max: 10, noNaN: true }));
    fc.assert(
      fc.property(fc.array(point, { minLength: 3, maxLength: 12 }), fc.integer({ min: 2, max: 16 }), (points, width) => {
        // The plane is spanned by two orthogonal directions of a `width`-dimensional space.
        const u = Array.from({ length: width }, (_, i) => (i === 0 ? 1 : 0));
        const v = Array.from({ length: width }, (_, i) => (i === width - 1 ? 1 : 0));
        const rows = points.map(([x, y]) => u.map((ui, i) => ui * x + v[i]! * y + 0.5));
        const projected = project(rows);
        for (let i = 0; i < points.length; i++) {
          for (let j = i + 1; j < points.length; j++) {
            expect(distance(projected[i]!, projected[j]!)).toBeCloseTo(distance(points[i]!, points[j]!), 6);
          }
        }
      }),
    );
  });

  it('turns its axes to agree with the previous picture instead of mirroring it', () => {
    const rows = [
      [1, 0, 3, 1],
      [4, 2, 0, 0],
      [0, 5, 1, 2],
      [2, 2, 2, 7],
      [3, 1, 4, 1],
    ];
    const first = project(rows);
    const mirrored = first.map(([x, y]) => [-x, y] as [number, number]);
    const again = project(rows, mirrored);
    again.forEach((p, i) => {
      expect(p[0]).toBeCloseTo(-first[i]![0], 9);
      expect(p[1]).toBeCloseTo(first[i]![1], 9);
    });
    expect(project(rows, first)).toEqual(first);
  });

  it('watches the most frequent tokens, the lower ID first on a tie', () => {
    expect(watchedTokens(Int32Array.from([5, 3, 5, 1, 3, 9, 5, 1]), 10, 3)).toEqual([5, 1, 3]);
    expect(watchedTokens(Int32Array.from([2, 2, 7]), 10)).toEqual([2, 7]);
  });

  describe('while a model trains', () => {
    const config: Gpt2Config = { nLayer: 1, nHead: 2, nEmbd: 16, nPositions: 16, vocabSize: 300, layerNormEps: 1e-5 };
    let loaded: LoadedTf;
    let trainIds: Int32Array;
    let heldOutIds: Int32Array;
    beforeAll(async () => {
      loaded = await loadTf('wasm', 'server');
      const bpe = await trainBpe(SOTU_1862_EXCERPT, { vocabSize: config.vocabSize, specialTokens: ['<|endoftext|>'] });
      const ids = bpeEncoderFor(bpe).encodeTokens(SOTU_1862_EXCERPT).map((t) => t.id);
      ({ train: trainIds, heldOut: heldOutIds } = splitCorpus(ids, config.nPositions));
    }, 60_000);

    it('takes a picture at each evaluation, moves as the weights change, and continues the same picture after a stop', async () => {
      const trainer = new Trainer(loaded.tf, config, { trainIds, heldOutIds, promptIds: [1, 2] }, { batchSize: 4, learningRate: 1e-2, seed: 1, evalEvery: 4, sampleEvery: 100, sampleTokens: 2 });
      try {
        const watched = watchedTokens(trainIds, config.vocabSize);
        expect(watched).toHaveLength(12);
        const snapAtEvaluations = { onStep: async (t: Trainer) => (t.history.at(-1)!.heldOutLoss !== null ? embeddingMap(t, watched).snap(t) : undefined) };
        await trainer.trainTo(8, snapAtEvaluations);
        await trainer.trainTo(12, snapAtEvaluations); // a second run on the kept training
        const view = embeddingMap(trainer, watched).view((id) => `t${id}`, BYTE_LEVEL);
        expect(view.snapshots.map((s) => s.step)).toEqual([0, 4, 8, 12]);
        expect(view.tokens.map((t) => t.piece)).toEqual(watched.map((id) => `t${id}`));
        const first = view.snapshots[0]!.points;
        const last = view.snapshots.at(-1)!.points;
        expect(last).toHaveLength(12);
        expect(Math.max(...last.map((p, i) => distance(p, first[i]!)))).toBeGreaterThan(1e-3);
        // Another set of tokens is another map.
        expect(embeddingMap(trainer, watched.slice(0, 5)).view(String, BYTE_LEVEL).snapshots).toEqual([]);
      } finally {
        trainer.dispose();
      }
    }, 60_000);
  });
});

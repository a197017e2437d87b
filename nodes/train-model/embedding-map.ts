/**
 * The embedding map of Train model: a few tokens' embedding rows projected to 2-D by PCA at
 * every held-out evaluation, so a class watches tokens that start as a random cloud drift into
 * groups (digits near digits, vowels near vowels) while the loss falls.
 *
 *   const map = embeddingMap(trainer, tokens);     // one map per training, kept across Stop/Run
 *   await map.snap(trainer);                       // after an evaluation step
 *   map.view()                                     // { tokens, snapshots: [{ step, points }] }
 *
 * Each snapshot is a PCA of that step's rows (ml-pca), centred, not scaled. A PCA's axes have no
 * sign of their own, so each snapshot's axes are flipped to agree with the previous one's
 * (the sign that keeps the points closest to where they were): without that the picture would
 * mirror itself between steps for no reason the learner could see.
 *
 * Not handled here: drawing (components/kinds/train-model/embedding-map.tsx), which tokens to
 * watch beyond "the most frequent" (watchedTokens).
 */
import { PCA } from 'ml-pca';
import { EMBEDDING } from '../finetune/gpt2';
import type { TokenSpelling } from '../shared/token-text';
import type { Trainer } from './train';

export interface EmbeddingSnapshot {
  step: number;
  /** One [x, y] per watched token, in the order of `tokens`. */
  points: [number, number][];
}

export interface EmbeddingMapView {
  /** The watched tokens, each as its vocabulary stores it (the view draws it as text). */
  tokens: { id: number; piece: string }[];
  spelling: TokenSpelling;
  snapshots: EmbeddingSnapshot[];
}

/** How many tokens the map watches, and how many snapshots it keeps (evenly thinned, the last always). */
export const WATCHED = 12;
const SNAPSHOTS_KEPT = 60;

/** The `count` most frequent ids of the training stream (ties: the lower id first). */
export function watchedTokens(trainIds: Int32Array, vocabSize: number, count = WATCHED): number[] {
  const counts = new Uint32Array(vocabSize);
  for (const id of trainIds) if (id >= 0 && id < vocabSize) counts[id]!++;
  return Array.from(counts.keys())
    .filter((id) => counts[id]! > 0)
    .sort((a, b) => counts[b]! - counts[a]! || a - b)
    .slice(0, count);
}

/** Rows → 2-D, with each axis's sign chosen to agree with `previous` (same tokens, same order). */
export function project(rows: number[][], previous?: readonly [number, number][]): [number, number][] {
  if (rows.length < 3) return rows.map(() => [0, 0]);
  const pca = new PCA(rows, { center: true, scale: false });
  const components = Math.min(2, pca.getEigenvalues().length);
  const coords = pca.predict(rows, { nComponents: components }).to2DArray();
  const points = coords.map((c) => [c[0] ?? 0, c[1] ?? 0] as [number, number]);
  if (previous && previous.length === points.length) {
    for (const axis of [0, 1] as const) {
      let agreement = 0;
      points.forEach((p, i) => (agreement += p[axis] * previous[i]![axis]));
      if (agreement < 0) for (const p of points) p[axis] = -p[axis];
    }
  }
  return points;
}

export interface EmbeddingMap {
  readonly ids: readonly number[];
  snap(trainer: Trainer): Promise<void>;
  view(piece: (id: number) => string, spelling: TokenSpelling): EmbeddingMapView;
}

/** The map kept with each training, so that a resumed run continues the same picture. */
const maps = new WeakMap<Trainer, EmbeddingMap>();

export function embeddingMap(trainer: Trainer, ids: readonly number[]): EmbeddingMap {
  const kept = maps.get(trainer);
  if (kept && kept.ids.length === ids.length && kept.ids.every((id, i) => id === ids[i])) return kept;
  const snapshots: EmbeddingSnapshot[] = [];
  const map: EmbeddingMap = {
    ids,
    async snap(t) {
      if (ids.length === 0 || snapshots.at(-1)?.step === t.step) return;
      const tf = t.tf;
      const rows = tf.tidy(() => tf.gather(t.model.w(EMBEDDING), tf.tensor1d(Array.from(ids), 'int32')));
      const flat = (await rows.data()) as Float32Array;
      const width = rows.shape[1]!;
      rows.dispose();
      const vectors = ids.map((_, i) => Array.from(flat.subarray(i * width, (i + 1) * width)));
      snapshots.push({ step: t.step, points: project(vectors, snapshots.at(-1)?.points) });
    },
    view(piece, spelling) {
      const every = Math.ceil(snapshots.length / SNAPSHOTS_KEPT);
      const shown = snapshots.filter((_, i) => i % every === 0 || i === snapshots.length - 1);
      return { tokens: ids.map((id) => ({ id, piece: piece(id) })), spelling, snapshots: shown.map((s) => ({ step: s.step, points: s.points.map((p) => [p[0], p[1]]) })) };
    },
  };
  maps.set(trainer, map);
  return map;
}

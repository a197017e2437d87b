import { describe, expect, it } from 'vitest';
import { describeProgress, type TrainingProgressData } from '@/nodes/bpe/training-progress';

const counting: TrainingProgressData = { phase: 'counting', read: 4_600_000, total: 5_000_000, unit: 'bytes', words: 841_980, uniqueWords: 0, merges: 0, targetMerges: 0, secondsLeft: 12 };

describe('describeProgress', () => {
  it('says bytes read of the total, words counted and the time left while counting', () => {
    expect(describeProgress(counting)).toBe('4.6 MB of 5.0 MB read · 841,980 words counted · about 12 s left, then merging');
  });

  it('says "under a second left", not "about under a second"', () => {
    expect(describeProgress({ ...counting, secondsLeft: 0.4 })).toBe('4.6 MB of 5.0 MB read · 841,980 words counted · under a second left, then merging');
    expect(describeProgress({ ...counting, phase: 'merging', uniqueWords: 18_544, merges: 19_000, targetMerges: 19_743, secondsLeft: 0.2 })).toBe(
      '841,980 words (18,544 different) · 19,000 of 19,743 merges · under a second left',
    );
  });

  it('keeps a line once the merges are made, while the node still prepares its results', () => {
    expect(describeProgress({ ...counting, phase: 'done', uniqueWords: 18_544, merges: 19_743, targetMerges: 19_743, secondsLeft: 0 })).toBe(
      '841,980 words (18,544 different) · 19,743 merges made · preparing the results',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { loadGraphDoc } from '@/nodes/engine/graph-doc';
import { answerLabel, MAX_ANSWER_CHARS, normalizeAnswer, YES_NO_OPTIONS, type Prediction } from '@/nodes/engine/lesson-prediction';
import { measureAnswer } from '@/nodes/live/prediction';
import { TEMPLATES } from '@/nodes/templates';
import { histogramOf } from '@/server/live/live-state';

const count: Prediction = { prompt: 'How many tokens?', measure: 'token-count', options: [] };
const next: Prediction = { prompt: 'Which token comes next?', measure: 'top-token', options: [] };
const same: Prediction = { prompt: 'Same IDs?', measure: 'same-ids', options: [{ label: 'Yes, the same', value: 'yes' }, { label: 'No', value: 'no' }] };

describe('prediction answers', () => {
  it('normalises numbers, tokens and choices the same way for students and the graph', () => {
    expect(normalizeAnswer(count, ' 1,024 ')).toEqual({ ok: true, value: '1024' });
    expect(normalizeAnswer(count, 4)).toEqual({ ok: true, value: '4' });
    expect(normalizeAnswer(count, 'four').ok).toBe(false);
    expect(normalizeAnswer(count, '1e400').ok).toBe(false);
    expect(normalizeAnswer(count, '').ok).toBe(false);
    expect(normalizeAnswer(next, 'Ġyou')).toEqual({ ok: true, value: 'you' });
    expect(normalizeAnswer(next, ' You ')).toEqual({ ok: true, value: 'you' });
    expect(normalizeAnswer(next, '▁the')).toEqual({ ok: true, value: 'the' });
    expect(normalizeAnswer(next, '   ').ok).toBe(false);
    expect(normalizeAnswer(same, 'no')).toEqual({ ok: true, value: 'no' });
    expect(normalizeAnswer(same, 'No').ok).toBe(false);
    expect(normalizeAnswer(next, 'x'.repeat(101)).ok).toBe(false);
  });

  it('tells a student in a sentence why an answer was not taken', () => {
    expect(normalizeAnswer(count, 'four')).toEqual({ ok: false, message: 'This question needs a number as the answer, such as 12.' });
    expect(normalizeAnswer(next, 'Ġ ▁')).toEqual({ ok: false, message: 'Type the token you expect, such as “the”.' });
    expect(normalizeAnswer(same, 'maybe')).toEqual({ ok: false, message: 'Pick one of the choices shown.' });
    expect(normalizeAnswer(next, 'x'.repeat(MAX_ANSWER_CHARS + 1))).toEqual({ ok: false, message: 'An answer is at most 100 characters.' });
  });

  it('takes answers up to the bounds and no further: 100 characters, a number up to a trillion', () => {
    expect(normalizeAnswer(count, `7${' '.repeat(MAX_ANSWER_CHARS - 1)}`)).toEqual({ ok: true, value: '7' });
    expect(normalizeAnswer(count, '1000000000000')).toEqual({ ok: true, value: '1000000000000' });
    expect(normalizeAnswer(count, '-1_000_000_000_000')).toEqual({ ok: true, value: '-1000000000000' });
    expect(normalizeAnswer(count, '1000000000001').ok).toBe(false);
    // A long token is kept to its first 50 characters, so one answer cannot fill the histogram's labels.
    expect(normalizeAnswer(next, 'a'.repeat(60))).toEqual({ ok: true, value: 'a'.repeat(50) });
  });

  it('strips every leading space marker of a token but keeps the spaces inside it', () => {
    expect(normalizeAnswer(next, ' ĠĠ▁You')).toEqual({ ok: true, value: 'you' });
    expect(normalizeAnswer(next, 'New York')).toEqual({ ok: true, value: 'new york' });
    expect(normalizeAnswer(next, 'e\u0301')).toEqual({ ok: true, value: 'é' }); // NFC: one character
  });

  it('shows a choice by its label and any other answer as itself', () => {
    expect(answerLabel(same, 'yes')).toBe('Yes, the same');
    expect(answerLabel(same, 'perhaps')).toBe('perhaps');
    // Options belong to choice questions only: a token question that carries some still shows the token.
    expect(answerLabel({ ...next, options: [{ label: 'The word the', value: 'the' }] }, 'the')).toBe('the');
    expect(answerLabel(count, '12')).toBe('12');
  });

  it('starts a new choice question with Yes and No, the two values a yes/no measure yields', () => {
    expect(YES_NO_OPTIONS).toEqual([
      { label: 'Yes', value: 'yes' },
      { label: 'No', value: 'no' },
    ]);
  });

  it('reads the true answer from the step node’s view, and says when it cannot', () => {
    expect(measureAnswer(count, 'pretrained', { count: 4 })).toEqual({ ok: true, value: '4' });
    expect(measureAnswer(count, 'bpe', { tokenCount: 11 })).toEqual({ ok: true, value: '11' });
    expect(measureAnswer(count, 'ids', { length: 6 })).toEqual({ ok: true, value: '6' });
    expect(measureAnswer(next, 'transformer', { topK: [{ position: 1, candidates: [{ token: 'Ġthe', id: 262, prob: 0.2 }] }] })).toEqual({ ok: true, value: 'the' });
    expect(measureAnswer(same, 'compare', { kinds: [{ ids: [40, 1842] }, { ids: [1045, 2293] }] })).toEqual({ ok: true, value: 'no' });
    expect(measureAnswer(same, 'compare', { kinds: [{ ids: [1] }, { ids: [1] }] })).toEqual({ ok: true, value: 'yes' });
    expect(measureAnswer({ ...same, measure: 'id-is-frequency' }, 'bpe', { training: {}, inversion: { earlier: {}, later: {} } })).toEqual({ ok: true, value: 'no' });
    expect(measureAnswer({ ...same, measure: 'id-is-frequency' }, 'bpe', { training: null, inversion: null }).ok).toBe(false);
    expect(measureAnswer(count, 'pretrained', undefined)).toEqual({ ok: false, message: 'The answer is not ready: the step’s node has not finished running.' });
    expect(measureAnswer(count, 'text', { utf8Bytes: 3 }).ok).toBe(false);
  });

  it('counts answers into a histogram without names, marking the true bin after the reveal', () => {
    expect(histogramOf(same, [{ value: 'no', count: 3 }], undefined)).toEqual({
      total: 3,
      bins: [
        { value: 'yes', label: 'Yes, the same', count: 0, correct: null },
        { value: 'no', label: 'No', count: 3, correct: null },
      ],
    });
    const numbers = histogramOf(count, [{ value: '10', count: 1 }, { value: '4', count: 2 }], '4');
    expect(numbers.bins.map((b) => [b.value, b.count, b.correct])).toEqual([['4', 2, true], ['10', 1, false]]);
    const many = Array.from({ length: 20 }, (_, i) => ({ value: `t${i}`, count: 20 - i }));
    const tokens = histogramOf(next, many, undefined);
    expect(tokens.bins).toHaveLength(13);
    expect(tokens.bins.at(-1)).toMatchObject({ label: 'other answers', count: 8 * 9 / 2 });
    expect(tokens.total).toBe(210);
  });

  it('gives every template’s lesson at least one prediction question that its step’s node can answer', () => {
    for (const template of TEMPLATES) {
      const loaded = loadGraphDoc(template.doc);
      expect(loaded.ok, template.id).toBe(true);
      const steps = template.doc.lesson?.steps ?? [];
      const asked = steps.filter((s) => s.prediction);
      expect(asked.length, template.id).toBeGreaterThan(0);
      for (const step of asked) {
        const type = template.doc.nodes.find((n) => n.id === step.nodeId)?.type;
        // Not ready (no view yet) rather than "this node does not give it": the measure fits the node.
        expect(measureAnswer(step.prediction!, type, undefined), `${template.id}: ${step.question}`).toEqual({ ok: false, message: expect.stringContaining('not ready') });
      }
    }
  });
});

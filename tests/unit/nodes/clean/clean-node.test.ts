/**
 * The Clean node as a learner meets it: what a freshly dropped node does with its default
 * settings, and what its inspector shows (the steps, the before/after changes, lone surrogates
 * before and after, the cleaned text as graphemes).
 */
import { describe, expect, it } from 'vitest';
import { createRecipeCache } from '@/nodes/engine/cache';
import { execute } from '@/nodes/engine/executor';
import { nodeKinds, registry, type ViewOf } from '@/nodes';
import { graph, nodeResources } from '../../engine/fixtures';
import { userRegexRefusal } from '@/nodes/shared/user-regex';

type CleanOutcome = { status: string; outputs: { text: string }; view: ViewOf<'clean'> };

async function clean(text: string, params: Record<string, unknown> = {}): Promise<CleanOutcome> {
  const doc = graph(
    [
      ['t', 'text', { text }],
      ['c', 'clean', params],
    ],
    [['t', 'c']],
  );
  const report = await execute(doc, { registry, cache: createRecipeCache(), where: 'server', resources: nodeResources });
  return report.outcomes.get('c') as unknown as CleanOutcome;
}

describe('a new Clean node', () => {
  it('composes to NFC, strips invisible characters and repairs lone surrogates, and changes nothing else', async () => {
    const outcome = await clean('Cafe\u0301\u200b  ÉCOLE\t\uD800 é');
    expect(outcome.outputs.text).toBe('Caf\u00e9  ÉCOLE\t\uFFFD é');
    expect(outcome.view.steps.map((s) => s.name)).toEqual(['Replace invalid Unicode with U+FFFD', 'Strip control characters', 'Normalise to NFC']);
  });

  it('starts with every setting at its documented default', () => {
    expect(nodeKinds.clean.params.parse({})).toEqual({
      form: 'NFC',
      lowercase: false,
      stripAccents: false,
      stripControl: true,
      collapseWhitespace: false,
      replaceInvalid: true,
      replacePattern: '',
      replaceWith: '',
    });
  });
});

describe('the Clean inspector', () => {
  it('lists the steps, the changes with their code points, and the cleaned text as graphemes', async () => {
    const outcome = await clean('Noe\u0308l', { lowercase: true });
    const { view } = outcome;
    expect(outcome.outputs.text).toBe('no\u00ebl');
    expect(view.steps).toEqual([
      { name: 'Strip control characters', changed: false, codePoints: 5 },
      { name: 'Normalise to NFC', changed: true, codePoints: 4 },
      { name: 'Lowercase', changed: true, codePoints: 4 },
    ]);
    expect(view.changes).toEqual([
      { before: 'N', after: 'n', beforeCodePoints: ['U+004E'], afterCodePoints: ['U+006E'] },
      { before: 'e\u0308', after: '\u00eb', beforeCodePoints: ['U+0065', 'U+0308'], afterCodePoints: ['U+00EB'] },
    ]);
    expect(view.truncated).toBe(false);
    expect(view.graphemes.map((g) => g.grapheme)).toEqual(['n', 'o', '\u00eb', 'l']);
    expect(view).toMatchObject({ loneSurrogates: [], outputLoneSurrogates: 0 });
  });

  it('shows where the lone surrogates were, and that none is left after the repair', async () => {
    const repaired = await clean('a\uD800b\uDC00');
    expect(repaired.view).toMatchObject({ loneSurrogates: [1, 3], outputLoneSurrogates: 0 });
    const kept = await clean('a\uD800b\uDC00', { replaceInvalid: false });
    expect(kept.view).toMatchObject({ loneSurrogates: [1, 3], outputLoneSurrogates: 2 });
  });
});

describe('the Clean node’s replace settings', () => {
  const params = nodeKinds.clean.params;

  it('accepts an ordinary pattern and replacement, and refuses either past 500 characters', () => {
    expect(params.safeParse({ replacePattern: '\\d+', replaceWith: '#' }).success).toBe(true);
    expect(params.safeParse({ replacePattern: 'a'.repeat(500), replaceWith: 'b'.repeat(500) }).success).toBe(true);
    expect(params.safeParse({ replacePattern: 'a'.repeat(501) }).success).toBe(false);
    expect(params.safeParse({ replaceWith: 'b'.repeat(501) }).success).toBe(false);
  });

  it('refuses a pattern RE2 cannot run (a backreference) with the sentence the regex check gives', () => {
    const result = params.safeParse({ replacePattern: '(a)\\1' });
    expect(result.success).toBe(false);
    const message = result.error?.issues[0]?.message;
    expect(message).toBe(userRegexRefusal('(a)\\1'));
    expect(message).toMatch(/^[A-Z].*\.$/);
  });
});

describe('the Clean inspector without a run’s details', () => {
  it('shows no steps and no lone surrogates rather than made-up ones', () => {
    const view = nodeKinds.clean.view({
      inputs: { text: 'ab' },
      outputs: { text: 'ab' },
      params: nodeKinds.clean.params.parse({}),
      details: undefined,
    });
    expect(view).toMatchObject({ steps: [], loneSurrogates: [], outputLoneSurrogates: 0, changes: [] });
  });
});

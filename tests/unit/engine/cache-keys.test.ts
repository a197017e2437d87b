/**
 * What the recipe key must contain, seen from the user's side: a result is reused only when
 * the same recipe would compute it again. Each test here names what a user would have seen if
 * a part of the key were dropped (a stale result after an upgrade, the wrong tokenizer in
 * Compare), and the cache's memory bound.
 */
import { describe, expect, it } from 'vitest';
import { createRecipeCache, estimateBytes, recipeKey, type CachedResult } from '@/nodes/engine/cache';
import { execute, type RunEvent } from '@/nodes/engine/executor';
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import type { Registry } from '@/nodes/engine/validate';
import { cleanNode } from '@/nodes/clean';
import { defineNode } from '@/nodes/engine/define-node';
import { graph, nodeResources, testRegistry } from './fixtures';

async function runRecording(doc: GraphDoc, cache: ReturnType<typeof createRecipeCache>, registry: Registry = testRegistry) {
  const events: RunEvent[] = [];
  const report = await execute(doc, { registry, cache, where: 'server', resources: nodeResources, onEvent: (e) => events.push(e) });
  const ids = (type: RunEvent['type']) => events.flatMap((e) => (e.type === type && 'nodeId' in e ? [e.nodeId] : []));
  return { report, ran: ids('node:done'), cached: ids('node:cached') };
}

const lowercasePipeline = () =>
  graph(
    [
      ['t', 'text', { text: 'ÉCOLE' }],
      ['c', 'clean', { lowercase: true }],
      ['p', 'pretokenize', { mode: 'whitespace' }],
    ],
    [
      ['t', 'c'],
      ['c', 'p'],
    ],
  );

describe('the recipe key', () => {
  it('serves a fresh result after a node kind’s version is bumped', async () => {
    const cache = createRecipeCache();
    await runRecording(lowercasePipeline(), cache);
    // A new release of Clean whose algorithm changed: same type, same params, version + 1.
    const upgraded: Registry = {
      ...testRegistry,
      clean: defineNode({
        ...cleanNode,
        version: cleanNode.version + 1,
        run: async (inputs, params, ctx) => {
          const result = await cleanNode.run(inputs, params, ctx);
          return { ...result, text: `${result.text}!` };
        },
      }),
    };
    const after = await runRecording(lowercasePipeline(), cache, upgraded);
    expect(after.cached).toEqual(['t']);
    expect(after.ran).toEqual(['c', 'p']);
    const clean = after.report.outcomes.get('c') as unknown as { outputs: { text: string } };
    expect(clean.outputs.text).toBe('école!');
  });

  it('gives different keys to the same recipe at two versions, and equal keys to equal recipes', () => {
    const recipe = { type: 'clean', version: 1, params: { lowercase: true }, inputs: { text: 'abc#text' } };
    expect(recipeKey(recipe)).toBe(recipeKey({ ...recipe, params: { lowercase: true } }));
    expect(recipeKey({ ...recipe, version: 2 })).not.toBe(recipeKey(recipe));
  });

  it('shows the newly chosen tokenizer in Compare after the pretrained model is switched from GPT-2 to TinyLlama', async () => {
    // Compare reads only the Tokenizer node's `tokenizer` output, whose key depends on the
    // model param alone; that key must still change when the model does.
    const doc = (model: string): GraphDoc =>
      graph(
        [
          ['t', 'text', { text: 'I love NLP' }],
          ['tok', 'pretrained', { model }],
          ['cmp', 'compare', { gpt2: false, bert: true, tinyllama: false }],
        ],
        [
          ['t', 'tok', 'text', 'text'],
          ['t', 'cmp', 'text', 'text'],
          ['tok', 'cmp', 'tokenizer', 'a'],
        ],
      );
    const cache = createRecipeCache();
    const first = await runRecording(doc('gpt2'), cache);
    const labels = (run: typeof first) => (run.report.outcomes.get('cmp') as { view: { kinds: { label: string; ids: number[] }[] } }).view.kinds;
    expect(labels(first).map((k) => k.label)).toEqual(['GPT-2', 'BERT']);

    const switched = await runRecording(doc('tinyllama'), cache);
    expect(switched.ran).toEqual(['tok', 'cmp']);
    expect(labels(switched).map((k) => k.label)).toEqual(['TinyLlama', 'BERT']);
    expect(labels(switched)[0]?.ids).toEqual([1, 306, 5360, 405, 13208]);
  });
});

/** A cached result whose outputs hold one string of `chars` characters (about 2 bytes each). */
function resultOf(chars: number): CachedResult {
  return { outputs: { text: 'x'.repeat(chars) }, view: null, ms: 1 };
}

describe('the recipe cache’s memory bound', () => {
  it('forgets the least recently used results once the bytes held would exceed maxBytes', () => {
    const entry = resultOf(40_000);
    const bytes = estimateBytes(entry.outputs) + estimateBytes(entry.view) + estimateBytes(undefined);
    expect(bytes).toBeGreaterThan(80_000);
    // Room for two such results, not three.
    const cache = createRecipeCache({ maxBytes: Math.floor(bytes * 2.5) });
    cache.set('first', entry);
    cache.set('second', resultOf(40_000));
    expect(cache.get('first')).toBeDefined(); // now the most recently used
    cache.set('third', resultOf(40_000));
    expect(cache.size).toBe(2);
    expect(cache.get('second')).toBeUndefined();
    expect(cache.get('first')).toBeDefined();
    expect(cache.get('third')).toBeDefined();
  });

  it('keeps many small results that fit together under the bound', () => {
    const cache = createRecipeCache({ maxBytes: 1_000_000 });
    for (let i = 0; i < 100; i++) cache.set(`small-${i}`, resultOf(100));
    expect(cache.size).toBe(100);
  });

  it('holds no result larger than the whole bound', () => {
    const cache = createRecipeCache({ maxBytes: 10_000 });
    cache.set('huge', resultOf(1_000_000));
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});

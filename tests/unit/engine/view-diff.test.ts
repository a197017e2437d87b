import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyViewPatch, createViewReceiver, createViewSender, diffView, equalValue, type ViewPatch } from '@/nodes/engine/view-diff';
import type { RunEvent } from '@/nodes/engine/executor';
import { pretokenize } from '@/nodes/pretokenize/pretokenize';
import { createRunHost, type HostMessage } from '@/nodes/engine/worker-host';
import { createRecipeCache } from '@/nodes/engine/cache';
import { execute } from '@/nodes/engine/executor';
import { nodeResources, testRegistry, textChain } from './fixtures';

/** Pieces as the Pretokenize view carries them. */
const piecesOf = (text: string) => pretokenize(text, 'bytelevel').map(({ text: t, start, end, shown }) => ({ text: t, start, end, shown }));

const size = (patch: ViewPatch) => JSON.stringify(patch).length;

describe('equal views', () => {
  it('compares JSON-like values by content, and anything else by identity', () => {
    expect(equalValue([1, [2, { a: 'x' }]], [1, [2, { a: 'x' }]])).toBe(true);
    expect(equalValue([1, 2], [1, 3])).toBe(false);
    expect(equalValue([1], [1, 2])).toBe(false);
    expect(equalValue([1], { 0: 1 })).toBe(false);
    expect(equalValue({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(equalValue({ a: 1, b: 2 }, { a: 1 })).toBe(false);
    expect(equalValue({ a: undefined }, { b: undefined })).toBe(false);
    expect(equalValue(Object.assign(Object.create(null) as object, { a: 1 }), { a: 1 })).toBe(true);
    // A score that is not a number equals itself, and nothing else.
    expect(equalValue(NaN, NaN)).toBe(true);
    expect(equalValue(NaN, 0)).toBe(false);
    expect(equalValue(0, NaN)).toBe(false);
    expect(equalValue(null, {})).toBe(false);
    expect(equalValue({}, null)).toBe(false);
    expect(equalValue(1, '1')).toBe(false);
    const map = new Map([[1, 2]]);
    expect(equalValue(map, map)).toBe(true);
    expect(equalValue(map, new Map([[1, 2]]))).toBe(false);
    expect(equalValue(new Map([[1, 2]]), new Map())).toBe(false);
  });
});

describe('the patch a change makes', () => {
  it('keeps nothing of an array that shares neither head nor tail, and sends it whole', () => {
    expect(diffView([1, 2, 3], [4, 5, 6])).toEqual({ op: 'set', value: [4, 5, 6] });
  });

  it('keeps the head and the tail of an array of plain values, sending only the middle', () => {
    expect(diffView([1, 2, 3], [1, 9, 3])).toEqual({ op: 'splice', at: 1, insert: [9], keep: { from: 2, count: 1, by: 0 } });
    expect(diffView([1, 2, 3], [9, 2, 3])).toEqual({ op: 'splice', at: 0, insert: [9], keep: { from: 1, count: 2, by: 0 } });
    // A shared head alone is kept too.
    expect(diffView([1, 2, 3], [1, 9])).toEqual({ op: 'splice', at: 1, insert: [9], keep: { from: 3, count: 0, by: 0 } });
  });

  it('stops a moved tail at an empty entry on either side instead of failing', () => {
    const span = (start: number) => ({ start, end: start + 1, t: 'w' });
    const prev = [null, span(5)];
    const next = [span(0), span(6)];
    expect(diffView(prev, next)).toEqual({ op: 'splice', at: 0, insert: [span(0)], keep: { from: 1, count: 1, by: 1 } });
    const prevSpans = [span(0), span(5)];
    const nextNull = [null, span(6)];
    expect(diffView(prevSpans, nextNull)).toEqual({ op: 'splice', at: 0, insert: [null], keep: { from: 1, count: 1, by: 1 } });
  });

  it('keeps the tail of objects whose start or end is not a number as it is, not moved', () => {
    for (const [start, end] of [
      ['c', 4],
      [3, 'd'],
    ]) {
      const prev = [{ start: 0, end: 1, v: 1 }, { start, end, v: 2 }];
      const next = [{ start: 0, end: 1, v: 9 }, prev[1]];
      expect(diffView(prev, next)).toEqual({ op: 'splice', at: 0, insert: [next[0]], keep: { from: 1, count: 1, by: 0 } });
    }
  });

  it('rebuilds a moved span that gained a field from the new one, not from the old', () => {
    const prev = [
      { start: 0, end: 1, s: 'a' },
      { start: 5, end: 6, s: 'b' },
    ];
    const next = [
      { start: 0, end: 2, s: 'A' },
      { start: 6, end: 7, s: 'b', extra: 1 },
    ];
    expect(applyViewPatch(prev, diffView(prev, next))).toEqual(next);
    const lost = [
      { start: 0, end: 2, s: 'A' },
      { start: 6, end: 7 },
    ];
    expect(applyViewPatch(prev, diffView(prev, lost))).toEqual(lost);
  });

  it('removes the last of a run of equal elements, or characters, without keeping one too many', () => {
    expect(applyViewPatch([1, 1, 1], diffView([1, 1, 1], [1, 1]))).toEqual([1, 1]);
    const long = 'a'.repeat(301);
    expect(applyViewPatch(long, diffView(long, 'a'.repeat(300)))).toBe('a'.repeat(300));
    expect(applyViewPatch('a'.repeat(300), diffView('a'.repeat(300), long))).toBe(long);
  });

  it('adds elements that are undefined at the end of an array', () => {
    const applied = applyViewPatch([1], diffView([1], [1, undefined])) as unknown[];
    expect(applied).toHaveLength(2);
  });

  it('finds the kept tail of a capped list up to four elements before its old end, and no further', () => {
    const list = Array.from({ length: 20 }, (_, i) => ({ start: i * 2, end: i * 2 + 1, t: `w${i}` }));
    // Four pieces added at the front of a list capped at 20: its last four are pushed out.
    const added = Array.from({ length: 4 }, (_, i) => ({ start: i * 2, end: i * 2 + 1, t: `new${i}` }));
    const next = [...added, ...list.map((p) => ({ ...p, start: p.start + 8, end: p.end + 8 }))].slice(0, 20);
    expect(diffView(list, next)).toEqual({ op: 'splice', at: 0, insert: added, keep: { from: 0, count: 16, by: 8 } });
    // Five pushed out is past the slack: no tail is looked for there.
    const digits = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    expect(diffView(digits, ['x', 0, 1, 2, 3, 4])).toEqual({ op: 'set', value: ['x', 0, 1, 2, 3, 4] });
  });

  it('keeps the tail nearest the old end when two candidate tails are as long', () => {
    expect(diffView([1, 1, 1, 1, 1, 1], [2, 1, 1])).toEqual({ op: 'splice', at: 0, insert: [2], keep: { from: 4, count: 2, by: 0 } });
  });

  it('sends a changed short string whole, and a string of 256 characters or more as the changed span', () => {
    expect(diffView('a'.repeat(255), 'b'.repeat(255))).toEqual({ op: 'set', value: 'b'.repeat(255) });
    expect(diffView('a'.repeat(256), `${'a'.repeat(255)}b`)).toEqual({ op: 'text', at: 255, remove: 1, insert: 'b' });
    expect(diffView('a'.repeat(255), 'a'.repeat(256))).toEqual({ op: 'set', value: 'a'.repeat(256) });
    expect(diffView('a'.repeat(256), 'a'.repeat(255))).toEqual({ op: 'set', value: 'a'.repeat(255) });
    // An equal long string is the page's own.
    expect(diffView('z'.repeat(300), 'z'.repeat(300))).toEqual({ op: 'same' });
  });

  it('drops the fields a view lost, sends the fields it gained, and says same for what did not change', () => {
    expect(diffView({ a: 1, b: 2 }, { a: 1 })).toEqual({ op: 'fields', set: {}, drop: ['b'] });
    expect(applyViewPatch({ a: 1, b: 2 }, { op: 'fields', set: {}, drop: ['b'] })).toEqual({ a: 1 });
    expect(diffView({}, { k: undefined })).toEqual({ op: 'fields', set: { k: { op: 'set', value: undefined } } });
    expect(diffView({ x: NaN }, { x: NaN })).toEqual({ op: 'same' });
    expect(diffView(NaN, NaN)).toEqual({ op: 'same' });
  });

  it('sends a view whole when the page held nothing, or a value that is not a plain object', () => {
    expect(diffView(undefined, { a: 1 })).toEqual({ op: 'set', value: { a: 1 } });
    expect(diffView(null, { a: 1 })).toEqual({ op: 'set', value: { a: 1 } });
    expect(diffView([1, null], [2, null])).toEqual({ op: 'splice', at: 0, insert: [2], keep: { from: 1, count: 1, by: 0 } });
    const counts = new Map([['a', 1]]);
    const changed = new Map([['a', 2]]);
    expect(diffView(counts, changed)).toEqual({ op: 'set', value: changed });
    expect(diffView({ when: new Date(0) }, { when: new Date(1) })).toEqual({ op: 'fields', set: { when: { op: 'set', value: new Date(1) } } });
  });
});

describe('view patches', () => {
  it('sends only the changed field of an object and keeps the others as the same objects', () => {
    const rows = [{ rank: 0, merged: 'Ġt' }];
    const prev = { count: 3, rows };
    const next = { count: 4, rows: [{ rank: 0, merged: 'Ġt' }] };
    const patch = diffView(prev, next);
    expect(patch).toEqual({ op: 'fields', set: { count: { op: 'set', value: 4 } } });
    const applied = applyViewPatch(prev, patch) as typeof next;
    expect(applied).toEqual(next);
    expect(applied.rows).toBe(rows);
  });

  it('says same for an equal view, and the page keeps its object', () => {
    const prev = { a: [1, 2, { b: 'x' }], c: null };
    expect(diffView(prev, structuredClone(prev))).toEqual({ op: 'same' });
  });

  it('moves the pieces after an edit by its length instead of sending them again', () => {
    const text = 'Tokenizers cut text into pieces and map each piece to an ID. '.repeat(40);
    const edited = text.slice(0, 700) + 'x' + text.slice(700);
    const prev = piecesOf(text);
    const next = piecesOf(edited);
    const patch = diffView(prev, next);
    expect(patch.op).toBe('splice');
    if (patch.op !== 'splice') return;
    expect(patch.insert).toHaveLength(1);
    expect(patch.keep.by).toBe(1);
    expect(patch.keep.count).toBeGreaterThan(300);
    const applied = applyViewPatch(prev, patch) as typeof next;
    expect(applied).toEqual(next);
    // The pieces before the edit are the page's own objects.
    expect(applied[0]).toBe(prev[0]);
    expect(size(patch)).toBeLessThan(JSON.stringify(next).length / 50);
  });

  it('keeps the tail of a list capped at its first N pieces when an edit adds a piece', () => {
    const text = 'one two three four five six seven eight nine ten '.repeat(30);
    const cap = (t: string) => piecesOf(t).slice(0, 200);
    const prev = cap(text);
    const next = cap(text.slice(0, 100) + ' ' + text.slice(100));
    const patch = diffView(prev, next);
    expect(patch.op).toBe('splice');
    if (patch.op === 'splice') expect(patch.insert.length).toBeLessThan(4);
    expect(applyViewPatch(prev, patch)).toEqual(next);
  });

  it('sends a long string as the changed span', () => {
    const prev = 'a'.repeat(500) + 'b'.repeat(500);
    const next = 'a'.repeat(500) + 'XY' + 'b'.repeat(499);
    const patch = diffView(prev, next);
    expect(patch).toEqual({ op: 'text', at: 500, remove: 1, insert: 'XY' });
    expect(applyViewPatch(prev, patch)).toBe(next);
  });

  it('rebuilds any JSON-like view from any other (property)', () => {
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.string({ maxLength: 300, unit: 'binary' }),
        fc.integer({ min: -5, max: 5 }),
        fc.boolean(),
        fc.constant(null),
        fc.record({ start: fc.integer({ min: 0, max: 9 }), end: fc.integer({ min: 0, max: 9 }), s: fc.constantFrom('a', 'b') }),
        fc.array(tie('value'), { maxLength: 8 }),
        fc.dictionary(fc.constantFrom('a', 'b', 'c', 'start', 'end'), tie('value'), { maxKeys: 4 }),
      ),
    })).value;
    fc.assert(
      fc.property(json, json, (prev, next) => {
        const patch = diffView(prev, next);
        // The patch crosses a structured clone: it must survive one.
        const applied = applyViewPatch(structuredClone(prev), structuredClone(patch));
        expect(equalValue(applied, next)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('rebuilds pieces after random edits, spans moved or not (property)', () => {
    const words = fc.array(fc.constantFrom('word', ' ', 'Ġ', 'ଓଡ଼ିଆ', '🙂', '\r\n', '.', 'x'), { maxLength: 60 }).map((a) => a.join(''));
    fc.assert(
      fc.property(words, fc.nat(), fc.nat(), words, fc.integer({ min: 1, max: 80 }), (text, at, del, insert, cap) => {
        const i = at % (text.length + 1);
        const edited = text.slice(0, i) + insert + text.slice(i + (del % 4));
        const prev = piecesOf(text).slice(0, cap);
        const next = piecesOf(edited).slice(0, cap);
        expect(applyViewPatch(prev, diffView(prev, next))).toEqual(next);
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps the worker and the page in step across runs, stale ones and removed nodes included', () => {
    const sender = createViewSender();
    const receiver = createViewReceiver();
    const cross = (e: RunEvent) => receiver.decode(structuredClone(sender.encode(e)));
    const done = (nodeId: string, view: unknown): RunEvent => ({ type: 'node:done', nodeId, key: `k-${JSON.stringify(view)}`, ms: 1, view });
    cross({ type: 'run:start', order: ['a', 'b'], issues: [] });
    const first = cross(done('a', { pieces: [1, 2, 3], n: 1 }));
    cross(done('b', { x: 'b' }));
    const second = cross(done('a', { pieces: [1, 2, 4], n: 1 }));
    expect(second).toMatchObject({ view: { pieces: [1, 2, 4], n: 1 } });
    // b is gone from the graph; when it comes back its view travels whole.
    cross({ type: 'run:start', order: ['a'], issues: [] });
    cross({ type: 'run:start', order: ['a', 'b'], issues: [] });
    const wire = sender.encode(done('b', { x: 'again' }));
    expect(wire).toMatchObject({ patch: { op: 'set', value: { x: 'again' } } });
    expect(receiver.decode(structuredClone(wire))).toMatchObject({ view: { x: 'again' } });
    expect((first as { view: unknown }).view).toEqual({ pieces: [1, 2, 3], n: 1 });
  });

  it('gives the page, through the worker host, the very views the executor made, keystroke after keystroke', async () => {
    const messages: HostMessage[] = [];
    const host = createRunHost({ registry: testRegistry, where: 'browser', resources: nodeResources, post: (m) => messages.push(structuredClone(m)) });
    const receiver = createViewReceiver();
    const doc = (text: string) => textChain(text);
    let text = 'Tokenizers cut text into pieces. Odia ଓଡ଼ିଆ and emoji 🙂 too. '.repeat(20);
    for (let runId = 1; runId <= 6; runId++) {
      text = text.slice(0, 300 + runId) + 'ab c'[runId % 4] + text.slice(300 + runId);
      messages.length = 0;
      await host.handle({ type: 'run', runId, doc: doc(text) });
      const received = new Map<string, unknown>();
      for (const m of messages) if (m.type === 'events') for (const e of m.events.map((w) => receiver.decode(w))) if (e.type === 'node:done' || e.type === 'node:cached') received.set(e.nodeId, e.view);
      const direct = new Map<string, unknown>();
      await execute(doc(text), { registry: testRegistry, cache: createRecipeCache(), where: 'browser', resources: nodeResources, onEvent: (e) => (e.type === 'node:done' || e.type === 'node:cached') && direct.set(e.nodeId, e.view) });
      expect([...received.keys()].sort()).toEqual(['c', 'p', 't']);
      for (const [id, view] of direct) expect(received.get(id)).toEqual(view);
      // After the first run, the pieces travel as a small patch, not the whole list.
      if (runId > 1) {
        const wire = messages.flatMap((m) => (m.type === 'events' ? m.events : [])).find((e) => e.type === 'node:done' && e.nodeId === 'p');
        expect(JSON.stringify(wire).length).toBeLessThan(JSON.stringify(direct.get('p')).length / 5);
      }
    }
  });
});

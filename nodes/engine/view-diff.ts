/**
 * View patches: what crosses the worker boundary instead of a node's whole view when the page
 * already holds the view the worker sent it last. A keystroke re-runs the chain, and most of each
 * view is what it was: the merge timeline, the first thousand pieces before the edit, the pieces
 * after it (moved by the edit's length). The worker sends only the difference; the page builds the
 * new view from its old one, keeping every unchanged part as the same object, so memoised
 * components (the chips) skip it.
 *
 *   diffView({ n: 1, pieces: [a, b, c] }, { n: 2, pieces: [a, b2, c] })
 *   // { op: 'fields', set: { n: { op: 'set', value: 2 },
 *   //   pieces: { op: 'splice', at: 1, insert: [b2], keep: { from: 2, count: 1, by: 0 } } } }
 *
 * - Plain objects are diffed field by field; arrays keep their common head and tail (compared by
 *   value) and replace the middle; long strings keep their common head and tail too.
 * - Offsets: an array of spans (objects with numeric `start` and `end`) after an insertion has a
 *   tail equal to the old one but moved by the edit's length. The splice says so (`keep.by`), and
 *   the page moves those elements itself instead of receiving them again. A list capped at its
 *   first N elements loses its last ones when an edit adds some: the kept tail may end early.
 * - `createViewSender` (worker) and `createViewReceiver` (page) keep one view per node, and turn
 *   run events into wire events and back. They stay in step because every batch the worker posts
 *   is decoded by the page in order, stale runs' batches included (the page drops those only
 *   after decoding). A new worker starts both afresh.
 *
 * Not handled here: server runs (their events carry whole views over SSE), values other than
 * JSON-like data (a Map, a typed array, a Date are sent whole when they differ in identity).
 */
import type { RunEvent } from './executor';

export type ViewPatch =
  /** Equal to what the page holds: keep its object. */
  | { op: 'same' }
  | { op: 'set'; value: unknown }
  /** A plain object with some fields changed (`set`) or gone (`drop`). */
  | { op: 'fields'; set: Record<string, ViewPatch>; drop?: string[] }
  /**
   * An array: the first `at` elements, then `insert`, then `keep.count` elements of the old array
   * from `keep.from`, their `start` and `end` moved by `keep.by` (spans after an edit that
   * changed the text's length; 0 keeps them as they are).
   */
  | { op: 'splice'; at: number; insert: unknown[]; keep: { from: number; count: number; by: number } }
  /** A string: `remove` characters at `at` replaced by `insert`. */
  | { op: 'text'; at: number; remove: number; insert: string };

/** Strings shorter than this are sent whole when they change. */
const TEXT_DIFF_MIN = 256;

const isPlain = (v: unknown): v is Record<string, unknown> => {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
};

/** Structural equality of JSON-like values (others by identity). */
export function equalValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equalValue(a[i], b[i])) return false;
    return true;
  }
  if (!isPlain(a) || !isPlain(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const k of keys) if (!Object.hasOwn(b, k) || !equalValue(a[k], b[k])) return false;
  return true;
}

type Span = { start: number; end: number } & Record<string, unknown>;
const isSpan = (v: unknown): v is Span => isPlain(v) && typeof v.start === 'number' && typeof v.end === 'number';

/** Whether `b` is `a` with its span moved by `by`. */
function shiftedBy(a: unknown, b: unknown, by: number): boolean {
  if (!isSpan(a) || !isSpan(b) || b.start - a.start !== by || b.end - a.end !== by) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const k of keys) if (k !== 'start' && k !== 'end' && (!Object.hasOwn(b, k) || !equalValue(a[k], b[k]))) return false;
  return true;
}

/** Longest run of `next`'s tail that is `prev`'s elements ending at `end`, equal or moved by one amount. */
function tailMatch(prev: readonly unknown[], next: readonly unknown[], head: number, end: number): { count: number; by: number } {
  const lastPrev = prev[end - 1];
  const lastNext = next[next.length - 1];
  const by = end > head && next.length > head && isSpan(lastPrev) && isSpan(lastNext) ? lastNext.start - lastPrev.start : 0;
  const same = by === 0 ? equalValue : (a: unknown, b: unknown) => shiftedBy(a, b, by);
  let count = 0;
  const most = Math.min(end, next.length) - head;
  while (count < most && same(prev[end - 1 - count], next[next.length - 1 - count])) count++;
  return { count, by };
}

/** How many elements past the end of a capped list an edit can push out (a list shows the first N). */
const CAP_SLACK = 4;

function diffArray(prev: readonly unknown[], next: readonly unknown[]): ViewPatch {
  let head = 0;
  const most = Math.min(prev.length, next.length);
  while (head < most && equalValue(prev[head], next[head])) head++;
  if (head === prev.length && head === next.length) return { op: 'same' };
  // The kept tail ends where prev ends, or a few elements before (a capped list whose edit added
  // elements pushes its last ones out).
  let best = { count: 0, by: 0, end: prev.length };
  for (let cut = 0; cut <= CAP_SLACK && prev.length - cut > head; cut++) {
    const match = tailMatch(prev, next, head, prev.length - cut);
    if (match.count > best.count) best = { ...match, end: prev.length - cut };
  }
  // Sending the whole array is no bigger: no shared head or tail.
  if (head === 0 && best.count === 0) return { op: 'set', value: next };
  const from = best.end - best.count;
  return { op: 'splice', at: head, insert: next.slice(head, next.length - best.count), keep: { from, count: best.count, by: best.by } };
}

function diffText(prev: string, next: string): ViewPatch {
  let head = 0;
  const most = Math.min(prev.length, next.length);
  while (head < most && prev.charCodeAt(head) === next.charCodeAt(head)) head++;
  let tail = 0;
  while (tail < most - head && prev.charCodeAt(prev.length - 1 - tail) === next.charCodeAt(next.length - 1 - tail)) tail++;
  return { op: 'text', at: head, remove: prev.length - head - tail, insert: next.slice(head, next.length - tail) };
}

/** The patch that turns `prev` into `next` (see the header). */
export function diffView(prev: unknown, next: unknown): ViewPatch {
  if (prev === next) return { op: 'same' };
  if (Array.isArray(prev) && Array.isArray(next)) return diffArray(prev, next);
  if (typeof prev === 'string' && typeof next === 'string' && next.length >= TEXT_DIFF_MIN && prev.length >= TEXT_DIFF_MIN) return diffText(prev, next);
  if (isPlain(prev) && isPlain(next)) {
    const set: Record<string, ViewPatch> = {};
    let changed = false;
    for (const k of Object.keys(next)) {
      const patch = Object.hasOwn(prev, k) ? diffView(prev[k], next[k]) : { op: 'set' as const, value: next[k] };
      if (patch.op === 'same') continue;
      set[k] = patch;
      changed = true;
    }
    const drop = Object.keys(prev).filter((k) => !Object.hasOwn(next, k));
    if (!changed && drop.length === 0) return { op: 'same' };
    return drop.length ? { op: 'fields', set, drop } : { op: 'fields', set };
  }
  if (equalValue(prev, next)) return { op: 'same' };
  return { op: 'set', value: next };
}

/** `prev` with `patch` applied; every part the patch does not touch is `prev`'s own object. */
export function applyViewPatch(prev: unknown, patch: ViewPatch): unknown {
  switch (patch.op) {
    case 'same':
      return prev;
    case 'set':
      return patch.value;
    case 'fields': {
      const base = prev as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(base)) if (!patch.drop?.includes(k)) out[k] = base[k];
      for (const [k, p] of Object.entries(patch.set)) out[k] = applyViewPatch(base[k], p);
      return out;
    }
    case 'splice': {
      const base = prev as readonly unknown[];
      const { from, count, by } = patch.keep;
      const tail = base.slice(from, from + count);
      const moved = by === 0 ? tail : tail.map((s) => ({ ...(s as Span), start: (s as Span).start + by, end: (s as Span).end + by }));
      return [...base.slice(0, patch.at), ...patch.insert, ...moved];
    }
    case 'text': {
      const base = prev as string;
      return base.slice(0, patch.at) + patch.insert + base.slice(patch.at + patch.remove);
    }
    default: {
      const unknownPatch: never = patch;
      return unknownPatch;
    }
  }
}

/** A run event as it crosses the worker boundary: a result's view is a patch on the last one sent. */
export type WireEvent =
  | Exclude<RunEvent, { type: 'node:done' } | { type: 'node:cached' }>
  | (Omit<Extract<RunEvent, { type: 'node:done' }>, 'view'> & { patch: ViewPatch })
  | (Omit<Extract<RunEvent, { type: 'node:cached' }>, 'view'> & { patch: ViewPatch });

/** The worker's side: the last view sent per node. */
export function createViewSender() {
  const sent = new Map<string, unknown>();
  return {
    encode(event: RunEvent): WireEvent {
      if (event.type === 'run:start') for (const id of [...sent.keys()]) if (!event.order.includes(id)) sent.delete(id);
      if (event.type !== 'node:done' && event.type !== 'node:cached') return event;
      const { view, ...rest } = event;
      const patch = sent.has(event.nodeId) ? diffView(sent.get(event.nodeId), view) : { op: 'set' as const, value: view };
      sent.set(event.nodeId, view);
      return { ...rest, patch };
    },
  };
}

/** The page's side: the last view received per node, the same objects the store then holds. */
export function createViewReceiver() {
  const held = new Map<string, unknown>();
  return {
    decode(event: WireEvent): RunEvent {
      if (event.type === 'run:start') for (const id of [...held.keys()]) if (!event.order.includes(id)) held.delete(id);
      if (event.type !== 'node:done' && event.type !== 'node:cached') return event;
      const { patch, ...rest } = event;
      const view = applyViewPatch(held.get(event.nodeId), patch);
      held.set(event.nodeId, view);
      return { ...rest, view };
    },
  };
}

/**
 * Array helpers that stay safe on arrays of any length. `out.push(...items)` and
 * `Math.max(...items)` pass every element as a call argument, and V8 throws "Maximum call stack
 * size exceeded" past roughly 100k of them (a 1 MB text has a million characters), so nodes/
 * appends and takes extremes with these loops instead.
 *
 *   pushAll(out, chars.slice(a, b))        // instead of out.push(...chars.slice(a, b))
 *   maxOf(spans, (s) => s.end)              // instead of Math.max(...spans.map((s) => s.end))
 *
 * Not handled here: typed arrays (use `set`), NaN (compared as Math.max would not: it is skipped).
 */

/** Append every item to `out` in order; returns `out`. */
export function pushAll<T>(out: T[], items: Iterable<T>): T[] {
  for (const item of items) out.push(item);
  return out;
}

/** The largest `value(item)`, or -Infinity for no items (as Math.max() gives). */
export function maxOf<T>(items: readonly T[], value: (item: T) => number): number {
  let best = -Infinity;
  for (const item of items) {
    const v = value(item);
    if (v > best) best = v;
  }
  return best;
}

/** The smallest `value(item)`, or Infinity for no items (as Math.min() gives). */
export function minOf<T>(items: readonly T[], value: (item: T) => number): number {
  let best = Infinity;
  for (const item of items) {
    const v = value(item);
    if (v < best) best = v;
  }
  return best;
}

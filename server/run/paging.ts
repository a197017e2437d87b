/**
 * One page of a node output held in the server's recipe cache: how an inspector looks at a
 * 50k-entry vocabulary or a 20 MB text without the server shipping it whole.
 *
 * The rule, by the shape of the value:
 * - a string: by UTF-16 code units (the unit of every offset in the engine, e.g. Piece.start);
 * - an array or a typed array: by items;
 * - an object with an array field `pieces`, `ids`, `tokens`, `merges` or `vocab` (the first
 *   found, in that order): that field by items, e.g. Pretokens → its pieces;
 * - anything else: the whole value when it is small (≤ 64 KB estimated), else refused.
 *
 * Not handled here: finding the value (the engine asks its cache), Maps and other non-JSON
 * values (a page must travel as plain JSON).
 */
import { estimateBytes } from '@/nodes/engine/cache';

export const PAGE_FIELDS = ['pieces', 'ids', 'tokens', 'merges', 'vocab'] as const;
/** Most items in one page of an array; most code units in one page of a string. */
export const MAX_PAGE_ITEMS = 5000;
export const MAX_PAGE_CHARS = 200_000;
const MAX_WHOLE_BYTES = 64 * 1024;

export type ValuePage =
  | { kind: 'string'; total: number; offset: number; text: string }
  | { kind: 'array'; field: string | null; total: number; offset: number; items: unknown[] }
  | { kind: 'value'; value: unknown };

export interface PageRequest {
  key: string;
  port: string;
  offset: number;
  limit: number;
}

/** Why a value cannot be paged, as one sentence; thrown by pageOf. */
export class NotPageableError extends Error {
  override name = 'NotPageableError';
}

function arrayPage(items: ArrayLike<unknown>, field: string | null, offset: number, limit: number): ValuePage {
  const count = Math.min(limit, MAX_PAGE_ITEMS);
  const end = Math.min(items.length, offset + count);
  const page: unknown[] = [];
  for (let i = offset; i < end; i++) page.push(items[i]);
  return { kind: 'array', field, total: items.length, offset, items: page };
}

function isTypedArray(value: unknown): value is ArrayLike<number> {
  return ArrayBuffer.isView(value) && !(value instanceof DataView);
}

/**
 * @example
 * pageOf({ source: 'I love', scheme: 'whitespace', pieces: [a, b] }, 1, 10)
 * // { kind: 'array', field: 'pieces', total: 2, offset: 1, items: [b] }
 */
export function pageOf(value: unknown, offset: number, limit: number): ValuePage {
  if (typeof value === 'string') {
    const count = Math.min(limit, MAX_PAGE_CHARS);
    return { kind: 'string', total: value.length, offset, text: value.slice(offset, offset + count) };
  }
  if (Array.isArray(value) || isTypedArray(value)) return arrayPage(value, null, offset, limit);
  if (value && typeof value === 'object') {
    for (const field of PAGE_FIELDS) {
      const inner = (value as Record<string, unknown>)[field];
      if (Array.isArray(inner) || isTypedArray(inner)) return arrayPage(inner, field, offset, limit);
    }
  }
  if (estimateBytes(value) <= MAX_WHOLE_BYTES) return { kind: 'value', value };
  throw new NotPageableError(
    `This output is neither text nor a list (nor an object with ${PAGE_FIELDS.join('/')}), and too large to send whole.`,
  );
}

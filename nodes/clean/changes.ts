/**
 * Before/after view of a cleaning: which characters changed, as aligned segments, and the code
 * points on each side of every change.
 *
 *   describeChanges('café', 'cafe\u0301').changes[0]
 *     // { before: 'é', after: 'é', beforeCodePoints: ['U+00E9'], afterCodePoints: ['U+0065', 'U+0301'] }
 *
 * Not handled here: very long texts are compared over their first WINDOW code units only
 * (the inspector says so), since a character diff is quadratic in the worst case.
 */
import { diffChars } from 'diff';
import { hex } from '../text/text';

export const CHANGE_WINDOW = 4000;

export interface Segment {
  kind: 'same' | 'removed' | 'added';
  text: string;
}

export interface Change {
  before: string;
  after: string;
  beforeCodePoints: string[];
  afterCodePoints: string[];
}

export interface ChangeView {
  segments: Segment[];
  changes: Change[];
  truncated: boolean;
}

const codePoints = (s: string) => [...s].map((c) => `U+${hex(c.codePointAt(0) ?? 0)}`);

export function describeChanges(before: string, after: string, maxChanges = 60): ChangeView {
  const truncated = before.length > CHANGE_WINDOW || after.length > CHANGE_WINDOW;
  const a = before.slice(0, CHANGE_WINDOW);
  const b = after.slice(0, CHANGE_WINDOW);
  if (a === b) return { segments: a ? [{ kind: 'same', text: a }] : [], changes: [], truncated };
  const parts = diffChars(a, b);
  const segments: Segment[] = parts.map((p) => ({ kind: p.added ? 'added' : p.removed ? 'removed' : 'same', text: p.value }));
  const changes: Change[] = [];
  for (let i = 0; i < segments.length && changes.length < maxChanges; i++) {
    const s = segments[i]!;
    if (s.kind === 'same') continue;
    const next = segments[i + 1];
    const removed = s.kind === 'removed' ? s.text : '';
    const added = s.kind === 'added' ? s.text : next?.kind === 'added' && s.kind === 'removed' ? next.text : '';
    if (s.kind === 'removed' && next?.kind === 'added') i++;
    changes.push({ before: removed, after: added, beforeCodePoints: codePoints(removed), afterCodePoints: codePoints(added) });
  }
  return { segments, changes, truncated };
}

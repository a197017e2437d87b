/**
 * splitParts (server/run/queue/notify-channel.ts): a message too long for one NOTIFY is cut
 * into parts that join back to exactly the message, each within NOTIFY's 8000 bytes, and none
 * cut between the halves of a surrogate pair (a part must be well-formed to travel as UTF-8).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitParts } from '@/server/run/queue/notify-channel';

const wellFormed = (s: string) => s.isWellFormed();

describe('splitParts', () => {
  it('never cuts an emoji in two, even when the cut falls on it', () => {
    const text = `${'a'.repeat(2499)}🙂b`;
    const parts = splitParts(text);
    expect(parts).toEqual([`${'a'.repeat(2499)}`, '🙂b']);
    expect(parts.every(wellFormed)).toBe(true);
  });

  it('gives back the text exactly, in well-formed parts of at most 8000 UTF-8 bytes, for any well-formed text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 6000 }), (text) => {
        const parts = splitParts(text);
        expect(parts.join('')).toBe(text);
        for (const part of parts) {
          expect(wellFormed(part)).toBe(true);
          expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(7900);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('keeps the empty text as no parts, and a short one whole', () => {
    expect(splitParts('')).toEqual([]);
    expect(splitParts('ଓଡ଼ିଆ')).toEqual(['ଓଡ଼ିଆ']);
  });
});

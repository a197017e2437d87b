/**
 * The Pretokenize inspector (the node's view): the mode's name and explanation, how many pieces
 * and distinct pieces the text gives, the pieces and source it shows (bounded), and the legend of
 * ByteLevel stand-in characters with the byte each replaces.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRecipeCache } from '@/nodes/engine/cache';
import { execute } from '@/nodes/engine/executor';
import { registry, type ViewOf } from '@/nodes';
import { PIECES_SHOWN } from '@/nodes/pretokenize';
import { byteLevelLegend, MODE_INFO } from '@/nodes/pretokenize/explain';
import { byteLevelToBytes, CHAR_TO_BYTE, fromByteLevel, toByteLevel } from '@/nodes/pretokenize/byte-level';
import { PRETOKENIZE_MODES, pretokenize } from '@/nodes/pretokenize/pretokenize';
import { graph, nodeResources } from '../../engine/fixtures';

async function inspect(text: string, mode: string): Promise<ViewOf<'pretokenize'>> {
  const doc = graph(
    [
      ['t', 'text', { text }],
      ['p', 'pretokenize', { mode }],
    ],
    [['t', 'p']],
  );
  const report = await execute(doc, { registry, cache: createRecipeCache(), where: 'server', resources: nodeResources });
  return (report.outcomes.get('p') as unknown as { view: ViewOf<'pretokenize'> }).view;
}

describe('the Pretokenize inspector', () => {
  it('names every mode differently and explains each in a sentence', () => {
    const labels = PRETOKENIZE_MODES.map((mode) => MODE_INFO[mode].label);
    expect(new Set(labels).size).toBe(PRETOKENIZE_MODES.length);
    for (const mode of PRETOKENIZE_MODES) {
      expect(MODE_INFO[mode].label.length, mode).toBeGreaterThan(5);
      expect(MODE_INFO[mode].explain, mode).toMatch(/^[A-Z].{30,}\.$/);
    }
  });

  it('shows the mode, how many pieces and distinct pieces the text gives, and the legend for ByteLevel', async () => {
    const view = await inspect('the cat the cat', 'bytelevel');
    expect(view).toMatchObject({ mode: 'bytelevel', ...MODE_INFO.bytelevel, count: 4, distinct: 3, textLength: 15, source: 'the cat the cat' });
    expect(view.pieces.map((p) => p.shown)).toEqual(['the', 'Ġcat', 'Ġthe', 'Ġcat']);
    expect(view.legend).toEqual([{ char: 'Ġ', byte: '0x20', meaning: 'space' }]);
  });

  it('shows no legend outside ByteLevel, where pieces are the text as written', async () => {
    const view = await inspect('the cat', 'gpt2');
    expect(view).toMatchObject({ mode: 'gpt2', label: MODE_INFO.gpt2.label, count: 2, distinct: 2, legend: [] });
    expect(view.pieces.map((p) => p.shown)).toEqual(['the', ' cat']);
    // A Ġ typed into the text is just a letter of it outside ByteLevel: nothing to explain.
    const typed = await inspect('Ġood ĊĠ', 'gpt2');
    expect(typed.pieces.map((p) => p.shown)).toEqual(['Ġood', ' ĊĠ']);
    expect(typed.legend).toEqual([]);
  });

  it('shows at most 2,000 pieces and the first 1,000 characters of a long text, while counting all of it', async () => {
    const text = 'ab '.repeat(2500);
    const view = await inspect(text, 'whitespace');
    expect(view.count).toBe(2500);
    expect(view.distinct).toBe(1);
    expect(view.pieces).toHaveLength(PIECES_SHOWN);
    expect(view.pieces.at(-1)).toEqual({ text: 'ab', start: 3 * (PIECES_SHOWN - 1), end: 3 * (PIECES_SHOWN - 1) + 2, shown: 'ab' });
    expect(view.source).toBe(text.slice(0, 1000));
    expect(view.textLength).toBe(7500);
  });
});

describe('the ByteLevel legend', () => {
  it('names the byte behind each stand-in: whitespace by name, other control bytes, and parts of multi-byte characters', () => {
    // é is C3 A9 and ଓ is E0 AC 93: of those bytes only 0x93 has a stand-in that differs from it.
    const shown = pretokenize('a\tb\r\n\u0000\u007f\u00a0é ଓ', 'bytelevel').map((p) => p.shown);
    expect(byteLevelLegend(shown)).toEqual([
      { char: 'ĉ', byte: '0x09', meaning: 'tab' },
      { char: 'č', byte: '0x0D', meaning: 'carriage return' },
      { char: 'Ċ', byte: '0x0A', meaning: 'newline' },
      { char: 'Ā', byte: '0x00', meaning: 'control byte' },
      { char: 'ġ', byte: '0x7F', meaning: 'control byte' },
      { char: 'ł', byte: '0xA0', meaning: 'no-break space byte' },
      { char: 'Ġ', byte: '0x20', meaning: 'space' },
      { char: 'ĵ', byte: '0x93', meaning: 'part of a multi-byte UTF-8 character' },
    ]);
  });

  it('leaves out characters that stand for themselves, and lists each stand-in once, at most 24', () => {
    expect(byteLevelLegend(['hello', 'ĠĠĠ', 'Ġx'])).toEqual([{ char: 'Ġ', byte: '0x20', meaning: 'space' }]);
    const manyBytes = toByteLevel(Array.from({ length: 32 }, (_, b) => String.fromCharCode(b)).join(''));
    expect(byteLevelLegend([manyBytes])).toHaveLength(24);
    expect(byteLevelLegend([manyBytes], 3).map((r) => r.byte)).toEqual(['0x00', '0x01', '0x02']);
  });

  it('lists, for any text, the stand-ins a reader meets character by character, in order of first sight', () => {
    // The reading the legend must agree with: every character, looked up in the byte table.
    const byReading = (shown: string[], limit: number) => {
      const chars: string[] = [];
      for (const piece of shown)
        for (const ch of piece) {
          const byte = CHAR_TO_BYTE.get(ch);
          if (byte !== undefined && byte !== ch.charCodeAt(0) && !chars.includes(ch)) chars.push(ch);
        }
      return chars.slice(0, limit);
    };
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), fc.integer({ min: 0, max: 30 }), (text, limit) => {
        const shown = pretokenize(text, 'bytelevel').map((p) => p.shown);
        // Also pieces that are not ByteLevel text at all: the legend skips what has no byte.
        const mixed = [...shown, text];
        expect(byteLevelLegend(mixed, limit).map((r) => r.char)).toEqual(byReading(mixed, limit));
      }),
      { numRuns: 300 },
    );
  });
});

describe('ByteLevel text and bytes', () => {
  it('shows printable ASCII as itself and space and DEL by their stand-ins', () => {
    const shown = (text: string) => pretokenize(text, 'bytelevel').map((p) => p.shown);
    expect(shown('!~')).toEqual(['!~']);
    expect(shown(' ~')).toEqual(['Ġ~']);
    expect(shown('a\u007f')).toEqual(['a', 'ġ']);
  });

  it('reads stand-ins back to their bytes and refuses a character that is not one', () => {
    expect(Array.from(byteLevelToBytes('ĠA'))).toEqual([0x20, 0x41]);
    expect(fromByteLevel('à¬ĵ')).toBe('ଓ');
    expect(() => byteLevelToBytes('Aअ')).toThrow("'अ' is not a ByteLevel character");
  });
});

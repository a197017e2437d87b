import fc from 'fast-check';
import { encode as encodeR50k } from 'gpt-tokenizer/encoding/r50k_base';
import { encode as encodeCl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { describe, expect, it } from 'vitest';
import { BYTE_TO_CHAR, fromByteLevel, toByteLevel } from '@/nodes/pretokenize/byte-level';
import { byteLevelLegend } from '@/nodes/pretokenize/explain';
import { GPT2_MARKS_PATTERN, GPT2_PATTERN, PRETOKENIZE_MODES, pretokenize } from '@/nodes/pretokenize/pretokenize';
import { TEXT_SAMPLES } from '@/nodes/text/samples';

const shown = (text: string, mode: Parameters<typeof pretokenize>[1]) => pretokenize(text, mode).map((p) => p.shown);

const MIXED = [
  ...TEXT_SAMPLES.map((s) => s.text),
  "I'm sure they'll say it's 2024's best: don't STOP!!!   \n\n\tIndented\r\nCRLF 12345678 x²",
  'Odia ଓଡ଼ିଆ, Hindi नमस्ते, Japanese こんにちは, emoji 👨‍👩‍👧 🇮🇳 café/cafe\u0301',
  '    leading spaces and trailing    ',
];

describe('pretokenize', () => {
  it('cuts exactly where GPT-2\'s patterns cut in gpt2, gpt2-marks and bytelevel modes (the scanner is only faster)', () => {
    const byRegex = (text: string, pattern: RegExp) => [...text.matchAll(new RegExp(pattern.source, pattern.flags))].map((m) => [m.index, m.index + m[0].length]);
    const cuts = (text: string, mode: Parameters<typeof pretokenize>[1]) => pretokenize(text, mode).map((p) => [p.start, p.end]);
    fc.assert(
      fc.property(fc.string({ unit: fc.oneof(fc.constantFrom(' ', '  ', '\n', '\r\n', "'s", "'ll", 'ା', '\ud800', '\ude00'), fc.string({ unit: 'binary', maxLength: 3 })), maxLength: 40 }), (text) => {
        expect(cuts(text, 'gpt2')).toEqual(byRegex(text, GPT2_PATTERN));
        expect(cuts(text, 'bytelevel')).toEqual(byRegex(text, GPT2_PATTERN));
        expect(cuts(text, 'gpt2-marks')).toEqual(byRegex(text, GPT2_MARKS_PATTERN));
        expect(shown(text, 'bytelevel')).toEqual(pretokenize(text, 'gpt2').map((p) => toByteLevel(p.text)));
      }),
      { numRuns: 2000 },
    );
  });

  it('splits "I love NLP" as GPT-2 does, with Ġ for the space in ByteLevel mode', () => {
    expect(shown('I love NLP', 'gpt2')).toEqual(['I', ' love', ' NLP']);
    expect(shown('I love NLP', 'bytelevel')).toEqual(['I', 'Ġlove', 'ĠNLP']);
    expect(shown('a\nb', 'bytelevel')).toEqual(['a', 'Ċ', 'b']);
  });

  it('gives offsets that slice the source back to each piece, covering it without gaps in regex modes', () => {
    for (const text of MIXED) {
      for (const mode of PRETOKENIZE_MODES) {
        const pieces = pretokenize(text, mode);
        for (const p of pieces) expect(text.slice(p.start, p.end)).toBe(p.text);
        if (mode === 'gpt2' || mode === 'gpt4' || mode === 'gpt2-marks' || mode === 'bytelevel' || mode === 'metaspace') {
          expect(pieces.map((p) => p.text).join('')).toBe(text);
        }
      }
    }
  });

  it('splits exactly as GPT-2 (r50k_base) does: encoding piece by piece gives the reference IDs', () => {
    for (const text of MIXED) {
      const pieceWise = pretokenize(text, 'gpt2').flatMap((p) => encodeR50k(p.text));
      expect(pieceWise).toEqual(encodeR50k(text));
    }
  });

  it('splits exactly as GPT-4 (cl100k_base) does, including case-insensitive contractions', () => {
    for (const text of [...MIXED, "WE'LL SEE, THEY'RE HERE, I'M IN"]) {
      const pieceWise = pretokenize(text, 'gpt4').flatMap((p) => encodeCl100k(p.text));
      expect(pieceWise).toEqual(encodeCl100k(text));
    }
    expect(shown("WE'LL", 'gpt4')).toEqual(['WE', "'LL"]);
    expect(shown('1234567', 'gpt4')).toEqual(['123', '456', '7']);
  });

  it('agrees with GPT-2 on random strings (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (text) => {
        expect(pretokenize(text, 'gpt2').flatMap((p) => encodeR50k(p.text))).toEqual(encodeR50k(text));
      }),
      { numRuns: 200 },
    );
  });

  it('cuts Odia words apart in GPT-2 mode and keeps them whole in script-aware mode', () => {
    expect(shown('ଓଡ଼ିଆ ଭାଷା', 'gpt2')).toEqual(['ଓଡ', '଼ି', 'ଆ', ' ଭ', 'ା', 'ଷ', 'ା']);
    expect(shown('ଓଡ଼ିଆ ଭାଷା', 'gpt2-marks')).toEqual(['ଓଡ଼ିଆ', ' ଭାଷା']);
  });

  it('splits BERT-style on whitespace and punctuation', () => {
    expect(shown("Hello, world! don't", 'bert')).toEqual(['Hello', ',', 'world', '!', 'don', "'", 't']);
    expect(shown('  a  b ', 'whitespace')).toEqual(['a', 'b']);
  });

  it('writes Metaspace pieces with ▁ for spaces and one at the start', () => {
    expect(shown('I love  NLP', 'metaspace')).toEqual(['▁I', '▁love', '▁', '▁NLP']);
    expect(shown(' x', 'metaspace')).toEqual(['▁x']);
  });

  it('handles empty text, one character, emoji and lone surrogates without throwing', () => {
    for (const mode of PRETOKENIZE_MODES) {
      expect(pretokenize('', mode)).toEqual([]);
      expect(pretokenize('a', mode).map((p) => p.text)).toEqual(['a']);
      expect(pretokenize('👋🏽', mode).map((p) => p.text).join('')).toBe('👋🏽');
      const lone = 'a\uD800b';
      expect(() => pretokenize(lone, mode)).not.toThrow();
    }
    // A lone surrogate is UTF-8-encoded as U+FFFD's bytes, as TextEncoder does.
    expect(shown('\uD800', 'bytelevel')).toEqual([toByteLevel('\uFFFD')]);
  });
});

describe('byte-level mapping', () => {
  it('maps all 256 bytes to distinct printable characters, space to Ġ and newline to Ċ', () => {
    expect(new Set(BYTE_TO_CHAR).size).toBe(256);
    expect(BYTE_TO_CHAR[0x20]).toBe('Ġ');
    expect(BYTE_TO_CHAR[0x0a]).toBe('Ċ');
    expect(BYTE_TO_CHAR[0x41]).toBe('A');
  });

  it('round-trips any well-formed string (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect(fromByteLevel(toByteLevel(s))).toBe(s);
      }),
    );
  });

  it('explains the stand-ins that appear', () => {
    const legend = byteLevelLegend(['Ġlove', 'Ċ', 'à¬ĵ']);
    expect(legend.map((r) => [r.char, r.byte])).toEqual([
      ['Ġ', '0x20'],
      ['Ċ', '0x0A'],
      ['ĵ', '0x93'],
    ]);
    expect(legend[0]?.meaning).toBe('space');
  });
});

/**
 * The shipped Odia corpus: its text is the one its SOURCES.md records (sha256), large enough
 * for BPE to learn words, Odia throughout, and split into a training part and a held-out part
 * that share no line. The build's own steps (.mo reading, cleaning) are checked on made files.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ODIA_CORPUS, ODIA_CORPUS_SHA256 } from '@/nodes/text/corpora/odia-text';
import { HELD_OUT_EVERY, loadCorpus, splitCorpus } from '@/nodes/text/odia-corpus';
import { cleanTranslation, isMostlyOdia, readMo } from '@/scripts/odia-corpus';

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

describe('the shipped Odia corpus', () => {
  it('is the text its SOURCES.md records, byte for byte', () => {
    const sha = createHash('sha256').update(ODIA_CORPUS, 'utf8').digest('hex');
    expect(sha).toBe(ODIA_CORPUS_SHA256);
    expect(readFileSync('nodes/text/corpora/SOURCES.md', 'utf8')).toContain(sha);
  });

  it('holds at least 500 KB of Odia, one distinct line each, most letters Odia', () => {
    expect(utf8(ODIA_CORPUS)).toBeGreaterThan(500_000);
    const lines = ODIA_CORPUS.split('\n');
    expect(new Set(lines).size).toBe(lines.length);
    expect(lines.filter((l) => !isMostlyOdia(l))).toEqual([]);
  });

  it('holds out every tenth line: the two parts share nothing and together are the corpus', async () => {
    const { train, heldOut } = splitCorpus(ODIA_CORPUS);
    const lines = ODIA_CORPUS.split('\n');
    const held = heldOut.split('\n');
    expect(held.length).toBe(Math.floor(lines.length / HELD_OUT_EVERY));
    expect(held[0]).toBe(lines[HELD_OUT_EVERY - 1]);
    const trainLines = new Set(train.split('\n'));
    expect(held.filter((l) => trainLines.has(l))).toEqual([]);
    expect(trainLines.size + held.length).toBe(lines.length);
    expect(utf8(heldOut)).toBeGreaterThan(50_000);
    expect(await loadCorpus('odia-train')).toBe(train);
    expect(await loadCorpus('odia-heldout')).toBe(heldOut);
  });

  it('splits a small text as documented', () => {
    expect(splitCorpus('a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk')).toEqual({ train: 'a\nb\nc\nd\ne\nf\ng\nh\ni\nk', heldOut: 'j' });
    expect(splitCorpus('')).toEqual({ train: '', heldOut: '' });
  });
});

/** A GNU .mo file holding the given (msgid, msgstr) pairs, in either byte order. */
function makeMo(pairs: [string, string][], little = true): Uint8Array {
  const enc = new TextEncoder();
  const ids = pairs.map(([id]) => enc.encode(id));
  const strs = pairs.map(([, s]) => enc.encode(s));
  const header = 28;
  const tables = header + pairs.length * 16;
  let at = tables;
  const idOffsets = ids.map((b) => ((at += b.length + 1), at - b.length - 1));
  const strOffsets = strs.map((b) => ((at += b.length + 1), at - b.length - 1));
  const out = new Uint8Array(at);
  const view = new DataView(out.buffer);
  const put = (o: number, v: number) => view.setUint32(o, v, little);
  put(0, 0x950412de);
  put(8, pairs.length);
  put(12, header);
  put(16, header + pairs.length * 8);
  pairs.forEach((_, i) => {
    put(header + i * 8, ids[i]!.length);
    put(header + i * 8 + 4, idOffsets[i]!);
    put(header + pairs.length * 8 + i * 8, strs[i]!.length);
    put(header + pairs.length * 8 + i * 8 + 4, strOffsets[i]!);
    out.set(ids[i]!, idOffsets[i]!);
    out.set(strs[i]!, strOffsets[i]!);
  });
  return out;
}

describe('building the corpus', () => {
  it('reads the translations of a .mo file in either byte order, plural forms apart, without its header', () => {
    const pairs: [string, string][] = [['', 'Content-Type: text/plain; charset=UTF-8\n'], ['Open', 'ଖୋଲନ୍ତୁ'], ['file\0files', 'ଫାଇଲ\0ଫାଇଲଗୁଡ଼ିକ']];
    for (const little of [true, false]) expect(readMo(makeMo(pairs, little))).toEqual(['ଖୋଲନ୍ତୁ', 'ଫାଇଲ', 'ଫାଇଲଗୁଡ଼ିକ']);
    expect(() => readMo(new Uint8Array(28))).toThrow('not a gettext .mo file');
  });

  it('cleans mnemonics, placeholders and markup out of a translation', () => {
    expect(cleanTranslation('_ଫାଇଲ ~ଖୋଲନ୍ତୁ')).toBe('ଫାଇଲ ଖୋଲନ୍ତୁ');
    expect(cleanTranslation('%s ଫାଇଲ %1 ଏବଂ %2$d, $(ARG1) {name} %SERIESNAME ର')).toBe('ଫାଇଲ ଏବଂ , ର');
    expect(cleanTranslation('<b>ଭାଷା</b>\n  ଓଡ଼ିଆ')).toBe('ଭାଷା ଓଡ଼ିଆ');
  });

  it('keeps a line only when most of its letters are Odia', () => {
    expect(isMostlyOdia('ଫାଇଲ ଖୋଲନ୍ତୁ')).toBe(true);
    expect(isMostlyOdia('Open file')).toBe(false);
    expect(isMostlyOdia('PDF ଫାଇଲ')).toBe(true);
    expect(isMostlyOdia('Portable Document ଫା')).toBe(false);
  });
});

/**
 * Builds the shipped Odia corpus (nodes/text/corpora/) from Debian packages: the Odia (or)
 * translations that LibreOffice, GTK, GLib and friends ship as gettext .mo files.
 *
 *   npx tsx scripts/make-corpora.ts odia     # apt-get download + dpkg-deb -x, then writes
 *                                            # nodes/text/corpora/odia-text.ts and SOURCES.md
 *
 * Each translation (msgstr) becomes one line once cleaned: keyboard mnemonics (~ _ &), format
 * placeholders (%s, %1, %NAME, $(ARG1), $1$, {name}) and markup tags removed, whitespace collapsed. A line
 * is kept when most of its letters are Odia, and only the first time it occurs. Packages are
 * pinned to the versions below, so a rebuild gives the same bytes and the same sha256.
 *
 * Not handled here: splitting (nodes/text/odia-corpus.ts), other languages, packages not in
 * Debian 12. Needs apt-get and dpkg-deb (Debian), no other network.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface OdiaSource {
  package: string;
  version: string;
  licence: string;
  /** Folder inside the package holding the Odia .mo files, and which of them to read. */
  dir: string;
  files: RegExp;
}

export const ODIA_SOURCES: readonly OdiaSource[] = [
  { package: 'libreoffice-l10n-or', version: '4:7.4.7-1+deb12u14', licence: 'MPL-2.0', dir: 'usr/lib/libreoffice/program/resource/or/LC_MESSAGES', files: /\.mo$/ },
  { package: 'libgtk-3-common', version: '3.24.38-2~deb12u3', licence: 'LGPL-2.1-or-later', dir: 'usr/share/locale/or/LC_MESSAGES', files: /^gtk30.*\.mo$/ },
  { package: 'libglib2.0-data', version: '2.74.6-2+deb12u9', licence: 'LGPL-2.1-or-later', dir: 'usr/share/locale/or/LC_MESSAGES', files: /\.mo$/ },
  { package: 'libgdk-pixbuf2.0-common', version: '2.42.10+dfsg-1+deb12u4', licence: 'LGPL-2.1-or-later', dir: 'usr/share/locale/or/LC_MESSAGES', files: /\.mo$/ },
  { package: 'gsettings-desktop-schemas', version: '43.0-1', licence: 'LGPL-2.1-or-later', dir: 'usr/share/locale/or/LC_MESSAGES', files: /\.mo$/ },
  { package: 'at-spi2-common', version: '2.46.0-5', licence: 'LGPL-2.1-or-later', dir: 'usr/share/locale/or/LC_MESSAGES', files: /\.mo$/ },
];

/**
 * The translations in a gettext .mo file (GNU format, either byte order), plural forms as
 * separate strings, the header entry (empty msgid) left out.
 */
export function readMo(bytes: Uint8Array): string[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, true);
  const little = magic === 0x950412de;
  if (!little && view.getUint32(0, false) !== 0x950412de) throw new Error('not a gettext .mo file');
  const u32 = (at: number) => view.getUint32(at, little);
  const count = u32(8);
  const originals = u32(12);
  const translations = u32(16);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const idLength = u32(originals + i * 8);
    if (idLength === 0) continue;
    const length = u32(translations + i * 8);
    const offset = u32(translations + i * 8 + 4);
    for (const form of decoder.decode(bytes.subarray(offset, offset + length)).split('\0')) if (form) out.push(form);
  }
  return out;
}

/** A translation as running text: 'ଫାଇଲ _ଖୋଲନ୍ତୁ %s…' -> 'ଫାଇଲ ଖୋଲନ୍ତୁ …'. */
export function cleanTranslation(text: string): string {
  return text
    .replace(/<[^<>]{1,80}>/g, ' ') // markup: <b>, </span>
    .replace(/\[\$\d+\]|\$\([A-Za-z0-9_]+\)|\$[A-Za-z0-9_]+\$|\$\d+|\{[A-Za-z0-9_]+\}|%[A-Z][A-Z0-9_]*%?|%(?:\d+\$)?[-+ #0'I]*\d*(?:\.\d+)?(?:hh|h|ll|l|z|j|t|L)?[diouxXeEfgGcsp]|%\d+/g, ' ')
    .replace(/[~_&]/g, '')
    .replace(/\\[ntr]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** True when at least half of the letters (marks included) are Odia. */
export function isMostlyOdia(text: string): boolean {
  const letters = text.match(/[\p{L}\p{M}]/gu) ?? [];
  const odia = letters.filter((c) => /\p{Script=Oriya}/u.test(c)).length;
  return odia >= 2 && odia * 2 >= letters.length;
}

export interface BuiltCorpus {
  text: string;
  sha256: string;
  /** Per package: the .deb's sha256 and how many lines it gave. */
  inputs: { source: OdiaSource; debSha256: string; lines: number }[];
}

/** Downloads the pinned packages, reads their .mo files in name order, keeps each Odia line once. */
export function buildOdiaCorpus(): BuiltCorpus {
  const work = mkdtempSync(join(tmpdir(), 'odia-corpus-'));
  try {
    const seen = new Set<string>();
    const lines: string[] = [];
    const inputs: BuiltCorpus['inputs'] = [];
    for (const source of ODIA_SOURCES) {
      const dir = join(work, source.package);
      execFileSync('mkdir', ['-p', dir]);
      execFileSync('apt-get', ['download', '-q', `${source.package}=${source.version}`], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
      const deb = readdirSync(dir).find((f) => f.endsWith('.deb'));
      if (!deb) throw new Error(`apt-get download ${source.package}=${source.version} gave no .deb`);
      const debSha256 = createHash('sha256').update(readFileSync(join(dir, deb))).digest('hex');
      execFileSync('dpkg-deb', ['-x', join(dir, deb), join(dir, 'x')]);
      const moDir = join(dir, 'x', source.dir);
      let kept = 0;
      for (const file of readdirSync(moDir).filter((f) => source.files.test(f)).sort()) {
        for (const translation of readMo(readFileSync(join(moDir, file)))) {
          const line = cleanTranslation(translation);
          if (!isMostlyOdia(line) || seen.has(line)) continue;
          seen.add(line);
          lines.push(line);
          kept++;
        }
      }
      inputs.push({ source, debSha256, lines: kept });
    }
    const text = lines.join('\n');
    return { text, sha256: createHash('sha256').update(text, 'utf8').digest('hex'), inputs };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Cleaning (normalisation) before tokenization, as a list of named steps so the inspector can
 * say which step changed what.
 *
 *   cleanText('Cafe\u0301  NLP', { form: 'NFC', lowercase: true, collapseWhitespace: true, ... })
 *     .text  // 'café nlp'   (e + U+0301 composed into U+00E9, two spaces into one)
 *
 * Order: invalid-Unicode repair, control characters, Unicode form, accents, lowercase,
 * whitespace, then the user's regex. The regex runs on RE2 semantics (nodes/shared/user-regex.ts):
 * linear time whatever the pattern, no backreferences or lookaround, and a replacement whose
 * result would pass MAX_TEXT_OUTPUT_CHARS is refused before it is built.
 * Not handled here: language-specific case rules (toLowerCase is locale-independent).
 */
import { findLoneSurrogates } from '../text/text';
import { compileUserRegex, replaceAllWithinBudget } from '../shared/user-regex';

export const UNICODE_FORMS = ['none', 'NFC', 'NFD', 'NFKC', 'NFKD'] as const;
export type UnicodeForm = (typeof UNICODE_FORMS)[number];

export interface CleanOptions {
  form: UnicodeForm;
  lowercase: boolean;
  stripAccents: boolean;
  stripControl: boolean;
  collapseWhitespace: boolean;
  replaceInvalid: boolean;
  replacePattern: string;
  replaceWith: string;
}

export interface CleanStep {
  name: string;
  /** Did this step change the text? */
  changed: boolean;
  /** Length in code points after the step. */
  codePoints: number;
}

export interface CleanResult {
  text: string;
  steps: CleanStep[];
  /** Offsets of lone surrogates found in the input (before repair). */
  loneSurrogates: number[];
}

// Control characters except tab, newline and carriage return, plus format characters such as
// zero-width space; ZWJ (U+200D) and ZWNJ (U+200C) are kept because emoji and Indic scripts need them.
const CONTROL = /[\p{Cc}\p{Cf}]/gu;
const KEEP_CONTROL = new Set(['\t', '\n', '\r', '\u200c', '\u200d']);
const COMBINING_MARK = /\p{Mn}/gu;

export function countCodePoints(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

export function cleanText(input: string, options: CleanOptions): CleanResult {
  const steps: CleanStep[] = [];
  let text = input;
  const apply = (name: string, enabled: boolean, fn: (t: string) => string) => {
    if (!enabled) return;
    const next = fn(text);
    steps.push({ name, changed: next !== text, codePoints: countCodePoints(next) });
    text = next;
  };
  const loneSurrogates = findLoneSurrogates(input);
  apply('Replace invalid Unicode with U+FFFD', options.replaceInvalid && loneSurrogates.length > 0, (t) => t.toWellFormed());
  apply('Strip control characters', options.stripControl, (t) => t.replace(CONTROL, (c) => (KEEP_CONTROL.has(c) ? c : '')));
  apply(`Normalise to ${options.form}`, options.form !== 'none', (t) => t.normalize(options.form as Exclude<UnicodeForm, 'none'>));
  apply('Strip accents', options.stripAccents, (t) => {
    const stripped = t.normalize('NFD').replace(COMBINING_MARK, '');
    return options.form === 'none' || options.form === 'NFD' || options.form === 'NFKD' ? stripped : stripped.normalize(options.form);
  });
  apply('Lowercase', options.lowercase, (t) => t.toLowerCase());
  apply('Collapse whitespace', options.collapseWhitespace, (t) => t.replace(/[^\S\n]+/gu, ' ').replace(/\n{3,}/g, '\n\n').trim());
  if (options.replacePattern !== '') {
    const re = compileUserRegex(options.replacePattern);
    apply(`Replace /${options.replacePattern}/`, true, (t) => replaceAllWithinBudget(re, t, options.replaceWith));
  }
  return { text, steps, loneSurrogates };
}

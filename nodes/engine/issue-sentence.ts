/**
 * zod issues as sentences a learner can act on: "Vocabulary size must be at least 256." rather
 * than "Too small: expected number to be >=256". Used for node params (validate.ts, with the
 * field's label from its `.describe()`) and for the document's own fields (graph-doc.ts).
 *
 * A message a schema wrote itself (`.min(256, 'A vocabulary must hold …')`, a refine) is kept
 * as written; only zod's built-in wording is replaced. The bound a sentence states is the one
 * the schema enforces, read from the issue.
 */
import type { z } from 'zod';

/** zod's built-in messages start like this; a schema's own messages do not. */
const BUILT_IN = /^(Too (small|big)|Invalid|Expected|Unrecognized)/;

const count = (n: number | bigint) => Number(n).toLocaleString('en-US');
/** "1 item", "3 items". */
const items = (n: number | bigint) => `${count(n)} ${Number(n) === 1 ? 'item' : 'items'}`;

function kindName(expected: string): string {
  switch (expected) {
    case 'number':
      return 'a number';
    case 'int':
      return 'a whole number';
    case 'boolean':
      return 'on or off';
    case 'string':
      return 'text';
    case 'array':
      return 'a list';
    case 'object':
      return 'a set of named values';
    default:
      return `a ${expected}`;
  }
}

/** The predicate of the sentence: "must be at least 256", "must be one of NFC, NFKC". */
function predicate(issue: z.core.$ZodIssue): string | null {
  switch (issue.code) {
    case 'too_small': {
      const min = issue.minimum;
      if (issue.origin === 'string') return Number(min) <= 1 ? 'must not be empty' : `must be at least ${count(min)} characters long`;
      if (issue.origin === 'array' || issue.origin === 'set') return `must have at least ${items(min)}`;
      if (issue.inclusive === false) return `must be more than ${count(min)}`;
      return `must be at least ${count(min)}`;
    }
    case 'too_big': {
      const max = issue.maximum;
      if (issue.origin === 'string') return `must be at most ${count(max)} characters long`;
      if (issue.origin === 'array' || issue.origin === 'set') return `must have at most ${items(max)}`;
      if (issue.inclusive === false) return `must be less than ${count(max)}`;
      return `must be at most ${count(max)}`;
    }
    case 'invalid_type':
      // zod reports an absent field as the wrong type ("expected string, received undefined").
      return / received undefined$/.test(issue.message) ? 'is missing' : `must be ${kindName(issue.expected)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => String(v)).join(', ')}`;
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    case 'invalid_format':
      return issue.format === 'regex' ? 'is not in the expected form' : `must be a valid ${issue.format}`;
    default:
      return null;
  }
}

/** Ends with a period (zod's own messages have none). */
export function asSentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/**
 * "Vocabulary size must be at least 256." for `label` = "Vocabulary size". A schema's own
 * message is returned as it is (as a sentence).
 */
export function issueSentence(label: string, issue: z.core.$ZodIssue): string {
  if (!BUILT_IN.test(issue.message)) return asSentence(issue.message);
  const said = predicate(issue);
  if (said === null) return asSentence(`${label}: ${issue.message.replace(/^Invalid input: /, '')}`);
  return `${label} ${said}.`;
}

/** "replacePattern" → "Replace pattern": a param's label when its schema has no description. */
export function labelFromName(name: string): string {
  const words = name.replace(/([A-Z])/g, ' $1').trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The label a params form shows for a field: its schema description ("Vocabulary size (256
 * bytes + merges + specials)" → "Vocabulary size"), else its name.
 */
export function paramLabel(schema: z.ZodType, field: string): string {
  const shape = (schema as { shape?: Record<string, { description?: string }> }).shape;
  const described = shape && Object.hasOwn(shape, field) ? shape[field]?.description : undefined;
  if (!described) return labelFromName(field);
  const short = described.replace(/\s*\(.*\)\s*$/, '');
  // "n (units per n-gram, 1–5)": a one-letter name needs its explanation to read as a setting.
  return short.length > 2 ? short : `The setting ${described}`;
}

/**
 * The sentence a learner reads for each kind of wrong setting: the bound the schema enforces, in
 * words, with the setting's label; a schema's own message kept as written; and labels read from a
 * setting's description or its name.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { asSentence, issueSentence, labelFromName, paramLabel } from '@/nodes/engine/issue-sentence';

/** The sentence for the first problem `schema` finds in `value`. */
function sentence(schema: z.ZodType, value: unknown, label = 'Vocabulary size'): string {
  const parsed = schema.safeParse(value);
  if (parsed.success) throw new Error('the value was accepted');
  return issueSentence(label, parsed.error.issues[0]!);
}

describe('the sentence for a wrong setting', () => {
  it('states a number bound in words, inclusive or not, with thousands separated', () => {
    expect(sentence(z.number().min(256), 100)).toBe('Vocabulary size must be at least 256.');
    expect(sentence(z.number().max(50_000), 60_000)).toBe('Vocabulary size must be at most 50,000.');
    expect(sentence(z.number().gt(0), 0)).toBe('Vocabulary size must be more than 0.');
    expect(sentence(z.number().lt(1), 1)).toBe('Vocabulary size must be less than 1.');
    expect(sentence(z.number().multipleOf(8), 12)).toBe('Vocabulary size must be a multiple of 8.');
  });

  it('states text and list bounds in characters and items', () => {
    expect(sentence(z.string().min(1), '', 'Pattern')).toBe('Pattern must not be empty.');
    expect(sentence(z.string().min(3), 'ab', 'Pattern')).toBe('Pattern must be at least 3 characters long.');
    expect(sentence(z.string().max(2_000), 'a'.repeat(2_001), 'Pattern')).toBe('Pattern must be at most 2,000 characters long.');
    expect(sentence(z.array(z.string()).min(1), [], 'Specials')).toBe('Specials must have at least 1 item.');
    expect(sentence(z.array(z.string()).min(2), ['a'], 'Specials')).toBe('Specials must have at least 2 items.');
    expect(sentence(z.array(z.string()).max(3), ['a', 'b', 'c', 'd'], 'Specials')).toBe('Specials must have at most 3 items.');
  });

  it('names the kind of value a setting takes', () => {
    expect(sentence(z.number(), 'x')).toBe('Vocabulary size must be a number.');
    expect(sentence(z.boolean(), 1, 'Lowercase')).toBe('Lowercase must be on or off.');
    expect(sentence(z.string(), 1, 'Pattern')).toBe('Pattern must be text.');
    expect(sentence(z.array(z.string()), 'a', 'Specials')).toBe('Specials must be a list.');
    expect(sentence(z.object({}), 'a', 'Settings')).toBe('Settings must be a set of named values.');
    expect(sentence(z.bigint(), 'a', 'Seed')).toBe('Seed must be a bigint.');
    expect(sentence(z.int(), 1.5, 'Seed')).toBe('Seed must be a whole number.');
  });

  it('lists the choices of a setting with a fixed set of values', () => {
    expect(sentence(z.enum(['NFC', 'NFKC']), 'NFX', 'Unicode form')).toBe('Unicode form must be one of NFC, NFKC.');
    expect(sentence(z.literal(3), 4, 'n')).toBe('n must be one of 3.');
  });

  it('says a pattern is not in the expected form, and names other formats', () => {
    expect(sentence(z.string().regex(/^[a-z]+$/), 'A1', 'Name')).toBe('Name is not in the expected form.');
    expect(sentence(z.email(), 'nobody', 'Address')).toBe('Address must be a valid email.');
  });

  it('keeps a message the schema wrote itself, as a sentence', () => {
    expect(sentence(z.number().min(256, 'A vocabulary must hold at least the 256 bytes'), 1)).toBe('A vocabulary must hold at least the 256 bytes.');
    expect(sentence(z.number().refine((n) => n % 2 === 0, 'Pick an even number!'), 1)).toBe('Pick an even number!');
  });

  it('falls back to the label and zod’s words for a problem it has no sentence for', () => {
    const schema = z.object({ a: z.number() }).strict();
    expect(sentence(schema, { a: 1, b: 2 }, 'Settings')).toMatch(/^Settings: Unrecognized key: "b"\.$/);
  });
});

describe('sentences and labels', () => {
  it('ends a text with a period unless it ends a sentence already, and trims it', () => {
    expect(asSentence('  Connect a text  ')).toBe('Connect a text.');
    expect(asSentence('Done.')).toBe('Done.');
    expect(asSentence('Really?')).toBe('Really?');
    expect(asSentence('Stop!')).toBe('Stop!');
  });

  it('reads a setting’s name as words when it has no description', () => {
    expect(labelFromName('replacePattern')).toBe('Replace pattern');
    expect(labelFromName('vocabSize')).toBe('Vocab size');
    expect(labelFromName('seed')).toBe('Seed');
  });

  it('takes the label from the description without its explanation, and keeps it for a one-letter name', () => {
    const schema = z.object({
      vocabSize: z.number().describe('Vocabulary size (256 bytes + merges + specials)'),
      n: z.number().describe('n (units per n-gram, 1–5)'),
      topK: z.number(),
    });
    expect(paramLabel(schema, 'vocabSize')).toBe('Vocabulary size');
    expect(paramLabel(schema, 'n')).toBe('The setting n (units per n-gram, 1–5)');
    expect(paramLabel(schema, 'topK')).toBe('Top k');
    expect(paramLabel(schema, 'toString')).toBe('To string');
    expect(paramLabel(z.string(), 'field')).toBe('Field');
  });
});

/** Clean: Unicode normalisation and other text cleaning before tokenization. */
import { z } from 'zod';
import { defineNode } from '../engine/define-node';
import { cleanText, UNICODE_FORMS } from './clean';
import { describeChanges } from './changes';
import { findLoneSurrogates } from '../text/text';
import { userRegexRefusal } from '../shared/user-regex';
import { graphemeColumns } from '../text/graphemes';

export const cleanNode = defineNode({
  type: 'clean',
  version: 1,
  title: 'Clean',
  question: 'Why normalise first?',
  summary: 'Unicode forms (NFC, NFKC…), lowercase, accents, control characters, whitespace.',
  category: 'text',
  inputs: { text: { kind: 'text', label: 'text' } },
  outputs: { text: { kind: 'text', label: 'clean text' } },
  params: z.object({
    form: z.enum(UNICODE_FORMS).default('NFC').describe('Unicode form'),
    lowercase: z.boolean().default(false).describe('Lowercase'),
    stripAccents: z.boolean().default(false).describe('Strip accents (é → e)'),
    stripControl: z.boolean().default(true).describe('Strip control and invisible format characters'),
    collapseWhitespace: z.boolean().default(false).describe('Collapse runs of spaces'),
    replaceInvalid: z.boolean().default(true).describe('Replace invalid Unicode (lone surrogates) with U+FFFD'),
    replacePattern: z
      .string()
      .max(500)
      .default('')
      .superRefine((pattern, ctx) => {
        const refusal = userRegexRefusal(pattern);
        if (refusal) ctx.addIssue({ code: 'custom', message: refusal });
      })
      .describe('Replace pattern (regular expression, RE2 semantics)'),
    replaceWith: z.string().max(500).default('').describe('Replace with'),
  }),
  run: ({ text }, params) => {
    const { text: cleaned, steps, loneSurrogates } = cleanText(text, params);
    return { text: cleaned, details: { steps, loneSurrogates } };
  },
  view: ({ inputs, outputs, details }) => {
    return {
      steps: details?.steps ?? [],
      loneSurrogates: details?.loneSurrogates ?? [],
      outputLoneSurrogates: findLoneSurrogates(outputs.text).length,
      ...describeChanges(inputs.text, outputs.text),
      /** The cleaned text as graphemes, code points and bytes. */
      graphemes: graphemeColumns(outputs.text),
    };
  },
});

import type { CleanOptions } from '@/nodes/clean/clean';

/** Clean with every step off: tests switch on the one they look at. */
export const OFF: CleanOptions = {
  form: 'none',
  lowercase: false,
  stripAccents: false,
  stripControl: false,
  collapseWhitespace: false,
  replaceInvalid: false,
  replacePattern: '',
  replaceWith: '',
};

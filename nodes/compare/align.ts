/**
 * Compare view: line up 2–4 tokenizations of the same text over the same characters, count
 * them, and answer "Are token IDs the same across models?" from the data.
 *
 * Columns are cut at the union of every tokenization's token boundaries, so each row's cells
 * span whole columns. Tokens that share characters (GPT-2's three byte tokens for 'ଜ', LLaMA's
 * '<0xE0>' bytes) are grouped into one cell; tokens with no offsets ([CLS], <s>) are listed
 * apart, as `added`.
 *
 *   text 'I love'      columns: 'I' | ' ' | 'love'
 *   GPT-2              [I 40] [Ġlove 1842 ------]
 *   BERT               [i 1045]      [love 2293]      (+ [CLS] [SEP] added)
 *
 * Pure: no tokenizer code, works on any tokenization with offsets (pretrained or trained here).
 * Not handled here: computing offsets (nodes/pretrained), drawing (components/).
 */

export interface CompareToken {
  piece: string;
  id: number;
  /** UTF-16 offsets, end exclusive; null for tokens that stand for no text ([CLS], <s>). */
  start: number | null;
  end: number | null;
}

export interface CompareInput {
  /** 'GPT-2', 'BERT', 'TinyLlama' … */
  label: string;
  tokens: readonly CompareToken[];
}

export interface CompareColumn {
  start: number;
  end: number;
  text: string;
}

export interface CompareCell {
  /** Index of the first column the cell covers, and how many columns it covers (0 for a zero-width token). */
  column: number;
  columnSpan: number;
  start: number;
  end: number;
  /** Indices into the row's tokens, in order. */
  tokenIndices: number[];
  pieces: string[];
  ids: number[];
}

export interface CompareRow {
  label: string;
  cells: CompareCell[];
  /** Tokens without offsets, e.g. [CLS], [SEP], <s>. */
  added: Array<{ index: number; piece: string; id: number }>;
  tokenCount: number;
  /** Tokens that stand for text (all minus `added`). */
  textTokenCount: number;
  /** Characters (code points) of the text per text token; null when there are none. */
  charsPerToken: number | null;
}

export interface WordAcrossRows {
  /** The word as it appears in the input. */
  text: string;
  start: number;
  end: number;
  /** One entry per row: the single token that spells exactly this word, or null if the row splits it. */
  perRow: Array<{ piece: string; id: number } | null>;
}

export interface CompareView {
  text: string;
  columns: CompareColumn[];
  rows: CompareRow[];
  /** Words every row spells as one token (up to 20), the evidence behind `sameIdsAnswer`. */
  sharedWords: WordAcrossRows[];
  sameIdsAnswer: string;
}

function codePointLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Group tokens whose spans overlap; a zero-width token joins the cell that starts where it sits. */
function groupIntoCells(tokens: readonly CompareToken[]): Array<Omit<CompareCell, 'column' | 'columnSpan'>> {
  const cells: Array<Omit<CompareCell, 'column' | 'columnSpan'>> = [];
  tokens.forEach((token, index) => {
    if (token.start === null || token.end === null) return;
    const current = cells[cells.length - 1];
    const overlaps = current !== undefined && (token.start < current.end || (current.start === current.end && token.start === current.start));
    if (current && overlaps) {
      current.end = Math.max(current.end, token.end);
      current.tokenIndices.push(index);
      current.pieces.push(token.piece);
      current.ids.push(token.id);
    } else {
      cells.push({ start: token.start, end: token.end, tokenIndices: [index], pieces: [token.piece], ids: [token.id] });
    }
  });
  return cells;
}

/**
 * A normalizer that strips accents (BERT uncased) drops combining marks, so its token's offsets
 * stop short of the word: Odia 'କରନ୍ତୁ' [8,14) comes back as [UNK] [8,13), its vowel sign 'ୁ'
 * covered by no token. The mark belongs to the token before it, so the cell is widened over
 * the marks no token of the row covers, and the row shows [UNK] over the whole word, not a blank.
 */
function widenOverDroppedMarks(text: string, cells: Array<Omit<CompareCell, 'column' | 'columnSpan'>>): void {
  cells.forEach((cell, i) => {
    const limit = cells[i + 1]?.start ?? text.length;
    if (cell.end <= cell.start) return;
    while (cell.end < limit) {
      const next = String.fromCodePoint(text.codePointAt(cell.end)!);
      if (!/^\p{M}$/u.test(next)) break;
      cell.end += next.length;
    }
  });
}

/** The input span without leading/trailing whitespace: GPT-2's 'Ġlove' [1,6) -> [2,6). */
function trimSpan(text: string, start: number, end: number): [number, number] {
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  return [start, end];
}

/**
 * How a row writes a word, for the answer sentence:
 *   ('I', 'I')      -> ''                                  (written as in the text)
 *   ('I', 'i')      -> " (after lowercasing to 'i')"
 *   ('Café', 'cafe') -> " (after lowercasing and removing accents to 'cafe')"
 *   ('I', '▁I')     -> " (as '▁I')"
 */
function howWritten(word: string, piece: string): string {
  if (piece === word) return '';
  const lower = word.toLowerCase();
  if (piece === lower) return ` (after lowercasing to '${piece}')`;
  const stripped = lower.normalize('NFD').replace(/\p{Mn}/gu, '');
  if (piece === stripped) return ` (after lowercasing and removing accents to '${piece}')`;
  return ` (as '${piece}')`;
}

/** A word: letters, digits and the marks that belong to them (Odia vowel signs, viramas). */
const WORD = /[\p{L}\p{N}\p{M}]+/gu;
const isLatin = (word: string) => /\p{Script=Latin}/u.test(word);
/** A word with letters, in the text's main script (a number is in no script). */
const inMainScript = (word: string, latinText: boolean) => /\p{L}/u.test(word) && isLatin(word) === latinText;

function findSharedWords(text: string, inputs: readonly CompareInput[]): WordAcrossRows[] {
  const words: WordAcrossRows[] = [];
  for (const match of text.matchAll(WORD)) {
    const start = match.index;
    const end = start + match[0].length;
    const perRow = inputs.map((input) => {
      const exact = input.tokens.filter((t) => {
        if (t.start === null || t.end === null) return false;
        const [s, e] = trimSpan(text, t.start, t.end);
        return s === start && e === end;
      });
      // Exactly one token spells the word and no other token touches it.
      const touching = input.tokens.filter((t) => t.start !== null && t.end !== null && t.start < end && t.end > start);
      const only = exact[0];
      return exact.length === 1 && touching.length === 1 && only ? { piece: only.piece, id: only.id } : null;
    });
    if (perRow.every((entry) => entry !== null)) words.push({ text: match[0], start, end, perRow });
    if (words.length >= 20) break;
  }
  return words;
}

/** Whether most of the text's letters (with their marks: Odia vowel signs count) are Latin ones. */
function mostlyLatin(text: string): boolean {
  const letters = text.match(/[\p{L}\p{M}]/gu) ?? [];
  const latin = letters.filter((c) => isLatin(c)).length;
  return latin * 2 >= letters.length;
}

/** The first word (with a letter) in the text's main script, when no word is one token everywhere. */
function firstWordInScript(text: string, latin: boolean): { text: string; start: number; end: number } | undefined {
  for (const match of text.matchAll(WORD)) {
    if (inMainScript(match[0], latin)) return { text: match[0], start: match.index, end: match.index + match[0].length };
  }
  return undefined;
}

/** "'ଭାଷା' is 612 in Odia BPE, 12 tokens in GPT-2 (…), 100 in BERT (as '[UNK]') and …": how each row writes one word. */
function splitSentence(text: string, word: { text: string; start: number; end: number }, inputs: readonly CompareInput[]): string {
  const parts = inputs.map((input) => {
    const touching = input.tokens.filter((t) => t.start !== null && t.end !== null && t.start < word.end && t.end > word.start);
    if (touching.length === 0) return `no token in ${input.label}`;
    if (touching.length === 1) return `${touching[0]!.id} in ${input.label}${howWritten(word.text, touching[0]!.piece)}`;
    const ids = touching.slice(0, 6).map((t) => t.id).join(' ');
    return `${touching.length} tokens in ${input.label} (${ids}${touching.length > 6 ? ' …' : ''})`;
  });
  return `'${word.text}' is ${parts.slice(0, -1).join(', ')}${parts.length > 2 ? ',' : ''} and ${parts[parts.length - 1]}`;
}

/**
 * One sentence from the data, e.g.
 *   "No: each model has its own vocabulary. 'I' is 40 in GPT-2, 1045 in BERT (after lowercasing to 'i'), 306 in TinyLlama (as '▁I')."
 */
function answerSameIds(text: string, inputs: readonly CompareInput[], shared: readonly WordAcrossRows[], rows: readonly CompareRow[]): string {
  if (inputs.length < 2) return 'Add a second tokenization to compare IDs.';
  const sameSequence = inputs.every(
    (input) =>
      input.tokens.length === inputs[0]!.tokens.length &&
      input.tokens.every((t, i) => t.id === inputs[0]!.tokens[i]!.id && t.piece === inputs[0]!.tokens[i]!.piece),
  );
  if (sameSequence) {
    return `Yes, here: all ${inputs.length} tokenizations give the same ${inputs[0]!.tokens.length} tokens with the same IDs, so they share a vocabulary.`;
  }
  // The example is a word in the text's own script: on Odia, an Odia word, not a stray Latin 'I'.
  const latinText = mostlyLatin(text);
  const inScript = shared.filter((word) => inMainScript(word.text, latinText));
  const example = inScript.find((word) => new Set(word.perRow.map((entry) => entry!.id)).size > 1) ?? inScript[0];
  // Every shared word is in another script: describe a word of the text's own, however each row cuts it.
  const split = example || shared.length === 0 ? undefined : firstWordInScript(text, latinText);
  if (split) return `No: each model numbers its own vocabulary, and cuts words its own way. ${splitSentence(text, split, inputs)}.`;
  if (!example) {
    const firsts = rows.map((row, r) => {
      const cell = row.cells[0];
      return cell ? `${inputs[r]!.label} starts with ${cell.pieces.map((p, i) => `'${p}' (${cell.ids[i]})`).join(' ')}` : `${inputs[r]!.label} has no text tokens`;
    });
    return `No: the models do not even cut the text the same way, so IDs cannot line up. ${firsts.join('; ')}.`;
  }
  const parts = example.perRow.map((entry, r) => `${entry!.id} in ${inputs[r]!.label}${howWritten(example.text, entry!.piece)}`);
  const sentence = `'${example.text}' is ${parts.slice(0, -1).join(', ')}${parts.length > 2 ? ',' : ''} and ${parts[parts.length - 1]}`;
  const distinct = new Set(example.perRow.map((entry) => entry!.id)).size;
  if (distinct === 1) {
    return `Here, partly: ${sentence}; that is because these models share (part of) a vocabulary, not a rule: IDs are positions in each model's own vocabulary.`;
  }
  return `No: each model numbers its own vocabulary. ${sentence}.`;
}

/**
 * Align 2–4 tokenizations of `text`.
 *
 *   alignTokenizations('I love', [
 *     { label: 'GPT-2', tokens: [{ piece: 'I', id: 40, start: 0, end: 1 }, { piece: 'Ġlove', id: 1842, start: 1, end: 6 }] },
 *     { label: 'BERT', tokens: [{ piece: 'i', id: 1045, start: 0, end: 1 }, { piece: 'love', id: 2293, start: 2, end: 6 }] },
 *   ]).columns.map((c) => c.text)   // ['I', ' ', 'love']
 */
export function alignTokenizations(text: string, inputs: readonly CompareInput[]): CompareView {
  const grouped = inputs.map((input) => groupIntoCells(input.tokens));
  for (const cells of grouped) widenOverDroppedMarks(text, cells);
  const boundaries = new Set<number>([0, text.length]);
  for (const cells of grouped) for (const cell of cells) boundaries.add(cell.start).add(cell.end);
  const cuts = [...boundaries].filter((b) => b >= 0 && b <= text.length).sort((a, b) => a - b);
  const columns: CompareColumn[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const start = cuts[i]!;
    const end = cuts[i + 1]!;
    columns.push({ start, end, text: text.slice(start, end) });
  }
  const columnStartingAt = new Map(columns.map((c, i) => [c.start, i]));
  const columnEndingAt = new Map(columns.map((c, i) => [c.end, i]));
  const totalChars = codePointLength(text);

  const rows: CompareRow[] = inputs.map((input, r) => {
    const cells = grouped[r]!.map((cell): CompareCell => {
      const first = columnStartingAt.get(cell.start) ?? columns.length;
      const last = cell.end > cell.start ? columnEndingAt.get(cell.end) ?? first : first - 1;
      return { ...cell, column: first, columnSpan: last - first + 1 };
    });
    const added = input.tokens.flatMap((t, index) => (t.start === null || t.end === null ? [{ index, piece: t.piece, id: t.id }] : []));
    const textTokenCount = input.tokens.length - added.length;
    return {
      label: input.label,
      cells,
      added,
      tokenCount: input.tokens.length,
      textTokenCount,
      charsPerToken: textTokenCount > 0 ? Math.round((totalChars / textTokenCount) * 100) / 100 : null,
    };
  });
  const sharedWords = findSharedWords(text, inputs);
  return { text, columns, rows, sharedWords, sameIdsAnswer: answerSameIds(text, inputs, sharedWords, rows) };
}

/**
 * The Compare view's alignment: columns at the union of token boundaries, shared characters
 * grouped, counts, and the "same IDs?" answer, on hand-made data and on the shipped tokenizers.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alignTokenizations, type CompareInput } from '@/nodes/compare/align';
import { encodeWithPieces, loadPretrainedTokenizer, SHIPPED_TOKENIZER_LABELS, SHIPPED_TOKENIZERS } from '@/nodes/pretrained/pretrained';
import { loadCorpus } from '@/nodes/text/odia-corpus';

const HUB = join(__dirname, '..', '..', '..', '..', 'public', 'hub') + '/';

const t = (piece: string, id: number, start: number | null, end: number | null) => ({ piece, id, start, end });

describe('alignTokenizations on hand-made tokenizations', () => {
  const text = 'I love';
  const gpt2: CompareInput = { label: 'GPT-2', tokens: [t('I', 40, 0, 1), t('Ġlove', 1842, 1, 6)] };
  const bert: CompareInput = { label: 'BERT', tokens: [t('[CLS]', 101, null, null), t('i', 1045, 0, 1), t('love', 2293, 2, 6), t('[SEP]', 102, null, null)] };

  it('cuts columns at the union of token boundaries', () => {
    const view = alignTokenizations(text, [gpt2, bert]);
    expect(view.columns.map((c) => c.text)).toEqual(['I', ' ', 'love']);
    expect(view.rows[0]!.cells.map((c) => [c.column, c.columnSpan])).toEqual([[0, 1], [1, 2]]);
    expect(view.rows[1]!.cells.map((c) => [c.column, c.columnSpan])).toEqual([[0, 1], [2, 1]]);
  });

  it('keeps tokens without offsets apart and counts only text tokens in chars per token', () => {
    const view = alignTokenizations(text, [gpt2, bert]);
    expect(view.rows[1]!.added.map((a) => a.piece)).toEqual(['[CLS]', '[SEP]']);
    expect(view.rows.map((r) => [r.tokenCount, r.textTokenCount, r.charsPerToken])).toEqual([[2, 2, 3], [4, 2, 3]]);
  });

  it('answers the same-IDs question with a word every model spells as one token', () => {
    const view = alignTokenizations(text, [gpt2, bert]);
    expect(view.sameIdsAnswer).toBe("No: each model numbers its own vocabulary. 'I' is 40 in GPT-2 and 1045 in BERT (after lowercasing to 'i').");
    expect(view.sharedWords.map((w) => [w.text, w.perRow.map((e) => e?.id)])).toEqual([['I', [40, 1045]], ['love', [1842, 2293]]]);
  });

  it('says yes when the tokenizations are identical', () => {
    const view = alignTokenizations(text, [gpt2, { ...gpt2, label: 'GPT-2 again' }]);
    expect(view.sameIdsAnswer).toMatch(/^Yes, here: all 2 tokenizations give the same 2 tokens/);
  });

  it('groups the byte tokens of one multi-byte character into one cell', () => {
    // 'ଜଣ': GPT-2 spends 3 byte tokens on each character; a made-up tokenizer has one token for both.
    const bytes: CompareInput = {
      label: 'GPT-2',
      tokens: [t('à', 156, 0, 1), t('¬', 105, 0, 1), t('ľ', 250, 0, 1), t('à', 156, 1, 2), t('¬', 105, 1, 2), t('£', 96, 1, 2)],
    };
    const whole: CompareInput = { label: 'Whole', tokens: [t('ଜଣ', 7, 0, 2)] };
    const view = alignTokenizations('ଜଣ', [bytes, whole]);
    expect(view.columns.map((c) => c.text)).toEqual(['ଜ', 'ଣ']);
    expect(view.rows[0]!.cells.map((c) => c.pieces)).toEqual([['à', '¬', 'ľ'], ['à', '¬', '£']]);
    expect(view.rows[1]!.cells).toEqual([{ column: 0, columnSpan: 2, start: 0, end: 2, tokenIndices: [0], pieces: ['ଜଣ'], ids: [7] }]);
    expect(view.rows.map((r) => r.charsPerToken)).toEqual([0.33, 2]);
  });

  it('groups a byte token that straddles two characters with its neighbours', () => {
    // GPT-2 on ' ΟΔ': 'ĠÎ' holds the space and Ο's first byte, so ' Ο' forms one cell.
    const row: CompareInput = { label: 'GPT-2', tokens: [t('ĠÎ', 7377, 0, 2), t('Ł', 253, 1, 2), t('Î', 138, 2, 3), t('Ķ', 242, 2, 3)] };
    const view = alignTokenizations(' ΟΔ', [row, row]);
    expect(view.rows[0]!.cells.map((c) => [c.start, c.end, c.ids])).toEqual([[0, 2, [7377, 253]], [2, 3, [138, 242]]]);
  });

  it('lines up byte-fallback tokens and [UNK] over the same Odia word', () => {
    const llama: CompareInput = {
      label: 'TinyLlama',
      tokens: [t('<s>', 1, null, null), t('▁', 29871, 0, 1), t('<0xE0>', 227, 0, 1), t('<0xAC>', 175, 0, 1), t('<0x9C>', 159, 0, 1)],
    };
    const bert: CompareInput = { label: 'BERT', tokens: [t('[UNK]', 100, 0, 1)] };
    const view = alignTokenizations('ଜ', [llama, bert]);
    expect(view.columns).toEqual([{ start: 0, end: 1, text: 'ଜ' }]);
    expect(view.rows[0]!.cells[0]!.pieces).toEqual(['▁', '<0xE0>', '<0xAC>', '<0x9C>']);
    expect(view.rows[1]!.cells[0]!.pieces).toEqual(['[UNK]']);
    expect(view.sameIdsAnswer).toMatch(/^No: the models do not even cut the text the same way/);
    expect(view.sameIdsAnswer).toContain("BERT starts with '[UNK]' (100)");
  });

  it('widens a [UNK] over the vowel sign its normalizer dropped, so no cell of the word is blank', () => {
    // BERT strips accents: 'କରନ୍ତୁ' [0,6) comes back as one [UNK] over [0,5), the final 'ୁ' uncovered.
    const bert: CompareInput = { label: 'BERT', tokens: [t('[CLS]', 101, null, null), t('[UNK]', 100, 0, 5), t('[SEP]', 102, null, null)] };
    const other: CompareInput = { label: 'Odia BPE', tokens: [t('କରନ୍ତୁ', 700, 0, 6)] };
    const view = alignTokenizations('କରନ୍ତୁ', [other, bert]);
    expect(view.columns.map((c) => c.text)).toEqual(['କରନ୍ତୁ']);
    expect(view.rows[1]!.cells.map((c) => [c.pieces, c.column, c.columnSpan])).toEqual([[['[UNK]'], 0, 1]]);
  });

  it('picks an Odia word as the example on Odia text, not a Latin word every model happens to share', () => {
    const text = 'ଭାଷା xx';
    const bpe: CompareInput = { label: 'Odia BPE', tokens: [t('ଭାଷା', 612, 0, 4), t('Ġxx', 900, 4, 7)] };
    const gpt2: CompareInput = { label: 'GPT-2', tokens: [t('à¬', 11, 0, 1), t('Ń', 12, 0, 1), t('à¬¾', 13, 1, 2), t('à¬·', 14, 2, 3), t('à¬¾', 13, 3, 4), t('Ġxx', 31383, 4, 7)] };
    const bert: CompareInput = { label: 'BERT', tokens: [t('[UNK]', 100, 0, 3), t('xx', 22038, 5, 7)] };
    const view = alignTokenizations(text, [bpe, gpt2, bert]);
    expect(view.sharedWords.map((w) => w.text)).toEqual(['xx']);
    expect(view.sameIdsAnswer).toBe(
      "No: each model numbers its own vocabulary, and cuts words its own way. 'ଭାଷା' is 612 in Odia BPE, 5 tokens in GPT-2 (11 12 13 14 13), and 100 in BERT (as '[UNK]').",
    );
    expect(view.sameIdsAnswer).not.toContain("'xx'");
  });

  it('leaves characters no token covers as columns without cells', () => {
    const view = alignTokenizations('a b', [
      { label: 'BERT', tokens: [t('a', 1037, 0, 1), t('b', 1038, 2, 3)] },
      { label: 'Other', tokens: [t('a', 1, 0, 1), t('b', 2, 2, 3)] },
    ]);
    expect(view.columns.map((c) => c.text)).toEqual(['a', ' ', 'b']);
    expect(view.rows[0]!.cells.map((c) => c.column)).toEqual([0, 2]);
  });
});

describe('alignTokenizations on the shipped tokenizers', () => {
  it("answers from real data: 'I' is 40 in GPT-2, 1045 in BERT, 306 in TinyLlama", async () => {
    const text = 'I love NLP';
    const inputs = await Promise.all(
      SHIPPED_TOKENIZERS.map(async (name) => {
        const loaded = await loadPretrainedTokenizer(name, { localModelPath: HUB, allowRemote: false });
        return { label: SHIPPED_TOKENIZER_LABELS[name], tokens: encodeWithPieces(loaded, text).pieces };
      }),
    );
    const view = alignTokenizations(text, inputs);
    expect(view.sameIdsAnswer).toBe(
      "No: each model numbers its own vocabulary. 'I' is 40 in GPT-2, 1045 in BERT (after lowercasing to 'i'), and 306 in TinyLlama (as '▁I').",
    );
    expect(view.columns.map((c) => c.text)).toEqual(['I', ' ', 'love', ' ', 'N', 'L', 'P']);
    expect(view.rows.map((r) => r.tokenCount)).toEqual([4, 6, 5]);
    expect(view.rows.map((r) => r.textTokenCount)).toEqual([4, 4, 4]);
    expect(view.sharedWords.map((w) => w.text)).toEqual(['I', 'love']);
  });

  it('on the held-out Odia, names an Odia word in the answer and shows BERT\'s [UNK] over every Odia column', async () => {
    const text = (await loadCorpus('odia-heldout')).slice(0, 2000).normalize('NFC');
    const inputs = await Promise.all(
      SHIPPED_TOKENIZERS.map(async (name) => {
        const loaded = await loadPretrainedTokenizer(name, { localModelPath: HUB, allowRemote: false });
        return { label: SHIPPED_TOKENIZER_LABELS[name], tokens: encodeWithPieces(loaded, text).pieces };
      }),
    );
    const view = alignTokenizations(text, inputs);
    const example = view.sameIdsAnswer.match(/'([^']+)' is /)?.[1];
    expect(example).toMatch(/^[\u0B00-\u0B7F]+$/);
    const bert = view.rows[1]!;
    expect(bert.label).toBe('BERT');
    const covered = new Set(bert.cells.flatMap((c) => Array.from({ length: c.columnSpan }, (_, k) => c.column + k)));
    const blank = view.columns.filter((c, i) => /[\p{L}\p{M}]/u.test(c.text) && !covered.has(i));
    expect(blank).toEqual([]);
  });
});


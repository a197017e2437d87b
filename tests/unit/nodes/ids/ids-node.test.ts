/**
 * The IDs node around buildInputIds: which special tokens it adds or strips for each mode, what
 * it says when the tokenizer needed for that is not wired or has no such tokens, and its
 * vocabulary browser's answers (NodeDefinition.query).
 */
import { describe, expect, it } from 'vitest';
import { createRecipeCache, type RecipeCache } from '@/nodes/engine/cache';
import { execute, type NodeOutcome } from '@/nodes/engine/executor';
import { nodeKinds, registry, type ViewOf } from '@/nodes';
import { graph, nodeResources } from '../../engine/fixtures';

/** A finished (or failed) IDs node; `message` is set when it failed. */
type IdsOutcome = { status: NodeOutcome['status']; key: string; message?: string; view: ViewOf<'ids'>; outputs: { ids: { ids: number[]; attentionMask: number[] } } };

/** Text → pretrained tokenizer → IDs, with the tokenizer wired into IDs unless `wireTokenizer` is false. */
async function idsFor(text: string, model: string, params: Record<string, unknown>, options: { wireTokenizer?: boolean; cache?: RecipeCache } = {}) {
  const edges: [string, string, string, string][] = [
    ['t', 'tok', 'text', 'text'],
    ['tok', 'ids', 'tokens', 'tokens'],
  ];
  if (options.wireTokenizer !== false) edges.push(['tok', 'ids', 'tokenizer', 'tokenizer']);
  const doc = graph(
    [
      ['t', 'text', { text }],
      ['tok', 'pretrained', { model }],
      ['ids', 'ids', params],
    ],
    edges,
  );
  const report = await execute(doc, { registry, cache: options.cache ?? createRecipeCache(), where: 'server', resources: nodeResources });
  return report.outcomes.get('ids') as unknown as IdsOutcome;
}

describe('the IDs node’s special-token modes', () => {
  it('passes BERT’s own [CLS] … [SEP] through as they are', async () => {
    const outcome = await idsFor('I love NLP', 'bert-base-uncased', { special: 'as-is' });
    expect(outcome.outputs.ids.ids).toEqual([101, 1045, 2293, 17953, 2361, 102]);
    expect(outcome.view.rows.map((r) => r.added)).toEqual([true, false, false, false, false, true]);
  });

  it('strips the special tokens the tokenizer added', async () => {
    const outcome = await idsFor('I love NLP', 'bert-base-uncased', { special: 'strip' });
    expect(outcome.outputs.ids.ids).toEqual([1045, 2293, 17953, 2361]);
  });

  it('wraps GPT-2’s IDs in its end-of-text token for bos-eos', async () => {
    const outcome = await idsFor('I love NLP', 'gpt2', { special: 'bos-eos' });
    expect(outcome.outputs.ids.ids).toEqual([50256, 40, 1842, 399, 19930, 50256]);
    expect(outcome.outputs.ids.attentionMask).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('asks for the tokenizer wire when told to add special tokens without one', async () => {
    const outcome = await idsFor('I love NLP', 'gpt2', { special: 'cls-sep' }, { wireTokenizer: false });
    expect(outcome.status).toBe('error');
    expect(outcome.message).toBe('Wire the tokenizer into the IDs node to add its special tokens.');
  });

  it('says so when the tokenizer has no [CLS]/[SEP]', async () => {
    const outcome = await idsFor('I love NLP', 'gpt2', { special: 'cls-sep' });
    expect(outcome.status).toBe('error');
    expect(outcome.message).toMatch(/^GPT-2.* has no \[CLS\]\/\[SEP\] tokens\.$/);
  });

  it('pads with GPT-2’s end-of-text token (it has no padding token) and masks the padding', async () => {
    const outcome = await idsFor('I love NLP', 'gpt2', { maxLength: 7, padding: true });
    expect(outcome.outputs.ids.ids).toEqual([40, 1842, 399, 19930, 50256, 50256, 50256]);
    expect(outcome.outputs.ids.attentionMask).toEqual([1, 1, 1, 1, 0, 0, 0]);
    expect(outcome.view.padded).toBe(3);
  });
});

describe('the IDs node’s special tokens, tokenizer by tokenizer', () => {
  it('keeps BERT’s [UNK] when stripping, as text it could not spell, and does not mark it as special', async () => {
    const asIs = await idsFor('I love 🦜', 'bert-base-uncased', { special: 'as-is' });
    expect(asIs.outputs.ids.ids).toEqual([101, 1045, 2293, 100, 102]);
    expect(asIs.view.rows.map((r) => r.added)).toEqual([true, false, false, false, true]);
    const stripped = await idsFor('I love 🦜', 'bert-base-uncased', { special: 'strip' });
    expect(stripped.outputs.ids.ids).toEqual([1045, 2293, 100]);
  });

  it('strips an end-of-text marker typed into the text too', async () => {
    const typed = await idsFor('Hi<|endoftext|>there', 'gpt2', { special: 'as-is' });
    expect(typed.outputs.ids.ids).toContain(50256);
    const stripped = await idsFor('Hi<|endoftext|>there', 'gpt2', { special: 'strip' });
    expect(stripped.outputs.ids.ids).not.toContain(50256);
    expect(stripped.outputs.ids.ids).toEqual(typed.outputs.ids.ids.filter((id) => id !== 50256));
  });

  it('says BERT has no BOS/EOS tokens when asked for them', async () => {
    const outcome = await idsFor('I love NLP', 'bert-base-uncased', { special: 'bos-eos' });
    expect(outcome.status).toBe('error');
    expect(outcome.message).toMatch(/^BERT.* has no BOS\/EOS tokens\.$/);
  });

  it('pads BERT with its [PAD] token (0), not an end token', async () => {
    const outcome = await idsFor('I love NLP', 'bert-base-uncased', { maxLength: 8, padding: true });
    expect(outcome.outputs.ids.ids).toEqual([101, 1045, 2293, 17953, 2361, 102, 0, 0]);
    expect(outcome.outputs.ids.attentionMask).toEqual([1, 1, 1, 1, 1, 1, 0, 0]);
  });

  it('truncates to the max length by default and does not pad unless asked', async () => {
    const cut = await idsFor('I love NLP', 'gpt2', { maxLength: 2 });
    expect(cut.outputs.ids.ids).toEqual([40, 1842]);
    expect(cut.view.truncated).toBe(2);
    const short = await idsFor('I love NLP', 'gpt2', { maxLength: 7 });
    expect(short.outputs.ids.ids).toEqual([40, 1842, 399, 19930]);
    expect(short.view.padded).toBe(0);
  });
});

/** Text → WordPiece trained with `specials` → IDs in cls-sep mode. */
async function wordPieceIds(specials: string) {
  const doc = graph(
    [
      ['t', 'text', { text: 'low lower lowest newer newest wider widest' }],
      ['wp', 'wordpiece', { vocabSize: 60, specialTokens: specials }],
      ['ids', 'ids', { special: 'cls-sep' }],
    ],
    [
      ['t', 'wp', 'text', 'text'],
      ['wp', 'ids', 'tokens', 'tokens'],
      ['wp', 'ids', 'tokenizer', 'tokenizer'],
    ],
  );
  const report = await execute(doc, { registry, cache: createRecipeCache(), where: 'server', resources: nodeResources });
  return { ids: report.outcomes.get('ids') as unknown as IdsOutcome, tokens: report.outcomes.get('wp') as unknown as { outputs: { tokens: { pieces: { id: number }[] } } } };
}

describe('the IDs node with a tokenizer trained here', () => {
  it('adds the one of [CLS] and [SEP] a WordPiece vocabulary has, at its place', async () => {
    const onlyCls = await wordPieceIds('[PAD], [UNK], [CLS]');
    const text = onlyCls.tokens.outputs.tokens.pieces.map((p) => p.id);
    // The specials come first in a WordPiece vocabulary: [CLS] is id 2.
    expect(onlyCls.ids.outputs.ids.ids).toEqual([2, ...text]);
    const onlySep = await wordPieceIds('[PAD], [UNK], [SEP]');
    expect(onlySep.ids.outputs.ids.ids).toEqual([...onlySep.tokens.outputs.tokens.pieces.map((p) => p.id), 2]);
  });

  it('says the trained vocabulary has neither when it has neither', async () => {
    const neither = await wordPieceIds('[PAD], [UNK]');
    expect(neither.ids.status).toBe('error');
    expect(neither.ids.message).toBe('WordPiece (trained) has no [CLS]/[SEP] tokens.');
  });
});

describe('the IDs node’s vocabulary browser', () => {
  it('finds a token by its text and by its ID in the tokenizer’s vocabulary', async () => {
    const cache = createRecipeCache();
    const outcome = await idsFor('I love NLP', 'gpt2', {}, { cache });
    expect(outcome.view.vocabSize).toBe(50257);
    expect(outcome.view.firstPage?.rows[0]).toEqual({ id: 0, token: '!' });
    const result = { outputs: outcome.outputs, details: cache.get(outcome.key)?.details } as never;
    const byText = nodeKinds.ids.query!(result, { query: 'Ġlove', page: 0 }) as { rows: { id: number; token: string }[] };
    expect(byText.rows[0]).toEqual({ id: 1842, token: 'Ġlove' });
    const byId = nodeKinds.ids.query!(result, { query: '19930', page: 0 }) as { rows: { id: number; token: string }[] };
    expect(byId.rows).toEqual([{ id: 19930, token: 'LP' }]);
    // The next page, and a request without a query (the empty box): every token.
    const second = nodeKinds.ids.query!(result, { query: '', page: 1 }) as { total: number; rows: { id: number }[] };
    expect(second.rows[0]?.id).toBe(50);
    expect((nodeKinds.ids.query!(result, { page: 0 } as never) as { total: number }).total).toBe(50257);
  });

  it('answers the browser with a sentence when no tokenizer is wired', async () => {
    const cache = createRecipeCache();
    const outcome = await idsFor('I love NLP', 'gpt2', {}, { cache, wireTokenizer: false });
    expect(outcome.view.vocabSize).toBeNull();
    const result = { outputs: outcome.outputs, details: cache.get(outcome.key)?.details } as never;
    expect(() => nodeKinds.ids.query!(result, { query: 'love', page: 0 })).toThrow('Wire the tokenizer into the IDs node to browse its vocabulary.');
  });
});

describe('what the IDs inspector shows', () => {
  it('prints what encode() returns, each id with its piece, and marks the special tokens it added', async () => {
    const outcome = await idsFor('I love NLP', 'gpt2', { special: 'bos-eos' });
    expect(outcome.view.encodeReturns).toBe('{\n  input_ids: [50256, 40, 1842, 399, 19930, 50256],\n  attention_mask: [1, 1, 1, 1, 1, 1]\n}');
    expect(outcome.view.length).toBe(6);
    expect(outcome.view.rows.slice(0, 3)).toEqual([
      { id: 50256, piece: '<|endoftext|>', mask: 1, added: true },
      { id: 40, piece: 'I', mask: 1, added: false },
      { id: 1842, piece: 'Ġlove', mask: 1, added: false },
    ]);
    expect(outcome.view.hasTokenizer).toBe(true);
    expect(outcome.view.spelling).not.toBeNull();
    expect(outcome.view).toMatchObject({ truncated: 0, padded: 0 });
  });

  it('writes out up to 64 ids and shortens a longer list to its first 64 and how many more', async () => {
    const at64 = await idsFor('I love NLP', 'gpt2', { maxLength: 64, padding: true });
    expect(at64.view.encodeReturns).toContain(`input_ids: [40, 1842, 399, 19930, ${Array(60).fill(50256).join(', ')}],`);
    expect(at64.view.encodeReturns).toContain(`attention_mask: [1, 1, 1, 1, ${Array(60).fill(0).join(', ')}]\n`);
    const at66 = await idsFor('I love NLP', 'gpt2', { maxLength: 66, padding: true });
    expect(at66.view.encodeReturns).toBe(
      `{\n  input_ids: [40, 1842, 399, 19930, ${Array(60).fill(50256).join(', ')}, … 2 more],\n  attention_mask: [1, 1, 1, 1, ${Array(60).fill(0).join(', ')}, … 2 more]\n}`,
    );
    expect(at66.view.length).toBe(66);
    expect(at66.view.rows).toHaveLength(66);
    expect(at66.view.rows.at(-1)).toMatchObject({ id: 50256, mask: 0 });
  });

  it('lists the first 2,000 ids one per row, and counts them all', async () => {
    const outcome = await idsFor('a'.concat(' a'.repeat(2_499)), 'gpt2', {});
    expect(outcome.view.length).toBe(2_500);
    expect(outcome.view.rows).toHaveLength(2_000);
  });

  it('names the pieces from the tokens themselves when no tokenizer is wired, with no vocabulary to browse', async () => {
    const outcome = await idsFor('I love NLP', 'gpt2', {}, { wireTokenizer: false });
    expect(outcome.view.rows.map((r) => r.piece)).toEqual(['I', 'Ġlove', 'ĠN', 'LP']);
    expect(outcome.view.rows.every((r) => !r.added)).toBe(true);
    expect(outcome.view).toMatchObject({ hasTokenizer: false, spelling: null, firstPage: null, vocabSize: null });
  });
});

/**
 * buildInputIds (the IDs node's encode()) against the references, on the same max_length:
 * transformers.js (what a learner calls in JavaScript) and HF `tokenizers` (native Rust, what
 * Python's transformers uses), with the shipped tokenizers loaded offline from public/hub.
 *
 * Where the two references differ we follow Python: truncating a BERT encoding keeps [SEP]
 * (tokenizers truncates the text, then adds the specials), whereas transformers.js cuts the
 * finished list and loses it. So BERT truncation is checked against `tokenizers`, and
 * transformers.js covers padding, the attention mask and TinyLlama's <s> (truncation only:
 * transformers.js pads TinyLlama on the left, and buildInputIds pads on the right).
 */
import { join } from 'node:path';
import { Tokenizer as NativeTokenizer } from 'tokenizers';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRecipeCache } from '@/nodes/engine/cache';
import { execute } from '@/nodes/engine/executor';
import { registry } from '@/nodes';
import { buildInputIds } from '@/nodes/ids/ids';
import { loadPretrainedTokenizer, type PretrainedTokenizer } from '@/nodes/pretrained/pretrained';
import { graph, nodeResources } from '../../engine/fixtures';

const HUB = join(__dirname, '..', '..', '..', '..', 'public', 'hub');
const TEXT = 'Tokenizers turn text into numbers, and encode() adds the special tokens.';

const [CLS, SEP, PAD] = [101, 102, 0];

let bert: PretrainedTokenizer;
let llama: PretrainedTokenizer;

beforeAll(async () => {
  const options = { localModelPath: `${HUB}/`, allowRemote: false };
  [bert, llama] = await Promise.all([loadPretrainedTokenizer('bert-base-uncased', options), loadPretrainedTokenizer('tinyllama', options)]);
});

/** transformers.js's encode() of TEXT at `maxLength`, as plain arrays. */
function transformersJs(loaded: PretrainedTokenizer, maxLength: number, extra: { padding: boolean | 'max_length'; truncation: boolean }) {
  const encoded = loaded.tokenizer(TEXT, { max_length: maxLength, return_tensor: false, ...extra }) as { input_ids: number[]; attention_mask: number[] };
  return { ids: encoded.input_ids, attentionMask: encoded.attention_mask };
}

/** The tokens of TEXT without any special token: what the IDs node receives from a tokenizer. */
const bodyOf = (loaded: PretrainedTokenizer) =>
  (loaded.tokenizer(TEXT, { add_special_tokens: false, return_tensor: false }) as { input_ids: number[] }).input_ids;

describe('buildInputIds against transformers.js', () => {
  it('pads a BERT encoding with [PAD] and masks the padding, to the same length as transformers.js', () => {
    const body = bodyOf(bert);
    expect(body.length).toBeGreaterThan(10);
    expect([CLS, SEP, PAD]).toEqual(['[CLS]', '[SEP]', '[PAD]'].map((t) => bert.tokenizer.get_vocab().get(t)));
    for (let maxLength = body.length + 2; maxLength <= body.length + 6; maxLength++) {
      const built = buildInputIds(body, { bos: CLS, eos: SEP }, { maxLength, padding: true, truncation: true, pad: PAD });
      const reference = transformersJs(bert, maxLength, { padding: 'max_length', truncation: true });
      expect({ ids: built.ids, attentionMask: built.attentionMask }, `max_length ${maxLength}`).toEqual(reference);
      expect(built.padded).toBe(maxLength - body.length - 2);
      expect(built.added).toEqual([0, body.length + 1]);
    }
  });

  it('keeps TinyLlama’s <s> and exactly max_length − 1 tokens of text when truncating, like transformers.js', () => {
    // Truncation only: transformers.js pads TinyLlama on the left, which buildInputIds does not do.
    const body = bodyOf(llama);
    const bos = llama.tokenizer.get_vocab().get('<s>');
    expect(bos).toBe(1);
    for (let maxLength = 1; maxLength <= body.length + 3; maxLength++) {
      const built = buildInputIds(body, { bos }, { maxLength, padding: false, truncation: true });
      const reference = transformersJs(llama, maxLength, { padding: false, truncation: true });
      expect({ ids: built.ids, attentionMask: built.attentionMask }, `max_length ${maxLength}`).toEqual(reference);
      expect(built.ids).toHaveLength(Math.min(maxLength, body.length + 1));
      expect(built.truncated).toBe(Math.max(0, body.length + 1 - maxLength));
    }
  });

  it('gives transformers.js’s encode() exactly when there is no limit', () => {
    const body = bodyOf(llama);
    const built = buildInputIds(body, { bos: 1 }, { maxLength: 0, padding: true, truncation: true, pad: 2 });
    const reference = llama.tokenizer(TEXT, { return_tensor: false }) as { input_ids: number[]; attention_mask: number[] };
    expect(built.ids).toEqual(reference.input_ids);
    expect(built.attentionMask).toEqual(reference.attention_mask);
    expect(built).toMatchObject({ truncated: 0, padded: 0, added: [0] });
  });
});

describe('buildInputIds against HF tokenizers (native)', () => {
  it('truncates BERT’s text to max_length − 2 tokens and keeps [CLS] and [SEP], then pads, as tokenizers does', async () => {
    const body = bodyOf(bert);
    const native = NativeTokenizer.fromFile(join(HUB, 'bert-base-uncased', 'tokenizer.json'));
    for (let maxLength = 2; maxLength <= body.length + 4; maxLength++) {
      native.setTruncation(maxLength);
      native.setPadding({ maxLength, padId: PAD, padToken: '[PAD]' });
      const reference = await native.encode(TEXT);
      const built = buildInputIds(body, { bos: CLS, eos: SEP }, { maxLength, padding: true, truncation: true, pad: PAD });
      expect(built.ids, `max_length ${maxLength}`).toEqual(reference.getIds());
      expect(built.attentionMask, `max_length ${maxLength}`).toEqual(reference.getAttentionMask());
      expect(built.truncated).toBe(Math.max(0, body.length + 2 - maxLength));
      expect(built.added).toEqual([0, Math.min(body.length + 2, maxLength) - 1]);
    }
  });
});

describe('the IDs node', () => {
  it('cuts BERT’s text to the max length and still ends on [SEP], the same IDs as tokenizers', async () => {
    const maxLength = 12;
    const doc = graph(
      [
        ['t', 'text', { text: TEXT }],
        ['tok', 'pretrained', { model: 'bert-base-uncased' }],
        ['ids', 'ids', { special: 'cls-sep', maxLength, padding: true, truncation: true }],
      ],
      [
        ['t', 'tok', 'text', 'text'],
        ['tok', 'ids', 'tokens', 'tokens'],
        ['tok', 'ids', 'tokenizer', 'tokenizer'],
      ],
    );
    const report = await execute(doc, { registry, cache: createRecipeCache(), where: 'server', resources: nodeResources });
    const ids = report.outcomes.get('ids') as unknown as { outputs: { ids: { ids: number[]; attentionMask: number[] } }; view: { truncated: number } };
    const native = NativeTokenizer.fromFile(join(HUB, 'bert-base-uncased', 'tokenizer.json'));
    native.setTruncation(maxLength);
    const reference = await native.encode(TEXT);
    expect(ids.outputs.ids.ids).toEqual(reference.getIds());
    expect(ids.outputs.ids.ids.at(-1)).toBe(SEP);
    expect(ids.outputs.ids.attentionMask).toEqual(Array(maxLength).fill(1));
    expect(ids.view.truncated).toBe(bodyOf(bert).length + 2 - maxLength);
  });
});

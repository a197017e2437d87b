/**
 * The Decode node and its algorithm (nodes/decode/decode.ts): ids → tokens → bytes → text with
 * a trained BPE and with GPT-2, skipping special tokens and padding, refusing ids outside the
 * vocabulary with the tokenizer's name, and the round trip against the original text.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRecipeCache } from '@/nodes/engine/cache';
import { execute, type NodeOutcome } from '@/nodes/engine/executor';
import { registry, type ViewOf } from '@/nodes';
import { trainBpe } from '@/nodes/bpe/train-bpe';
import type { TrainedBpe } from '@/nodes/bpe/types';
import { decodeWith, withProvenance } from '@/nodes/decode/decode';
import { SHIPPED_TOKENIZER_LABELS } from '@/nodes/pretrained/shipped';
import { describeTokenizer } from '@/nodes/pretrained/describe-tokenizer';
import { bpeEncoderFor, loadPretrained, type TokenizerRef } from '@/nodes/shared/tokenizer-ref';
import { graph, nodeResources } from '../../engine/fixtures';

let trained: TrainedBpe;
let bpe: TokenizerRef;
beforeAll(async () => {
  trained = await trainBpe('low lower lowest newer newest wider '.repeat(20), { vocabSize: 300, minFrequency: 2, specialTokens: ['<|endoftext|>'], pattern: 'gpt2' });
  bpe = { kind: 'bpe', label: 'BPE (trained)', model: trained };
});

async function gpt2Ref(): Promise<TokenizerRef> {
  const loaded = await loadPretrained('gpt2', nodeResources);
  return { kind: 'pretrained', name: 'gpt2', label: SHIPPED_TOKENIZER_LABELS.gpt2, description: describeTokenizer(loaded.tokenizerJson, loaded.tokenizerConfig) };
}

describe('decodeWith', () => {
  it('decodes GPT-2’s IDs of "I love NLP" back to the text, with each token’s piece and bytes', async () => {
    const decoded = await decodeWith(await gpt2Ref(), [40, 1842, 399, 19930], nodeResources);
    expect(decoded.text).toBe('I love NLP');
    expect(decoded.tokens.map((t) => t.piece)).toEqual(['I', 'Ġlove', 'ĠN', 'LP']);
    expect(decoded.tokens[1]).toEqual({ id: 1842, piece: 'Ġlove', bytes: '20 6C 6F 76 65' });
  });

  it('drops special tokens only when asked to', async () => {
    const ids = [50256, 40, 1842, 50256];
    const gpt2 = await gpt2Ref();
    expect((await decodeWith(gpt2, ids, nodeResources)).text).toBe('<|endoftext|>I love<|endoftext|>');
    expect((await decodeWith(gpt2, ids, nodeResources, { skipSpecial: true })).text).toBe('I love');
  });

  it('refuses an ID past the vocabulary, a negative one and a fraction, naming the tokenizer and its range', async () => {
    const size = trained.tokens.length;
    for (const bad of [size, -1, 1.5]) {
      await expect(decodeWith(bpe, [104, bad], nodeResources)).rejects.toThrow(`ID ${bad} is not in the vocabulary of BPE (trained) (IDs 0–${size - 1}).`);
    }
    await expect(decodeWith(await gpt2Ref(), [50257], nodeResources)).rejects.toThrow(/^ID 50257 is not in the vocabulary of GPT-2.* \(IDs 0–50256\)\.$/);
  });

  it('lists at most tokenLimit tokens but decodes them all', async () => {
    const ids = bpeEncoderFor(trained).encode('lower newest '.repeat(50));
    const decoded = await decodeWith(bpe, ids, nodeResources, { tokenLimit: 3 });
    expect(decoded.text).toBe('lower newest '.repeat(50));
    expect(decoded.tokens).toHaveLength(3);
    expect(decoded.tokens.map((t) => t.id)).toEqual(ids.slice(0, 3));
  });

  it('gives back any well-formed text a trained BPE encoded (property)', async () => {
    const encoder = bpeEncoderFor(trained);
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 40 }), async (text) => {
        expect((await decodeWith(bpe, encoder.encode(text), nodeResources)).text).toBe(text);
      }),
      { numRuns: 60 },
    );
  });
});

describe('withProvenance', () => {
  const message = 'ID 50000 is not in the vocabulary of BPE (trained) (IDs 0–299).';
  it('says which tokenizer made the IDs when another one is decoding them', () => {
    expect(withProvenance(new Error(message), 'GPT-2', 'BPE (trained)')).toBe(
      `${message} These IDs were made by GPT-2, but this Decode node is given BPE (trained): connect its tokenizer input to the GPT-2 tokenizer that made them.`,
    );
  });
  it('leaves the message alone when the same tokenizer made them, or the error is about something else', () => {
    expect(withProvenance(new Error(message), 'BPE (trained)', 'BPE (trained)')).toBe(message);
    expect(withProvenance(new Error('The model files are missing.'), 'GPT-2', 'BPE (trained)')).toBe('The model files are missing.');
  });
});

describe('the Decode node', () => {
  const chain = (text: string, ids: Record<string, unknown>, decode: Record<string, unknown>) =>
    graph(
      [
        ['t', 'text', { text }],
        ['tok', 'pretrained', { model: 'gpt2' }],
        ['ids', 'ids', ids],
        ['dec', 'decode', decode],
      ],
      [
        ['t', 'tok', 'text', 'text'],
        ['tok', 'ids', 'tokens', 'tokens'],
        ['tok', 'ids', 'tokenizer', 'tokenizer'],
        ['ids', 'dec', 'ids', 'ids'],
        ['tok', 'dec', 'tokenizer', 'tokenizer'],
        ['t', 'dec', 'text', 'original'],
      ],
    );
  const decodeOf = async (doc: ReturnType<typeof chain>) => {
    const report = await execute(doc, { registry, cache: createRecipeCache(), where: 'server', resources: nodeResources });
    return report.outcomes.get('dec') as NodeOutcome & { view: ViewOf<'decode'>; outputs: { text: string } };
  };

  it('decodes a padded encoding without its padding and confirms the round trip', async () => {
    const outcome = await decodeOf(chain('I love NLP', { special: 'bos-eos', maxLength: 10, padding: true }, { skipSpecial: true }));
    expect(outcome.status).toBe('done');
    expect(outcome.outputs.text).toBe('I love NLP');
    expect(outcome.view.roundTrip).toEqual({ equal: true });
    expect(outcome.view.tokens.map((t) => t.id)).toEqual([40, 1842, 399, 19930]);
  });

  it('keeps the special tokens when told to, and then the round trip says where the text differs', async () => {
    const outcome = await decodeOf(chain('I love NLP', { special: 'bos-eos' }, { skipSpecial: false }));
    expect(outcome.outputs.text).toBe('<|endoftext|>I love NLP<|endoftext|>');
    expect(outcome.view.roundTrip).toMatchObject({ equal: false, index: 0, expected: 'I', actual: '<' });
  });
});

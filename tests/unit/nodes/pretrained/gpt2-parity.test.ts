import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BpeEncoder } from '@/nodes/bpe/encode-bpe';
import { modelFromVocabAndMerges } from '@/nodes/bpe/vocab-files';
import { loadPretrainedTokenizer } from '@/nodes/pretrained/pretrained';
import { mixedCorpus } from '@/scripts/make-corpora';
import { nodeResources } from '../../engine/fixtures';

describe('our BPE encoder with GPT-2’s shipped merges', () => {
  it('gives the same IDs as transformers.js’ GPT-2 tokenizer on 1 MB of mixed text', async () => {
    const json = JSON.parse(readFileSync('public/hub/gpt2/tokenizer.json', 'utf8')) as {
      model: { vocab: Record<string, number>; merges: (string | [string, string])[] };
    };
    const merges = json.model.merges.map((m) => (Array.isArray(m) ? m.join(' ') : m)).join('\n');
    const ours = new BpeEncoder(modelFromVocabAndMerges(json.model.vocab, merges, ['<|endoftext|>']));
    const reference = await loadPretrainedTokenizer('gpt2', { localModelPath: nodeResources.hubPath, allowRemote: false });
    const text = mixedCorpus(1_050_000);
    expect(new TextEncoder().encode(text).length).toBeGreaterThan(1_000_000);
    // Chunks at line ends (both tokenizers split on the same pieces, so chunking changes nothing).
    const lines = text.split('\n');
    let mismatches = 0;
    let compared = 0;
    for (let i = 0; i < lines.length; i += 200) {
      const chunk = lines.slice(i, i + 200).join('\n');
      const expected = reference.tokenizer.encode(chunk, { add_special_tokens: false });
      const actual = ours.encode(chunk);
      compared += expected.length;
      if (JSON.stringify(expected) !== JSON.stringify(actual)) mismatches++;
    }
    expect(compared).toBeGreaterThan(200_000);
    expect(mismatches).toBe(0);
  }, 120_000);
});

/**
 * The BPE node (nodes/bpe/index.ts) around the trainer: which pieces it accepts, GPT-2's own
 * merges giving GPT-2's IDs, training on the text or on a separate corpus, the hint when the
 * text alone gives few merges, the Odia comparison, and the export question.
 */
import { describe, expect, it } from 'vitest';
import { createRecipeCache } from '@/nodes/engine/cache';
import { execute } from '@/nodes/engine/executor';
import { nodeKinds, registry, type ViewOf } from '@/nodes';
import type { TokenizerRef } from '@/nodes/shared/tokenizer-ref';
import type { Tokens } from '@/nodes/engine/ports';
import { odiaCorpus } from '@/scripts/make-corpora';
import { graph, nodeResources } from '../../engine/fixtures';

const CORPUS = 'the lower newer wider lowest newest widest '.repeat(40);

interface BpeOutcome {
  status: string;
  key: string;
  message?: string;
  view: ViewOf<'bpe'>;
  outputs: { tokenizer: TokenizerRef; tokens: Tokens };
}

/** Text → Pretokenize(mode) → BPE(params), with an optional corpus Text wired into BPE's corpus input. */
async function bpeFor(text: string, params: Record<string, unknown>, options: { mode?: string; corpus?: string } = {}) {
  const nodes: [string, string, Record<string, unknown>][] = [
    ['t', 'text', { text }],
    ['pre', 'pretokenize', { mode: options.mode ?? 'bytelevel' }],
    ['bpe', 'bpe', params],
  ];
  const edges: [string, string, string, string][] = [
    ['t', 'pre', 'text', 'text'],
    ['pre', 'bpe', 'pretokens', 'pretokens'],
  ];
  if (options.corpus !== undefined) {
    nodes.push(['c', 'text', { text: options.corpus }]);
    edges.push(['c', 'bpe', 'text', 'corpus']);
  }
  const cache = createRecipeCache();
  const report = await execute(graph(nodes, edges), { registry, cache, where: 'server', resources: nodeResources });
  const outcome = report.outcomes.get('bpe') as unknown as BpeOutcome;
  return { outcome, cache };
}

const ids = (o: BpeOutcome) => o.outputs.tokens.pieces.map((p) => p.id);

describe('the BPE node', () => {
  it('gives GPT-2’s own IDs with GPT-2’s merges, and says they match the official tokenizer', async () => {
    const { outcome } = await bpeFor('I love NLP', { source: 'gpt2' });
    expect(ids(outcome)).toEqual([40, 1842, 399, 19930]);
    expect(outcome.outputs.tokenizer.label).toBe('BPE (GPT-2 merges)');
    expect(outcome.view).toMatchObject({ mergeCount: 50000, vocabSize: 50257, training: null });
    expect(outcome.view.faithful).toMatchObject({ equal: true, officialCount: 4 });
  });

  it('refuses pieces from a split it cannot train on, naming the mode and the ones that work', async () => {
    const { outcome } = await bpeFor('I love NLP', {}, { mode: 'whitespace' });
    expect(outcome.status).toBe('error');
    expect(outcome.message).toBe(
      "Byte-level BPE here splits text as GPT-2 does; the pieces come from the 'whitespace' mode. Set Pretokenize to ByteLevel, GPT-2 regex or Script-aware.",
    );
  });

  it('refuses GPT-2’s merges on the script-aware split', async () => {
    const { outcome } = await bpeFor('I love NLP', { source: 'gpt2' }, { mode: 'gpt2-marks' });
    expect(outcome.status).toBe('error');
    expect(outcome.message).toBe("GPT-2's merges go with GPT-2's split: set Pretokenize to ByteLevel or GPT-2 regex.");
  });

  it('trains the same merges and IDs twice (deterministic), within the vocabulary size asked for', async () => {
    const first = (await bpeFor(CORPUS, { vocabSize: 300 })).outcome;
    const again = (await bpeFor(CORPUS, { vocabSize: 300 })).outcome;
    expect(first.outputs.tokenizer.label).toBe('BPE (trained)');
    expect(ids(again)).toEqual(ids(first));
    expect(first.view.vocabSize).toBeLessThanOrEqual(300);
    expect(first.view.mergeCount).toBeGreaterThan(10);
    expect(first.view.tokenCount).toBeLessThan([...CORPUS].length / 2);
  });

  it('trains on the corpus when one is wired, so the text alone no longer decides the merges', async () => {
    const alone = (await bpeFor('lowest newest', { vocabSize: 300 })).outcome;
    const withCorpus = (await bpeFor('lowest newest', { vocabSize: 300 }, { corpus: CORPUS })).outcome;
    expect(alone.view.hint).toMatch(/^Training on 13 characters gives \d+ merges?, so most tokens are single bytes/);
    expect(withCorpus.view.hint).toBeNull();
    expect(withCorpus.view.corpusChars).toBe(CORPUS.length);
    expect(withCorpus.view.tokenCount).toBeLessThan(alone.view.tokenCount);
  });

  it('compares the two splits on Odia text, next to GPT-2’s token count', async () => {
    const odia = odiaCorpus(3000);
    const { outcome } = await bpeFor(odia, { vocabSize: 400 }, { mode: 'gpt2-marks' });
    expect(outcome.view.odia?.runs.map((r) => r.pattern)).toEqual(['gpt2-marks', 'gpt2']);
    expect(outcome.view.odia?.gpt2Tokens).toBeGreaterThan(outcome.view.odia!.runs[0]!.tokens);
  });

  it('exports its tokenizer as Hugging Face files, and refuses a question it does not know', async () => {
    const { outcome, cache } = await bpeFor(CORPUS, { vocabSize: 300 });
    const result = { outputs: outcome.outputs, details: cache.get(outcome.key)?.details } as never;
    const files = nodeKinds.bpe.query!(result, { export: true }) as Record<string, string>;
    const tokenizerJson = JSON.parse(files['tokenizer.json']!) as { model: { type: string; merges: unknown[] } };
    expect(tokenizerJson.model.type).toBe('BPE');
    expect(tokenizerJson.model.merges).toHaveLength(outcome.view.mergeCount);
    expect(() => nodeKinds.bpe.query!(result, {})).toThrow('Unknown question for the BPE node.');
  });
});

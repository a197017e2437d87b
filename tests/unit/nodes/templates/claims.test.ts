/**
 * Each template answers one beginner's question in its card and lesson text. These tests run the
 * template as shipped and check that the answer it gives is the one it claims, so a change to an
 * algorithm that quietly breaks a lesson fails here (tests/unit/nodes/templates/templates.test.ts checks
 * only that every node runs). One recipe cache for the file: templates that share a sub-graph
 * (GPT-2's tokenizer on the same text) compute it once.
 */
import { describe, expect, it } from 'vitest';
import { createRecipeCache } from '@/nodes/engine/cache';
import { execute, type NodeOutcome, type RunReport } from '@/nodes/engine/executor';
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import type { Predictions, Tokens } from '@/nodes/engine/ports';
import { registry } from '@/nodes';
import type { FinetuneDetails } from '@/nodes/finetune';
import type { MergeRow } from '@/nodes/bpe/teach';
import type { CompareView } from '@/nodes/compare/align';
import { findTemplate } from '@/nodes/templates';
import { SOTU_1862_EXCERPT } from '@/nodes/text/corpus-sample';
import { ODIA_CORPUS } from '@/nodes/text/corpora/odia-text';
import { splitCorpus } from '@/nodes/text/odia-corpus';
import { wordsOf } from '@/nodes/bpe/measure-odia';
import { nodeResources } from '../../engine/fixtures';

const cache = createRecipeCache();
const runs = new Map<string, Promise<RunReport>>();

function run(doc: GraphDoc): Promise<RunReport> {
  return execute(doc, { registry, cache, where: 'server', resources: nodeResources });
}

/** The template's report, run once per file. */
function runTemplate(id: string): Promise<RunReport> {
  let pending = runs.get(id);
  if (!pending) runs.set(id, (pending = run(findTemplate(id)!.doc)));
  return pending;
}

type Done = Extract<NodeOutcome, { status: 'done' | 'cached' }>;
function done(report: RunReport, nodeId: string): Done {
  const outcome = report.outcomes.get(nodeId);
  if (outcome?.status !== 'done' && outcome?.status !== 'cached') throw new Error(`${nodeId}: ${JSON.stringify(outcome)}`);
  return outcome;
}
const viewOf = <V>(report: RunReport, nodeId: string) => done(report, nodeId).view as V;
const outputOf = <V>(report: RunReport, nodeId: string, port: string) => done(report, nodeId).outputs[port] as V;

interface Piece {
  text: string;
  shown: string;
}
interface CompareKind {
  label: string;
  ids: number[];
  unknown: number;
  bytes: number;
}
interface BpeView {
  corpusChars: number;
  mergeCount: number;
  vocabSize: number;
  tokenCount: number;
  headRows: MergeRow[];
  tailRows: MergeRow[];
  correlation: number | null;
  inversion: { earlier: MergeRow; later: MergeRow } | null;
  frames: { merges: number; tokenCount: number }[];
  training: { stoppedBecause: string } | null;
}

describe('“What does it mean to tokenize text?” (pieces)', () => {
  it('writes a piece’s leading space as Ġ, and only a leading space', async () => {
    const pieces = outputOf<{ pieces: Piece[] }>(await runTemplate('pieces'), 'pretokenize', 'pretokens').pieces;
    const spaced = pieces.filter((p) => p.text.startsWith(' '));
    expect(spaced.length).toBeGreaterThan(10);
    for (const p of pieces) expect(p.shown, JSON.stringify(p.text)).toBe(p.text.startsWith(' ') ? `Ġ${p.text.slice(1)}` : p.text);
    expect(pieces.slice(0, 3).map((p) => p.shown)).toEqual(['I', 'Ġlove', 'ĠNLP']);
  });

  it('makes the same-looking é typed as one code point or as e + U+0301 into the same pieces', async () => {
    const doc = structuredClone(findTemplate('pieces')!.doc);
    doc.nodes.find((n) => n.id === 'text')!.params = { text: 'caf\u00e9 cafe\u0301' };
    const pieces = outputOf<{ pieces: Piece[] }>(await run(doc), 'pretokenize', 'pretokens').pieces;
    expect(pieces.map((p) => p.text)).toEqual(['caf\u00e9', ' caf\u00e9']);
    expect(pieces[1]!.shown).toBe(`Ġ${pieces[0]!.shown}`);
  });
});

describe('“Are token IDs the same across models?” (compare)', () => {
  it('gives “I love NLP” different IDs in GPT-2, BERT and TinyLlama, with the IDs the note quotes', async () => {
    const report = await runTemplate('compare');
    const kinds = viewOf<{ kinds: CompareKind[] }>(report, 'compare').kinds;
    expect(kinds.map((k) => k.label)).toEqual(['GPT-2', 'BERT', 'TinyLlama']);
    const [gpt2, bert, llama] = kinds.map((k) => k.ids);
    expect(gpt2).toEqual([40, 1842, 399, 19930]);
    expect(bert).toEqual([101, 1045, 2293, 17953, 2361, 102]);
    expect(llama).toEqual([1, 306, 5360, 405, 13208]);
    // "love" alone has three different numbers.
    expect(new Set([gpt2![1], bert![2], llama![2]]).size).toBe(3);
  });

  it('shows GPT-2 spelling NLP as ĠN + LP, and BERT lowercasing first', async () => {
    const report = await runTemplate('compare');
    const pieces = outputOf<Tokens>(report, 'gpt2', 'tokens').pieces.map((p) => p.piece);
    expect(pieces).toEqual(['I', 'Ġlove', 'ĠN', 'LP']);
    const view = viewOf<CompareView>(report, 'compare');
    expect(view.rows.map((r) => r.cells[0]?.pieces)).toEqual([['I'], ['i'], ['▁I']]);
    expect(view.sameIdsAnswer).toMatch(/^No: /);
  });
});

describe('“How is a vocabulary made?” (vocab)', () => {
  it('trains on the speech, not the sentence, up to the vocabulary size asked for', async () => {
    const bpe = viewOf<BpeView>(await runTemplate('vocab'), 'bpe');
    expect(bpe.corpusChars).toBe(SOTU_1862_EXCERPT.length);
    expect(bpe.vocabSize).toBe(1000);
    // 256 bytes + <|endoftext|> + one token per merge.
    expect(bpe.mergeCount).toBe(1000 - 256 - 1);
    expect(bpe.training?.stoppedBecause).toBe('vocab-size');
  });

  it('replays the merges on the sentence: from one token per byte down to the final encoding, never up', async () => {
    const report = await runTemplate('vocab');
    const bpe = viewOf<BpeView>(report, 'bpe');
    const sentence = 'The unbroken union of these states is worth preserving.';
    expect(bpe.frames[0]).toMatchObject({ merges: 0, tokenCount: new TextEncoder().encode(sentence).length });
    expect(bpe.frames.at(-1)).toMatchObject({ merges: bpe.mergeCount, tokenCount: bpe.tokenCount });
    for (let i = 1; i < bpe.frames.length; i++) expect(bpe.frames[i]!.tokenCount).toBeLessThanOrEqual(bpe.frames[i - 1]!.tokenCount);
    expect(bpe.tokenCount).toBeLessThan(sentence.length / 2);
    expect(viewOf<{ roundTrip: { equal: boolean } }>(report, 'decode').roundTrip.equal).toBe(true);
  });
});

describe('“Is a token’s ID its frequency?” (frequency)', () => {
  it('numbers merged tokens in merge order, which follows the pair count at merge time', async () => {
    const bpe = viewOf<BpeView>(await runTemplate('frequency'), 'bpe');
    const rows = [...bpe.headRows, ...bpe.tailRows];
    expect(rows.length).toBeGreaterThan(20);
    for (const row of rows) expect(row.id).toBe(bpe.headRows[0]!.id + row.rank);
    // BPE merges the most frequent pair first, so the counts at merge time never go up.
    for (let i = 1; i < bpe.headRows.length; i++) expect(bpe.headRows[i]!.count).toBeLessThanOrEqual(bpe.headRows[i - 1]!.count);
  });

  it('shows a token with a higher ID that is more frequent than one with a lower ID', async () => {
    const bpe = viewOf<BpeView>(await runTemplate('frequency'), 'bpe');
    const { earlier, later } = bpe.inversion!;
    expect(later.id).toBeGreaterThan(earlier.id);
    expect(later.frequency).toBeGreaterThan(earlier.frequency);
    expect(bpe.correlation).not.toBeNull();
    expect(bpe.correlation!).toBeLessThan(0.9);
  });
});

describe('“Can I train my own tokenizer, e.g. for Odia?” (odia-train)', () => {
  interface Measured {
    words: number;
    rows: { label: string; split: string | null; tokens: number; unknown: number; tokensPerWord: number; charsPerToken: number }[];
    runs: { split: string; wholeWords: string[] }[];
  }

  it('trains on the corpus’s training part and measures on the held-out part only', async () => {
    const report = await runTemplate('odia-train');
    const { train, heldOut } = splitCorpus(ODIA_CORPUS);
    expect(outputOf<string>(report, 'corpus', 'text')).toBe(train);
    expect(outputOf<string>(report, 'text', 'text')).toBe(heldOut);
    expect(viewOf<BpeView>(report, 'bpe').corpusChars).toBe(train.length);
    const measured = viewOf<{ odia: Measured }>(report, 'bpe').odia;
    expect(measured.words).toBe(wordsOf(heldOut).length);
  });

  it('learns whole Odia words of the corpus as single tokens, with the script-aware split', async () => {
    const measured = viewOf<{ odia: Measured }>(await runTemplate('odia-train'), 'bpe').odia;
    const words = new Set(wordsOf(ODIA_CORPUS));
    const aware = measured.runs.find((r) => r.split === 'gpt2-marks')!;
    expect(aware.wholeWords.length).toBeGreaterThanOrEqual(10);
    for (const w of aware.wholeWords) {
      expect(words.has(w)).toBe(true);
      expect(w).toMatch(/^\p{Script=Oriya}[\p{Script=Oriya}\p{M}]+$/u);
    }
    // A word with vowel signs (marks) is one token only when the split keeps it whole.
    expect(aware.wholeWords.some((w) => /\p{M}/u.test(w))).toBe(true);
  });

  it('spends fewer tokens per held-out word than GPT-2, BERT and TinyLlama, as its table says', async () => {
    const report = await runTemplate('odia-train');
    const heldOut = outputOf<string>(report, 'text', 'text');
    const { rows, words } = viewOf<{ odia: Measured }>(report, 'bpe').odia;
    const row = (label: string, split: string | null = null) => rows.find((r) => r.label === label && r.split === split)!;
    const gpt2 = row('GPT-2');
    const aware = row('Trained here', 'gpt2-marks');
    const gpt2Split = row('Trained here', 'gpt2');
    expect(row('BERT').unknown).toBeGreaterThan(0.5 * words); // BERT's few tokens are mostly [UNK]: the words are lost
    expect(row('TinyLlama')).toBeDefined();
    // GPT-2 spends about a token per UTF-8 byte of Odia (3 bytes a character).
    expect(gpt2.tokens).toBeGreaterThan(0.8 * new TextEncoder().encode(heldOut.replace(/\s/g, '')).length);
    expect(gpt2.tokensPerWord).toBeGreaterThan(3 * aware.tokensPerWord);
    expect(aware.tokensPerWord).toBeLessThan(gpt2Split.tokensPerWord);
    expect(aware.tokensPerWord).toBeLessThan(row('TinyLlama').tokensPerWord);
    for (const r of rows) {
      expect(r.tokensPerWord).toBeCloseTo(r.tokens / words, 10);
      expect(r.charsPerToken).toBeCloseTo([...heldOut].length / r.tokens, 10);
    }
  });
});

describe('“Why train my own tokenizer? Odia in three models and yours” (odia)', () => {
  interface WholeKind extends CompareKind {
    textTokens: number;
    tokensPerWord: number | null;
    charsPerToken: number | null;
  }
  const kindsOf = async () => {
    const report = await runTemplate('odia');
    const kinds = viewOf<{ kinds: WholeKind[] }>(report, 'compare').kinds;
    const by = (label: string) => kinds.find((k) => k.label === label)!;
    return { report, kinds, gpt2: by('GPT-2'), bert: by('BERT'), llama: by('TinyLlama'), ours: by('BPE (trained)') };
  };

  it('measures on the whole held-out part of the corpus, with a BPE trained on the rest', async () => {
    const { report, kinds } = await kindsOf();
    const { train, heldOut } = splitCorpus(ODIA_CORPUS);
    expect(outputOf<string>(report, 'text', 'text')).toBe(heldOut);
    expect(outputOf<string>(report, 'corpus', 'text')).toBe(train);
    expect(kinds.map((k) => k.label)).toEqual(['BPE (trained)', 'GPT-2', 'BERT', 'TinyLlama']);
    const view = viewOf<{ truncated: boolean; whole: { chars: number; words: number; perWordAnswer: string } }>(report, 'compare');
    // The grid shows the beginning; the counts cover every held-out word.
    expect(view.truncated).toBe(true);
    expect(view.whole.chars).toBe([...heldOut].length);
    expect(view.whole.words).toBe(heldOut.split(/\s+/).filter(Boolean).length);
    expect(view.whole.words).toBeGreaterThan(5000);
    for (const k of kinds) {
      expect(k.tokensPerWord).toBeCloseTo(k.textTokens / view.whole.words, 10);
      expect(k.charsPerToken).toBeCloseTo(view.whole.chars / k.textTokens, 10);
      // The sentence states the number the table shows.
      expect(view.whole.perWordAnswer).toContain(`${k.label} ${k.tokensPerWord!.toFixed(2)}`);
    }
  });

  it('shows GPT-2 spending about a token per byte, BERT giving [UNK], TinyLlama falling back to bytes, and the Odia BPE far fewer per word', async () => {
    const { report, gpt2, bert, llama, ours } = await kindsOf();
    const heldOut = outputOf<string>(report, 'text', 'text');
    const letterBytes = new TextEncoder().encode(heldOut.replace(/[\s\p{P}\p{N}\p{Script=Latin}]/gu, '')).length;
    expect(gpt2.textTokens).toBeGreaterThan(0.8 * letterBytes);
    expect(bert.unknown).toBeGreaterThan(0.5 * bert.textTokens);
    expect(bert.ids).toContain(100); // [UNK]
    expect(llama.bytes).toBeGreaterThan(0.5 * letterBytes);
    expect(gpt2.tokensPerWord!).toBeGreaterThan(5 * ours.tokensPerWord!);
    expect(llama.tokensPerWord!).toBeGreaterThan(2 * ours.tokensPerWord!);
    expect(ours.unknown).toBe(0);
  });
});

describe('“Is BPE the same as an n-gram?” (bpe-vs-ngram)', () => {
  it('learns BPE’s first unit from the most frequent adjacent pair of symbols in the speech', async () => {
    const report = await runTemplate('bpe-vs-ngram');
    const pieces = outputOf<{ pieces: Piece[] }>(report, 'pretokenize', 'pretokens').pieces;
    const pairs = new Map<string, number>();
    for (const p of pieces) {
      const symbols = [...p.shown];
      for (let i = 1; i < symbols.length; i++) {
        const pair = `${symbols[i - 1]} ${symbols[i]}`;
        pairs.set(pair, (pairs.get(pair) ?? 0) + 1);
      }
    }
    const most = Math.max(...pairs.values());
    const first = viewOf<BpeView>(report, 'bpe').headRows[0]!;
    expect(first.count).toBe(most);
    expect(pairs.get(`${first.left} ${first.right}`)).toBe(most);
  });

  it('predicts from counts of token sequences: P(next | last token) is the bigram count over the context count, add-one smoothed', async () => {
    const report = await runTemplate('bpe-vs-ngram');
    const units = outputOf<Tokens>(report, 'tokenizer', 'tokens').pieces.map((p) => p.piece);
    const view = viewOf<{
      level: string;
      vocabSize: number;
      prediction: { context: string[]; contextCount: number; k: number; next: { unit: string; count: number; probability: number }[] };
    }>(report, 'ngram');
    expect(view.level).toBe('token');
    const last = units.at(-1)!;
    expect(view.prediction.context).toEqual([last]);
    let contextCount = 0;
    const follows = new Map<string, number>();
    for (let i = 1; i < units.length; i++) {
      if (units[i - 1] !== last) continue;
      contextCount++;
      follows.set(units[i]!, (follows.get(units[i]!) ?? 0) + 1);
    }
    expect(view.prediction.contextCount).toBe(contextCount);
    const best = view.prediction.next[0]!;
    expect(best.count).toBe(Math.max(...follows.values()));
    expect(best.probability).toBeCloseTo((best.count + 1) / (contextCount + view.vocabSize), 12);
  });
});

describe('“What is the whole flow from text to output text?” (pipeline)', () => {
  it('feeds the model [40, 1842] and gets a probability for each of the 50,257 tokens, top-5 shown', async () => {
    const report = await runTemplate('pipeline');
    expect(outputOf<{ ids: number[] }>(report, 'ids', 'ids').ids).toEqual([40, 1842]);
    const transformer = viewOf<{ vocabSize: number; topK: Predictions['topK'] }>(report, 'transformer');
    expect(transformer.vocabSize).toBe(50_257);
    const top = transformer.topK[0]!.candidates;
    expect(top).toHaveLength(5);
    for (let i = 1; i < top.length; i++) expect(top[i]!.prob).toBeLessThanOrEqual(top[i - 1]!.prob);
  });

  it('generates greedily: the first new token is the Transformer’s top-1, and Decode turns the IDs back into text', async () => {
    const report = await runTemplate('pipeline');
    const top1 = viewOf<{ topK: Predictions['topK'] }>(report, 'transformer').topK[0]!.candidates[0]!;
    const generated = outputOf<{ ids: number[] }>(report, 'generate', 'ids').ids;
    expect(generated.slice(0, 2)).toEqual([40, 1842]);
    expect(generated).toHaveLength(2 + 20);
    expect(generated[2]).toBe(top1.id);
    const decoded = viewOf<{ text: string; tokens: { id: number }[] }>(report, 'decode');
    expect(decoded.tokens.map((t) => t.id)).toEqual(generated);
    expect(decoded.text.startsWith(`I love${top1.token.replace('Ġ', ' ')}`)).toBe(true);
  });
});

describe('“Do token IDs change during fine-tuning?” (finetune)', () => {
  it('leaves the prompt’s token IDs identical after training, equal to what the IDs node gives', async () => {
    const report = await runTemplate('finetune');
    const ft = viewOf<FinetuneDetails>(report, 'finetune');
    const ids = outputOf<{ ids: number[] }>(report, 'ids', 'ids').ids;
    expect(ft.watch.identical).toBe(true);
    expect(ft.watch.before.map((p) => p.id)).toEqual(ids);
    expect(ft.watch.after.map((p) => p.id)).toEqual(ids);
  });

  it('moves the weights and the predictions: embedding rows change, the loss on the paragraph falls, the top-5 differs', async () => {
    const report = await runTemplate('finetune');
    const ft = viewOf<FinetuneDetails>(report, 'finetune');
    expect(ft.watchedRows.length).toBeGreaterThan(0);
    for (const row of ft.watchedRows) expect(row.change).toBeGreaterThan(0);
    expect(ft.history.at(-1)!.fineTuneLoss).toBeLessThan(ft.history[0]!.fineTuneLoss!);
    const base = viewOf<{ fineTuned: unknown; topK: Predictions['topK'] }>(report, 'base');
    const tuned = viewOf<{ fineTuned: unknown; topK: Predictions['topK'] }>(report, 'tuned');
    expect(base.fineTuned).toBeFalsy();
    expect(tuned.fineTuned).toBeTruthy();
    const top = (v: typeof base) => v.topK[0]!.candidates.map((c) => c.id);
    expect(top(tuned)).not.toEqual(top(base));
  });
});

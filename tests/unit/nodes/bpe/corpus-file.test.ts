/**
 * The BPE node trained on a corpus file, through the real executor: a local file (a Blob, as the
 * browser's File) registered in the worker by its streamed hash, and an uploaded file read from
 * a real store folder by a server run. Both give the merges of the same text wired as the corpus
 * input; where the file is not, the node says what to do.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecipeCache } from '@/nodes/engine/cache';
import type { Resources } from '@/nodes/engine/define-node';
import { execute, type RunEvent, type Where } from '@/nodes/engine/executor';
import { registerLocalCorpus, type CorpusFileRef } from '@/nodes/shared/corpus-file';
import { corpusReader } from '@/server/corpora/reader';
import { CorpusStore } from '@/server/corpora/store';
import { englishCorpus } from '@/scripts/make-corpora';
import { graph, nodeResources, testRegistry } from '../../engine/fixtures';

const corpusText = englishCorpus(300_000) + '\r\nଓଡ଼ିଆ ଭାଷା 😀\n';
const bytes = new TextEncoder().encode(corpusText);
const sha256 = createHash('sha256').update(bytes).digest('hex');

function doc(bpeParams: Record<string, unknown>, withCorpusInput = false) {
  return graph(
    [
      ['t', 'text', { text: 'The government of the people' }],
      ['p', 'pretokenize', { mode: 'bytelevel' }],
      ['b', 'bpe', { vocabSize: 700, minFrequency: 2, ...bpeParams }],
      ...(withCorpusInput ? ([['c', 'text', { text: corpusText }]] as [string, string, Record<string, unknown>][]) : []),
    ],
    [['t', 'p'], ['p', 'b', 'pretokens', 'pretokens'], ...(withCorpusInput ? ([['c', 'b', 'text', 'corpus']] as [string, string, string, string][]) : [])],
  );
}

async function run(d: ReturnType<typeof doc>, where: Where, resources: Resources = nodeResources, cache = createRecipeCache()) {
  const events: RunEvent[] = [];
  const report = await execute(d, { registry: testRegistry, cache, where, resources, onEvent: (e) => events.push(e) });
  const outcome = report.outcomes.get('b') as unknown as { status: string; message?: string; outputs?: { tokenizer: { model: { merges: { left: string; right: string }[] } } } };
  return { outcome, events, merges: outcome.outputs?.tokenizer.model.merges.map((m) => `${m.left} ${m.right}`) };
}

describe('BPE trained on a corpus file', () => {
  let dir: string;
  let serverResources: Resources;
  let reference: string[] | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tokenloom-bpe-file-'));
    await new CorpusStore(dir).write((async function* () {
      yield bytes;
    })(), { maxBytes: 10_000_000 });
    serverResources = { ...nodeResources, openCorpus: corpusReader({ TOKENLOOM_CORPUS_DIR: dir }) };
    reference = (await run(doc({}, true), 'server')).merges;
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('trains on a local file, hashed as a stream, exactly as on its text, with progress in bytes and merges', async () => {
    const registered = await registerLocalCorpus(new Blob([bytes]));
    expect(registered).toEqual({ sha256, bytes: bytes.length });
    const ref: CorpusFileRef = { sha256, name: 'sotu.txt', bytes: bytes.length, where: 'browser', format: 'txt' };
    const { merges, events } = await run(doc({ corpusFile: ref }), 'browser');
    expect(merges).toEqual(reference);
    expect(merges!.length).toBe(700 - 256 - 1);
    const lines = events.flatMap((e) => (e.type === 'node:progress' && e.nodeId === 'b' && e.message ? [e.message] : []));
    expect(lines.some((l) => /merges/.test(l))).toBe(true);
  });

  it('trains a server run on the uploaded file, read from the store with its hash checked', async () => {
    const ref: CorpusFileRef = { sha256, name: 'sotu.txt', bytes: bytes.length, where: 'server', format: 'txt' };
    expect((await run(doc({ corpusFile: ref }), 'server', serverResources)).merges).toEqual(reference);
  });

  it('says what to do where the file is not', async () => {
    const local: CorpusFileRef = { sha256: 'f'.repeat(64), name: 'odia.txt', bytes: 12_300_000, where: 'browser', format: 'txt' };
    expect((await run(doc({ corpusFile: local }), 'browser')).outcome.message).toContain(
      'Choose odia.txt again (12.3 MB): the browser forgets local files when the page reloads.',
    );
    expect((await run(doc({ corpusFile: local }), 'server', serverResources)).outcome.message).toContain(
      'The corpus file odia.txt is in your browser only: run this graph in the browser, or upload the file to the server.',
    );
    const remote: CorpusFileRef = { ...local, where: 'server' };
    expect((await run(doc({ corpusFile: remote }), 'browser')).outcome.message).toContain('is stored on the server: set Run on to Server');
    expect((await run(doc({ corpusFile: remote }), 'server', serverResources)).outcome.message).toContain(
      'This server has no corpus file ffffffffffff…: upload the file again',
    );
  });

  it('refuses a local file over 200 MB before reading it', async () => {
    const huge = { size: 201 * 1024 * 1024, stream: () => { throw new Error('read'); } } as unknown as Blob;
    await expect(registerLocalCorpus(huge)).rejects.toThrow('the browser trains on files up to 200 MB');
  });
});

/**
 * How server runs read corpus files: the store's verified stream (store.ts), with a missing file
 * said in a sentence. Made lazily, so a process that never trains on a file never reads the
 * corpus settings.
 * Not handled here: who may read (a corpus's sha256 is its capability: anyone with a graph naming
 * it can train on it, as anyone with a share link can open the graph).
 */
import { readCorpusSettings } from './settings';
import { CorpusStore, SHA256_HEX } from './store';

export function corpusReader(source: Record<string, string | undefined> = process.env) {
  let store: CorpusStore | undefined;
  return async function* openCorpus(sha256: string, signal: AbortSignal): AsyncGenerator<Uint8Array> {
    if (!SHA256_HEX.test(sha256)) throw new Error('A corpus file is named by its sha256: 64 lower-case hexadecimal digits.');
    store ??= new CorpusStore(readCorpusSettings(source).dir);
    if (!(await store.has(sha256))) {
      throw new Error(`This server has no corpus file ${sha256.slice(0, 12)}…: upload the file again (Corpus file, Upload to the server).`);
    }
    yield* store.read(sha256, signal);
  };
}

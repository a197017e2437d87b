/**
 * The download for a notebook export: the .ipynb alone, or, when the notebook reads files (the
 * shipped tokenizers and model, a trained BPE's tokenizer.json), a .zip holding the notebook and
 * those files in the folders it expects (tokenizers/gpt2/…, models/tokenloom-tiny/…, bpe/<node>/…,
 * corpora/odia.txt).
 *
 *   const out = await bundleNotebook(built, 'how-is-a-vocabulary-made', (root, path) => fetchBytes(`/${root}/${path}`));
 *   out.filename  // 'how-is-a-vocabulary-made.zip'
 *
 * Isomorphic: `readShipped` is the caller's (fetch of /hub/ and /models/ in the browser, a file
 * read in Node). Zipped with fflate; the model (already compressed floats) is stored, not deflated.
 *
 * Not handled here: building the notebook (notebook.ts); files over the browser's memory.
 */
import { strToU8, zipSync, type Zippable } from 'fflate';
import type { NotebookExport } from './notebook';
import { loadCorpusText } from '../text/odia-corpus';

export type ReadShipped = (root: 'hub' | 'models', path: string) => Promise<Uint8Array>;

export interface NotebookDownload {
  filename: string;
  mime: string;
  bytes: Uint8Array;
}

/** The notebook as nbformat writes it: JSON with one-space indent and a final newline. */
export function notebookJson(built: NotebookExport): string {
  return `${JSON.stringify(built.notebook, null, 1)}\n`;
}

export async function bundleNotebook(built: NotebookExport, baseName: string, readShipped: ReadShipped): Promise<NotebookDownload> {
  const ipynb = notebookJson(built);
  if (built.files.length === 0) {
    return { filename: `${baseName}.ipynb`, mime: 'application/x-ipynb+json', bytes: strToU8(ipynb) };
  }
  const entries: Zippable = { [`${baseName}/${baseName}.ipynb`]: strToU8(ipynb) };
  for (const file of built.files) {
    const bytes =
      'text' in file
        ? strToU8(file.text)
        : 'base64' in file
          ? Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0))
          : 'corpus' in file
            ? strToU8(await loadCorpusText())
            : await readShipped(file.shipped.root, file.shipped.path);
    entries[`${baseName}/${file.path}`] = file.path.endsWith('.onnx') ? [bytes, { level: 0 }] : bytes;
  }
  return { filename: `${baseName}.zip`, mime: 'application/zip', bytes: zipSync(entries, { level: 6 }) };
}

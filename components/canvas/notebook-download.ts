/**
 * Share → "Open in JupyterLab (.ipynb)": the current graph as a notebook, with the values of the
 * current run as its expected values, downloaded as .ipynb, or as .zip when the shipped
 * tokenizers or model (fetched from the app's own /hub/ and /models/) or a trained BPE ride along.
 *
 * Not handled here: the notebook itself (nodes/export/notebook.ts) and the zip (nodes/export/bundle.ts).
 */
import { buildNotebook, type BpeNotebookData } from '@/nodes/export/notebook';
import { bundleNotebook } from '@/nodes/export/bundle';
import { downloadText, slugify } from './sharing';
import { useLab } from './store';
import { askNode } from './use-node-query';

async function readShipped(root: 'hub' | 'models', path: string): Promise<Uint8Array> {
  const response = await fetch(`/${root}/${path}`);
  if (!response.ok) throw new Error(`${path} could not be read (${response.status}).`);
  return new Uint8Array(await response.arrayBuffer());
}

/** Builds and downloads the notebook; returns the file name, or throws with a sentence for the toast. */
export async function downloadNotebook(): Promise<string> {
  const lab = useLab.getState();
  const doc = lab.doc();
  const views: Record<string, unknown> = {};
  for (const [id, runtime] of Object.entries(lab.runtime)) {
    if ((runtime.status === 'done' || runtime.status === 'cached') && runtime.view !== undefined) views[id] = runtime.view;
  }
  const bpe: Record<string, BpeNotebookData> = {};
  for (const node of doc.nodes) {
    // A BPE node without a result yet gets its Python without the lab's values.
    if (node.type === 'bpe' && views[node.id] !== undefined) bpe[node.id] = (await askNode(node.id, 'bpe', { notebook: true })) as BpeNotebookData;
  }
  const out = await bundleNotebook(buildNotebook({ doc, views, bpe }), slugify(doc.title), readShipped);
  downloadText(out.filename, out.bytes, out.mime);
  return out.filename;
}

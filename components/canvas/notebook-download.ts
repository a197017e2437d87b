/**
 * Share → "Open in JupyterLab (.ipynb)": the current graph as a notebook, with the values of the
 * current run as its expected values, downloaded as .ipynb, or as .zip when the shipped
 * tokenizers or model (fetched from the app's own /hub/ and /models/) or a trained BPE ride along.
 *
 * Not handled here: the notebook itself (nodes/export/notebook.ts) and the zip (nodes/export/bundle.ts).
 */
import { buildNotebook, type BpeNotebookData, type TrainedNotebookData } from '@/nodes/export/notebook';
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
  const trained: Record<string, TrainedNotebookData> = {};
  for (const node of doc.nodes) {
    // A trained node without a result yet gets its Python without the lab's values.
    if (views[node.id] === undefined) continue;
    if (node.type === 'bpe') bpe[node.id] = (await askNode(node.id, 'bpe', { notebook: true })) as BpeNotebookData;
    if (node.type === 'wordpiece' || node.type === 'unigram') trained[node.id] = (await askNode(node.id, node.type, { notebook: true })) as TrainedNotebookData;
  }
  const out = await bundleNotebook(buildNotebook({ doc, views, bpe, trained }), slugify(doc.title), readShipped);
  downloadText(out.filename, out.bytes, out.mime);
  return out.filename;
}

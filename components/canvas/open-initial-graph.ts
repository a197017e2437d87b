import { loadGraphDoc, type GraphDoc } from '@/nodes/engine/graph-doc';
import { findTemplate } from '@/nodes/templates';
import { decodeGraphFromHash, editSecretFor, loadDraft } from './sharing';
import { useLab } from './store';

/**
 * Which graph the canvas opens: a saved one (editable when this browser holds its secret, with
 * any unsaved draft restored), one carried in the URL hash (read-only), the local draft of the
 * start page (also under a template's address, while it is that template's), or the given starter.
 */
export function openInitialGraph(initial: GraphDoc, graphId: string | undefined) {
  const lab = useLab.getState();
  const same = (a: GraphDoc, b: GraphDoc) => JSON.stringify(a) === JSON.stringify(b);
  if (graphId) {
    const canEdit = Boolean(editSecretFor(graphId));
    const draft = canEdit ? loadDraft(graphId) : undefined;
    if (draft && !same(draft, initial)) {
      lab.load(draft, { graphId, readOnly: false });
      lab.showToast('Restored your unsaved edits to this graph.', 'info');
    } else {
      lab.load(initial, { graphId, readOnly: !canEdit, saved: true });
    }
    return;
  }
  const template = findTemplate(new URLSearchParams(window.location.search).get('template') ?? '');
  if (template) {
    // A reload of a template the learner has edited keeps the edits: the start page's draft is
    // this template's while it still carries the template's title.
    const draft = loadDraft('local');
    if (draft && draft.title === template.doc.title && !same(draft, template.doc)) {
      lab.load(draft);
      // The template's focus node opens as it does on a fresh visit, if the edits kept it.
      if (draft.nodes.some((n) => n.id === template.focus)) lab.inspect(template.focus);
      lab.showToast('Restored your unsaved edits to this template.', 'info');
      return;
    }
    lab.load(template.doc);
    lab.inspect(template.focus);
    return;
  }
  const fromHash = decodeGraphFromHash(window.location.hash);
  if (fromHash?.ok) {
    lab.load(fromHash.doc, { readOnly: true });
    return;
  }
  if (fromHash && !fromHash.ok) lab.showToast(fromHash.message);
  const draft = loadDraft('local');
  if (draft && !same(draft, initial)) {
    lab.load(draft);
    lab.showToast('Restored your unsaved graph from last time.', 'info');
    return;
  }
  const loaded = loadGraphDoc(initial);
  if (loaded.ok) lab.load(loaded.doc);
  else lab.showToast(loaded.message);
}

'use client';
/**
 * Save and fork, and the local autosave. Saving a new graph gives it an id and keeps the edit
 * secret in this browser; saving again updates it. A failed save says why and keeps the graph
 * (it is also in this browser's drafts). Forking a saved graph asks the server for a copy; a
 * graph that came in a hash link, or any graph while the server is down, forks into a local copy.
 */
import { useCallback, useEffect, useState } from 'react';
import { api, describeApiError } from '@/trpc/client';
import { clearDraft, editSecretFor, rememberEditSecret, saveDraft } from './sharing';
import { useLab } from './store';

function showUrl(path: string) {
  window.history.replaceState(null, '', path);
}

export function useSharing() {
  const [busy, setBusy] = useState<'saving' | 'forking' | null>(null);

  const save = useCallback(async () => {
    const lab = useLab.getState();
    if (lab.readOnly) {
      lab.showToast('This graph is read-only. Fork it first, then save your copy.', 'info');
      return;
    }
    setBusy('saving');
    const doc = lab.doc();
    const revision = lab.revision;
    try {
      const secret = lab.graphId ? editSecretFor(lab.graphId) : undefined;
      if (lab.graphId && secret) {
        await api.graph.update.mutate({ id: lab.graphId, editSecret: secret, doc });
        useLab.setState({ savedRevision: revision });
        clearDraft(lab.graphId);
      } else {
        const { id, editSecret } = await api.graph.create.mutate({ doc });
        rememberEditSecret(id, editSecret);
        clearDraft('local');
        useLab.getState().setSaved(id);
        useLab.setState({ savedRevision: revision });
        showUrl(`/g/${id}`);
      }
      useLab.getState().showToast('Saved. Anyone with the link can open it read-only.', 'info');
    } catch (error) {
      useLab
        .getState()
        .showToast(`Could not save: ${describeApiError(error)} Your graph is still here, and kept in this browser until it saves.`);
    } finally {
      setBusy(null);
    }
  }, []);

  const fork = useCallback(async () => {
    const lab = useLab.getState();
    const doc = { ...lab.doc(), title: lab.title.startsWith('Copy of ') ? lab.title : `Copy of ${lab.title}` };
    setBusy('forking');
    try {
      if (lab.graphId) {
        const { id, editSecret } = await api.graph.fork.mutate({ id: lab.graphId, doc });
        rememberEditSecret(id, editSecret);
        useLab.getState().load(doc, { graphId: id, readOnly: false, saved: true });
        showUrl(`/g/${id}`);
        useLab.getState().showToast('Forked: this copy is yours to edit.', 'info');
        return;
      }
      useLab.getState().load(doc, { graphId: null, readOnly: false });
      showUrl('/');
      useLab.getState().showToast('This is now your own copy, kept in this browser. Save it to get a link.', 'info');
    } catch (error) {
      useLab.getState().load(doc, { graphId: null, readOnly: false });
      showUrl('/');
      useLab.getState().showToast(`The server could not make a copy (${describeApiError(error)}). You have a local copy: save it later.`);
    } finally {
      setBusy(null);
    }
  }, []);

  return { save, fork, busy };
}

/** Keep a draft of the editable graph in localStorage, so a reload or a failed save loses nothing. */
export function useAutosave() {
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = useLab.subscribe((s, prev) => {
      if (s.readOnly || (s.nodes === prev.nodes && s.edges === prev.edges && s.title === prev.title && s.lesson === prev.lesson)) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        const lab = useLab.getState();
        if (lab.readOnly || lab.revision === lab.savedRevision) return;
        saveDraft(lab.graphId ?? 'local', lab.doc());
      }, 400);
    });
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, []);
}

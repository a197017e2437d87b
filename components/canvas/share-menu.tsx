'use client';
/** Save, share links (saved or carried in the URL hash), export/import, and Fork for read-only graphs. */
import { useEffect, useRef, useState } from 'react';
import { api } from '@/trpc/client';
import { myGraphIds } from './sharing';
import { BookOpen, Download, GitFork, Link2, Save, Share2, Upload } from 'lucide-react';
import { downloadNotebook } from './notebook-download';
import { MAX_HASH_CHARS, downloadJson, encodeGraphForHash, readGraphFile, slugify } from './sharing';
import { useLab } from './store';
import { useSharing } from './use-sharing';

/** The graphs this browser can edit (it holds their secrets), newest first, from graph.listMine. */
function MyGraphs() {
  const [graphs, setGraphs] = useState<{ id: string; title: string; updatedAt: string }[] | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    const ids = myGraphIds().slice(-100);
    if (ids.length === 0) {
      setGraphs([]);
      return;
    }
    api.graph.listMine
      .query({ ids })
      .then((rows) => setGraphs(rows.map((r) => ({ id: r.id, title: r.title, updatedAt: r.updatedAt }))))
      .catch(() => setFailed(true));
  }, []);
  if (failed) return <p className="text-xs text-slate-500">Your saved graphs cannot be listed: the server did not answer.</p>;
  if (!graphs || graphs.length === 0) return null;
  return (
    <div className="grid gap-1 border-t border-slate-100 pt-2 dark:border-slate-800" data-testid="my-graphs">
      <h3 className="text-xs font-semibold text-slate-500 uppercase">Your saved graphs</h3>
      {graphs.slice(0, 8).map((g) => (
        <a key={g.id} href={`/g/${g.id}`} className="truncate text-sky-700 hover:underline dark:text-sky-300">
          {g.title} <span className="text-xs text-slate-500">{new Date(g.updatedAt).toLocaleString()}</span>
        </a>
      ))}
    </div>
  );
}

export function ShareMenu({ sharing }: { sharing: ReturnType<typeof useSharing> }) {
  const [open, setOpen] = useState(false);
  const [link, setLink] = useState('');
  const fileInput = useRef<HTMLInputElement>(null);
  const readOnly = useLab((s) => s.readOnly);
  const graphId = useLab((s) => s.graphId);
  const dirty = useLab((s) => s.savedRevision !== s.revision);
  const { save, fork, busy } = sharing;

  const copy = async (text: string) => {
    setLink(text);
    try {
      await navigator.clipboard.writeText(text);
      useLab.getState().showToast('Link copied.', 'info');
    } catch {
      // No clipboard permission: the link stays selected in the field for the user to copy.
    }
  };

  const copySavedLink = async () => {
    if (!graphId || dirty) await save();
    const id = useLab.getState().graphId;
    if (id) await copy(`${window.location.origin}/g/${id}`);
  };

  const copyHashLink = (query = '') => {
    const encoded = encodeGraphForHash(useLab.getState().doc());
    if (encoded.length > MAX_HASH_CHARS) {
      useLab
        .getState()
        .showToast(`This graph is too large to travel inside a link (${Math.round(encoded.length / 1000)} k characters). Save it and share that link instead.`);
      return;
    }
    void copy(`${window.location.origin}/${query}#g=${encoded}`);
  };

  return (
    <div className="relative flex items-center gap-1">
      {readOnly ? (
        <button type="button" className="btn border-sky-400 text-sky-700" onClick={() => void fork()} disabled={busy !== null} data-testid="fork">
          <GitFork size={14} /> Fork to edit
        </button>
      ) : (
        <button type="button" className="btn" onClick={() => void save()} disabled={busy !== null} title="Save (Ctrl/⌘ S)" data-testid="save">
          <Save size={14} /> {busy === 'saving' ? 'Saving…' : graphId && !dirty ? 'Saved' : 'Save'}
        </button>
      )}
      <button type="button" className="btn" onClick={() => setOpen((o) => !o)} aria-expanded={open} data-testid="share">
        <Share2 size={14} /> Share
      </button>
      {open && (
        <div role="dialog" aria-label="Share" className="absolute top-9 right-0 z-50 grid w-96 gap-2 rounded-xl border border-slate-200 bg-white p-3 text-sm shadow-xl dark:border-slate-700 dark:bg-slate-900">
          <button type="button" className="btn justify-start" onClick={() => void copySavedLink()} disabled={readOnly && !graphId}>
            <Link2 size={14} /> Copy link {readOnly ? '' : '(saves first)'}
          </button>
          <button type="button" className="btn justify-start" onClick={() => copyHashLink()} data-testid="copy-hash-link">
            <Link2 size={14} /> Copy link with the graph inside (no server needed)
          </button>
          <button
            type="button"
            className="btn justify-start"
            data-testid="copy-lesson-link"
            disabled={!(useLab.getState().lesson?.steps.length)}
            onClick={() => {
              const lab = useLab.getState();
              if (lab.graphId && lab.savedRevision === lab.revision) void copy(`${window.location.origin}/g/${lab.graphId}?lesson=1`);
              else copyHashLink('?lesson=1');
            }}
          >
            <Link2 size={14} /> Copy lesson link (opens in lesson mode)
          </button>
          {link && (
            <input
              readOnly
              aria-label="Share link"
              data-testid="share-link"
              className="field font-mono text-xs"
              value={link}
              onFocus={(e) => e.currentTarget.select()}
            />
          )}
          <button
            type="button"
            className="btn justify-start"
            data-testid="export-notebook"
            title="A Python notebook that redoes this graph with tokenizers, transformers and torch, and checks the lab’s values"
            onClick={() =>
              void downloadNotebook().then(
                (name) => useLab.getState().showToast(`Downloaded ${name}.`, 'info'),
                (e: Error) => useLab.getState().showToast(`Notebook not exported: ${e.message}`),
              )
            }
          >
            <BookOpen size={14} /> Open in JupyterLab (.ipynb)
          </button>
          <div className="flex gap-2 border-t border-slate-100 pt-2 dark:border-slate-800">
            <button
              type="button"
              className="btn"
              onClick={() => {
                const doc = useLab.getState().doc();
                downloadJson(`${slugify(doc.title)}.tokenloom.json`, doc);
              }}
            >
              <Download size={14} /> Export JSON
            </button>
            <button type="button" className="btn" onClick={() => fileInput.current?.click()} disabled={readOnly}>
              <Upload size={14} /> Import JSON
            </button>
            <input
              ref={fileInput}
              type="file"
              accept=".json,application/json"
              className="hidden"
              data-testid="import-file"
              onChange={async (e) => {
                const file = e.target.files?.[0];
                e.target.value = '';
                if (!file) return;
                const loaded = await readGraphFile(file);
                const lab = useLab.getState();
                if (!loaded.ok) {
                  lab.showToast(`Not imported: ${loaded.message}`);
                  return;
                }
                const unknown = lab.load(loaded.doc, { graphId: null, readOnly: false });
                window.history.replaceState(null, '', '/');
                lab.showToast(
                  unknown.length ? `Imported, without unknown nodes: ${unknown.join(', ')}.` : `Imported “${loaded.doc.title}”.`,
                  unknown.length ? 'error' : 'info',
                );
                setOpen(false);
              }}
            />
          </div>
          <MyGraphs />
        </div>
      )}
    </div>
  );
}

'use client';
/**
 * The BPE node's corpus file: train on a local file (read as a stream in the engine worker, up to
 * 200 MB, never uploaded) or on a file uploaded to the server (up to the server's limit). The
 * graph keeps only the reference (sha256, name, size, where); see nodes/shared/corpus-file.ts.
 *
 * Uploading hashes the file in the worker first and sends the hash along, so the server keeps it
 * only if the bytes that arrived are the bytes chosen. XMLHttpRequest, not fetch: it streams the
 * File and reports upload progress.
 */
import { useRef, useState } from 'react';
import { chooseLocalCorpus, hasLocalCorpusInPage } from '@/components/canvas/engine-channel';
import { useLab } from '@/components/canvas/store';
import type { ParamsOf, ViewOf } from '@/nodes';
import type { CorpusFileRef } from '@/nodes/shared/corpus-file';

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`;

function upload(file: File, sha256: string, onProgress: (bytes: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/corpora?name=${encodeURIComponent(file.name)}&sha256=${sha256}`);
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onload = () => {
      if (xhr.status === 200 || xhr.status === 201) return resolve();
      let message = `The server refused the file (HTTP ${xhr.status}).`;
      try {
        message = (JSON.parse(xhr.responseText) as { error?: string }).error ?? message;
      } catch {
        // keep the status sentence
      }
      reject(new Error(message));
    };
    xhr.onerror = () => reject(new Error('The upload broke off before the end, so nothing was kept. Upload the file again.'));
    xhr.send(file);
  });
}

/** The BPE kind's settings slot: its corpusFile param, and how far its training on the file is. */
export function BpeCorpusFile({ nodeId, params, setParams }: { nodeId: string; params: ParamsOf<'bpe'>; setParams(patch: Partial<ParamsOf<'bpe'>>): void }) {
  return (
    <>
      <CorpusFilePicker value={params.corpusFile ?? null} onChange={(corpusFile) => setParams({ corpusFile })} />
      {params.corpusFile && <CorpusFileTraining nodeId={nodeId} />}
    </>
  );
}

/**
 * While the node trains on the file: bytes read, words counted, merges made and the time left,
 * as the node's progress bar says. After: what the file gave (words, different words).
 */
function CorpusFileTraining({ nodeId }: { nodeId: string }) {
  const runtime = useLab((s) => s.runtime[nodeId]);
  if (runtime?.status === 'running' && runtime.progressMessage) {
    return (
      <p className="text-sm text-sky-700 dark:text-sky-300" data-testid="corpus-file-progress">
        Training: {runtime.progressMessage}
      </p>
    );
  }
  const file = runtime?.status === 'done' || runtime?.status === 'cached' ? (runtime.view as ViewOf<'bpe'> | undefined)?.corpusFile : null;
  if (!file || file.words === 0) return null;
  return (
    <p className="text-sm" data-testid="corpus-file-words">
      Trained on {mb(file.bytes)}: {file.words.toLocaleString('en-US')} words counted, {`${file.uniqueWords.toLocaleString('en-US')} of them different.`}
    </p>
  );
}

function CorpusFilePicker({ value, onChange }: { value: CorpusFileRef | null; onChange(ref: CorpusFileRef | null): void }) {
  const input = useRef<HTMLInputElement>(null);
  const [target, setTarget] = useState<'browser' | 'server'>('browser');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const pick = (where: 'browser' | 'server') => {
    setTarget(where);
    setError(null);
    input.current?.click();
  };

  const chosen = async (file: File) => {
    try {
      setBusy(`Reading ${file.name}: 0 of ${mb(file.size)}`);
      const { sha256, bytes } = await chooseLocalCorpus(file, (read) => setBusy(`Reading ${file.name}: ${mb(read)} of ${mb(file.size)}`));
      if (target === 'server') {
        await upload(file, sha256, (sent) => setBusy(`Uploading ${file.name}: ${mb(sent)} of ${mb(file.size)}`));
      }
      const jsonl = /\.jsonl$/i.test(file.name);
      onChange({ sha256, name: file.name, bytes, where: target, format: jsonl ? 'jsonl' : 'txt', ...(jsonl ? { jsonlField: value?.jsonlField ?? 'text' } : {}) });
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(null);
    }
  };

  const forgotten = value?.where === 'browser' && !hasLocalCorpusInPage(value.sha256);
  return (
    <div className="grid gap-2 text-sm" data-testid="corpus-file">
      <h3 className="text-sm font-semibold">Corpus file</h3>
      {value ? (
        <p data-testid="corpus-file-current">
          Trains on <span className="font-medium">{value.name}</span> ({mb(value.bytes)}{value.format === 'jsonl' ? `, JSON Lines field “${value.jsonlField ?? 'text'}”` : ''}),{' '}
          {value.where === 'browser' ? 'read in this browser' : 'stored on the server'}; the graph keeps only its checksum.
        </p>
      ) : (
        <p className="text-slate-600 dark:text-slate-300">
          Trains on the corpus input (or the text itself). For a big corpus, train on a file instead: up to 200 MB read in your browser, or uploaded to the server.
        </p>
      )}
      {forgotten && (
        <p className="text-amber-700 dark:text-amber-300" data-testid="corpus-file-forgotten">
          Choose {value.name} again: the browser forgets local files when the page reloads.
        </p>
      )}
      {value?.format === 'jsonl' && (
        <label className="grid gap-1">
          <span className="text-xs font-medium text-slate-500">JSON Lines field</span>
          <input className="input" value={value.jsonlField ?? 'text'} maxLength={100} onChange={(e) => onChange({ ...value, jsonlField: e.target.value })} />
        </label>
      )}
      <input
        ref={input}
        type="file"
        accept=".txt,.jsonl,text/plain"
        className="hidden"
        data-testid="corpus-file-input"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) void chosen(file);
        }}
      />
      <div className="flex flex-wrap gap-2">
        <button type="button" className="btn" disabled={busy !== null} onClick={() => pick('browser')} data-testid="corpus-file-local">
          Train on a local file…
        </button>
        <button type="button" className="btn" disabled={busy !== null} onClick={() => pick('server')} data-testid="corpus-file-upload">
          Upload to the server…
        </button>
        {value && (
          <button type="button" className="btn" disabled={busy !== null} onClick={() => onChange(null)} data-testid="corpus-file-clear">
            Use the corpus input
          </button>
        )}
      </div>
      {busy && <p className="text-sky-700 dark:text-sky-300" data-testid="corpus-file-busy">{busy}</p>}
      {error && <p className="text-rose-700 dark:text-rose-300" data-testid="corpus-file-error">{error}</p>}
    </div>
  );
}

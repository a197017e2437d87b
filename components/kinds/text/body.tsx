'use client';
/**
 * The Text node's body: the text itself (typed in place), bundled samples, and file upload
 * (.txt, .jsonl with a field picker). A file past the limit, invalid UTF-8 or a JSONL file with
 * no string field gets a clear message and leaves the current text as it was.
 */
import { useRef, useState } from 'react';
import { Upload } from 'lucide-react';
import { TEXT_SAMPLES } from '@/nodes/text/samples';
import { CORPORA, CORPUS_NAMES } from '@/nodes/text/odia-corpus';
import { TEXT_LIMIT_BYTES } from '@/nodes/text';
import { extractJsonlField, scanJsonl, type JsonlScan } from '@/nodes/text/jsonl';
import { useLab } from '@/components/canvas/store';
import { formatBytes } from '@/components/ui/format';
import type { BodyProps } from '../types';

async function decodeFile(file: File): Promise<{ text: string; invalid: boolean }> {
  const bytes = await file.arrayBuffer();
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), invalid: false };
  } catch {
    return { text: new TextDecoder('utf-8').decode(bytes), invalid: true };
  }
}

export function TextBody({ id, params, view: described }: BodyProps<'text'>) {
  const updateParams = useLab((s) => s.updateParams);
  const showToast = useLab((s) => s.showToast);
  const fileInput = useRef<HTMLInputElement>(null);
  const [jsonl, setJsonl] = useState<{ name: string; raw: string; scan: JsonlScan } | null>(null);
  const corpus = params.corpus || null;
  // A corpus is held by name: the box shows its beginning, and typing replaces it with your own text.
  const text = corpus ? (described?.corpus?.preview ?? '') : String(params.text ?? '');
  const origin = corpus ? `corpus:${corpus}` : String(params.origin ?? 'typed');
  const readOnly = useLab((s) => s.readOnly);

  const onFile = async (file: File) => {
    if (file.size > TEXT_LIMIT_BYTES) {
      showToast(
        `"${file.name}" is ${formatBytes(file.size)}; a Text node takes up to ${formatBytes(TEXT_LIMIT_BYTES)}. Use a shorter excerpt (your current text is unchanged).`,
      );
      return;
    }
    const { text: decoded, invalid } = await decodeFile(file);
    if (invalid) showToast(`"${file.name}" is not valid UTF-8: undecodable bytes were replaced with U+FFFD (�).`, 'info');
    if (/\.jsonl$/i.test(file.name)) {
      const scan = scanJsonl(decoded);
      if (scan.fields.length === 0) {
        const why = scan.errors[0] ? ` (line ${scan.errors[0].line}: ${scan.errors[0].message})` : '';
        showToast(`"${file.name}" has no records with a text field${why}. Each line should be a JSON object such as {"text": "…"}.`);
        return;
      }
      if (scan.fields.length === 1) {
        updateParams(id, { text: extractJsonlField(decoded, scan.fields[0]!.name), origin: `file:${file.name}`, corpus: '' });
        return;
      }
      setJsonl({ name: file.name, raw: decoded, scan });
      return;
    }
    updateParams(id, { text: decoded, origin: `file:${file.name}`, corpus: '' });
  };

  // minmax(0, 1fr) and min-w-0: a long sample title or a wide text never pushes the box past the card.
  return (
    <div className="grid min-w-0 grid-cols-[minmax(0,1fr)] gap-2">
      <textarea
        aria-label="Text"
        data-testid="text-input"
        className="nodrag nowheel field box-border h-28 w-full min-w-0 resize-y font-mono text-xs"
        value={text}
        readOnly={readOnly}
        spellCheck={false}
        onChange={(e) => updateParams(id, { text: e.target.value, origin: 'typed', corpus: '' }, `${id}:text`)}
      />
      {corpus && (
        // Two lines at most on the card (its full source and licence are in the inspector), so
        // the card keeps the height the templates' layouts leave it.
        <div
          className="line-clamp-2 text-[11px] text-slate-500 dark:text-slate-400"
          data-testid="text-corpus"
          title={`${CORPORA[corpus].title}: the box shows its beginning; all of it flows on. ${described?.corpus?.credit ?? ''}`}
        >
          {CORPORA[corpus].title}: the box shows its beginning; all of it flows on. {described?.corpus?.credit}
        </div>
      )}
      <div className="flex min-w-0 items-center gap-2">
        <select
          aria-label="Sample text"
          className="nodrag field min-w-0 flex-1 text-xs"
          value={origin.startsWith('sample:') ? origin.slice(7) : origin.startsWith('corpus:') ? origin : ''}
          onChange={(e) => {
            const sample = TEXT_SAMPLES.find((s) => s.id === e.target.value);
            if (sample) updateParams(id, { text: sample.text, origin: `sample:${sample.id}`, corpus: '' });
            const name = e.target.value.replace(/^corpus:/, '');
            if ((CORPUS_NAMES as string[]).includes(name)) updateParams(id, { text: '', origin: `corpus:${name}`, corpus: name });
          }}
        >
          <option value="" disabled>
            {origin.startsWith('file:') ? origin.slice(5) : 'Your text'}
          </option>
          {TEXT_SAMPLES.map((s) => (
            <option key={s.id} value={s.id}>
              {s.title}
            </option>
          ))}
          {CORPUS_NAMES.map((name) => (
            <option key={name} value={`corpus:${name}`}>
              {CORPORA[name].title}
            </option>
          ))}
        </select>
        <button type="button" className="nodrag btn" title="Upload a .txt or .jsonl file" onClick={() => fileInput.current?.click()}>
          <Upload size={14} /> File
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".txt,.jsonl,text/plain"
          className="hidden"
          data-testid="text-file"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void onFile(file);
          }}
        />
      </div>
      {jsonl && (
        <div className="nodrag grid gap-1 rounded-md bg-sky-50 p-2 text-xs dark:bg-sky-950">
          <span>
            {jsonl.name}: {jsonl.scan.records} records. Which field holds the text?
          </span>
          <div className="flex flex-wrap gap-1">
            {jsonl.scan.fields.map((f) => (
              <button
                type="button"
                key={f.name}
                className="btn"
                onClick={() => {
                  updateParams(id, { text: extractJsonlField(jsonl.raw, f.name), origin: `file:${jsonl.name}`, corpus: '' });
                  setJsonl(null);
                }}
              >
                {f.name} ({f.count})
              </button>
            ))}
            <button type="button" className="btn" onClick={() => setJsonl(null)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {described && (
        <div className="text-[11px] text-slate-500 dark:text-slate-400">
          {described.codePoints.toLocaleString()} characters · {formatBytes(described.utf8Bytes)} UTF-8
          {described.loneSurrogates.length > 0 && <span className="text-rose-600"> · invalid Unicode</span>}
        </div>
      )}
    </div>
  );
}

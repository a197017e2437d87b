/**
 * Sharing in the browser: edit secrets kept by the creator's browser, local drafts that make
 * unsaved edits survive a reload, graphs carried in the URL hash (compressed with lz-string),
 * and JSON file export/import. Everything loaded from outside goes through loadGraphDoc.
 *
 * Not handled here: the server side (server/api/routers/graph-router.ts).
 */
import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from 'lz-string';
import { loadGraphDoc, type GraphDoc, type LoadResult } from '@/nodes/engine/graph-doc';

const SECRETS_KEY = 'tokenloom:secrets';
const DRAFT_PREFIX = 'tokenloom:draft:';
/** A hash link longer than this is refused: save the graph to the server instead. */
export const MAX_HASH_CHARS = 64_000;

function readJson<T>(key: string, fallback: T): T {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : fallback;
  } catch {
    return fallback;
  }
}

export function editSecretFor(id: string): string | undefined {
  return readJson<Record<string, string>>(SECRETS_KEY, {})[id];
}

export function rememberEditSecret(id: string, secret: string) {
  const all = readJson<Record<string, string>>(SECRETS_KEY, {});
  all[id] = secret;
  localStorage.setItem(SECRETS_KEY, JSON.stringify(all));
}

export function myGraphIds(): string[] {
  return Object.keys(readJson<Record<string, string>>(SECRETS_KEY, {}));
}

/** A draft is keyed by where the graph lives: a saved graph's id, or 'local' for the start page. */
export function saveDraft(where: string, doc: GraphDoc) {
  try {
    localStorage.setItem(DRAFT_PREFIX + where, JSON.stringify({ at: Date.now(), doc }));
  } catch {
    // Storage full or disabled: drafts are a convenience, the graph itself is untouched.
  }
}

export function loadDraft(where: string): GraphDoc | undefined {
  const stored = readJson<{ doc?: unknown } | null>(DRAFT_PREFIX + where, null);
  if (!stored?.doc) return undefined;
  const loaded = loadGraphDoc(stored.doc);
  return loaded.ok ? loaded.doc : undefined;
}

export function clearDraft(where: string) {
  localStorage.removeItem(DRAFT_PREFIX + where);
}

export function encodeGraphForHash(doc: GraphDoc): string {
  return compressToEncodedURIComponent(JSON.stringify(doc));
}

export function decodeGraphFromHash(hash: string): LoadResult | null {
  const match = /^#?g=(.+)$/.exec(hash);
  if (!match) return null;
  const json = decompressFromEncodedURIComponent(match[1]!);
  if (!json) return { ok: false, message: 'This link is damaged: the graph inside it cannot be read.' };
  try {
    return loadGraphDoc(JSON.parse(json));
  } catch {
    return { ok: false, message: 'This link is damaged: the graph inside it is not valid JSON.' };
  }
}

/** Save text (or bytes: a zip) as a file through the browser's download. */
export function downloadText(filename: string, text: string | Uint8Array, type = 'application/json') {
  const url = URL.createObjectURL(new Blob([typeof text === 'string' ? text : new Uint8Array(text)], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function downloadJson(filename: string, doc: GraphDoc) {
  downloadText(filename, JSON.stringify(doc, null, 2));
}

export const MAX_IMPORT_BYTES = 2_000_000;

export async function readGraphFile(file: File): Promise<LoadResult> {
  if (file.size > MAX_IMPORT_BYTES) {
    return { ok: false, message: `"${file.name}" is ${(file.size / 1e6).toFixed(1)} MB; a graph file may be at most 2 MB.` };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(await file.text());
  } catch {
    return { ok: false, message: `"${file.name}" is not JSON: export a graph from Tokenloom and import that file.` };
  }
  return loadGraphDoc(raw);
}

export function slugify(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'graph';
}

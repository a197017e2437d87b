/**
 * Uploading, listing and removing a client's corpus files: the store (store.ts) holds the bytes,
 * the `corpus` table who holds which, and each refusal is a sentence for the learner.
 *
 *   const result = await uploadCorpus({ db, store, settings, client, name: 'odia.txt', body });
 *   if (result.ok) graph.corpus = result.corpus.sha256;          // what a graph refers to
 *   else show(result.message);                                   // "The upload broke off…"
 *
 * Quota: the bytes of a client's rows plus the uploads it has going (counted as they arrive), at
 * most settings.quotaBytes, checked before (by Content-Length, when given) and during an upload.
 * Uploads in flight are counted in this process only: with several instances a client could go
 * over by what its concurrent uploads to other instances carry (bounded by the file limit each).
 * The client id comes from server/api/client-identity.ts (a signed cookie), never from the
 * request's own say-so.
 *
 * Not handled here: HTTP (app/api/corpora/route.ts), training (server/corpora/train-corpus.ts).
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '@/server/db/client';
import { corpusTable, type CorpusRow } from '@/server/db/schema';
import type { CorpusSettings } from './settings';
import { CorpusWriteError, SHA256_HEX, type CorpusStore } from './store';

export interface CorpusInfo {
  sha256: string;
  bytes: number;
  name: string;
  createdAt: string;
}

export type UploadResult =
  | { ok: true; corpus: CorpusInfo; alreadyHeld: boolean }
  | { ok: false; status: number; reason: 'too-large' | 'quota' | 'hash-mismatch' | 'aborted' | 'bad-request'; message: string };

/** Bytes of uploads in flight, per client, in this process. */
const inFlight = new Map<string, number>();

export function formatSize(bytes: number): string {
  if (bytes >= 1e9) return `${Number((bytes / 1e9).toPrecision(3))} GB`;
  if (bytes >= 1e6) return `${Number((bytes / 1e6).toPrecision(3))} MB`;
  return `${Number((bytes / 1e3).toPrecision(3))} kB`;
}

/** A file name as stored and shown: well-formed, no control characters, at most 200 characters. */
export function cleanName(name: string): string {
  const cleaned = [...name.toWellFormed()].filter((ch) => ch > '\u001f' && ch !== '\u007f').join('').trim().slice(0, 200);
  return cleaned === '' ? 'corpus.txt' : cleaned;
}

async function usedBytes(db: Database, client: string): Promise<number> {
  const [row] = await db
    .select({ total: sql<string | null>`sum(${corpusTable.bytes})` })
    .from(corpusTable)
    .where(eq(corpusTable.client, client));
  return Number(row?.total ?? 0);
}

function quotaMessage(used: number, incoming: number | null, quota: number): string {
  const file = incoming === null ? 'this file' : `this file (${formatSize(incoming)})`;
  return `Your corpus files on this server already take ${formatSize(used)} of your ${formatSize(quota)}, so ${file} does not fit. Remove a corpus you no longer need, or train on the file in your browser.`;
}

function toInfo(row: CorpusRow): CorpusInfo {
  return { sha256: row.sha256, bytes: row.bytes, name: row.name, createdAt: row.createdAt.toISOString() };
}

export async function uploadCorpus(args: {
  db: Database;
  store: CorpusStore;
  settings: CorpusSettings;
  client: string;
  name: string;
  body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | null;
  /** Content-Length, when the request gave one. */
  declaredBytes?: number | null;
  expectedSha256?: string | null;
}): Promise<UploadResult> {
  const { db, store, settings, client } = args;
  const name = cleanName(args.name);
  const expected = args.expectedSha256 ? args.expectedSha256.toLowerCase() : undefined;
  if (expected !== undefined && !SHA256_HEX.test(expected)) {
    return { ok: false, status: 400, reason: 'bad-request', message: 'The checksum sent with this file is not a sha256 (64 hexadecimal digits).' };
  }
  if (!args.body) return { ok: false, status: 400, reason: 'bad-request', message: 'No file arrived: choose a .txt or .jsonl file to upload.' };
  const max = settings.maxFileBytes;
  const tooLarge = (): UploadResult => ({
    ok: false,
    status: 413,
    reason: 'too-large',
    message: `This file is over ${formatSize(max)}, the largest corpus file this server takes. Upload a part of it, or train on it in your browser.`,
  });
  const declared = args.declaredBytes ?? null;
  if (declared !== null && declared > max) return tooLarge();

  const used = await usedBytes(db, client);
  const quota = settings.quotaBytes;
  const pending = () => inFlight.get(client) ?? 0;
  if (used + pending() + (declared ?? 0) > quota) {
    return { ok: false, status: 507, reason: 'quota', message: quotaMessage(used + pending(), declared, quota) };
  }

  let counted = 0;
  const account = (bytes: number) => {
    inFlight.set(client, pending() + bytes - counted);
    counted = bytes;
  };
  try {
    const written = await store.write(args.body, {
      maxBytes: max,
      expectedSha256: expected,
      onBytes: (bytes) => {
        account(bytes);
        if (used + pending() > quota) {
          account(0); // give the room back at once, so a concurrent upload can use it
          throw new CorpusWriteError('refused', 'quota');
        }
      },
    });
    const [existing] = await db
      .select()
      .from(corpusTable)
      .where(and(eq(corpusTable.client, client), eq(corpusTable.sha256, written.sha256)));
    if (existing) return { ok: true, corpus: toInfo(existing), alreadyHeld: true };
    // Re-check now that the size is known: another upload of this client may have finished.
    const usedNow = await usedBytes(db, client);
    if (usedNow + written.bytes > quota) {
      return { ok: false, status: 507, reason: 'quota', message: quotaMessage(usedNow, written.bytes, quota) };
    }
    const [row] = await db
      .insert(corpusTable)
      .values({ client, sha256: written.sha256, bytes: written.bytes, name })
      .onConflictDoNothing()
      .returning();
    return { ok: true, corpus: toInfo(row ?? { client, sha256: written.sha256, bytes: written.bytes, name, createdAt: new Date() }), alreadyHeld: !row };
  } catch (error) {
    if (!(error instanceof CorpusWriteError)) throw error;
    switch (error.reason) {
      case 'too-large':
        return tooLarge();
      case 'refused':
        return { ok: false, status: 507, reason: 'quota', message: quotaMessage(used, null, quota) };
      case 'hash-mismatch':
        return {
          ok: false,
          status: 422,
          reason: 'hash-mismatch',
          message: 'The file arrived different from the one your browser sent (its checksum does not match), so it was not kept. Upload it again.',
        };
      case 'aborted':
        return { ok: false, status: 400, reason: 'aborted', message: 'The upload broke off before the end, so nothing was kept. Upload the file again.' };
      default: {
        const unreachable: never = error.reason;
        throw new Error(`unknown refusal ${String(unreachable)}`, { cause: error });
      }
    }
  } finally {
    const left = pending() - counted;
    if (left > 0) inFlight.set(client, left);
    else inFlight.delete(client);
  }
}

export async function listCorpora(db: Database, client: string): Promise<CorpusInfo[]> {
  const rows = await db.select().from(corpusTable).where(eq(corpusTable.client, client)).orderBy(corpusTable.createdAt);
  return rows.map(toInfo);
}

/** Drops the client's hold; the file goes when no client holds it any more. */
export async function removeCorpus(db: Database, store: CorpusStore, client: string, sha256: string): Promise<boolean> {
  const removed = await db
    .delete(corpusTable)
    .where(and(eq(corpusTable.client, client), eq(corpusTable.sha256, sha256)))
    .returning();
  if (removed.length === 0) return false;
  const others = await db.select({ sha256: corpusTable.sha256 }).from(corpusTable).where(eq(corpusTable.sha256, sha256)).limit(1);
  if (others.length === 0) await store.remove(sha256);
  return true;
}

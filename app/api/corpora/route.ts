/**
 * /api/corpora: a client's corpus files. A route handler, not tRPC: an upload is a raw byte
 * stream of up to a gigabyte, which tRPC's JSON procedures are not built for.
 *
 *   POST /api/corpora?name=odia.txt[&sha256=<hex>]   body: the file's bytes (fetch(url, { body: file }))
 *     201 { corpus: { sha256, bytes, name, createdAt } }   (200 when the client already held it)
 *     4xx/507 { error: "<a sentence>" }
 *   GET  /api/corpora      { corpora: [...], quotaBytes, maxFileBytes, usedBytes }
 *   DELETE /api/corpora?sha256=<hex>
 *
 * The body is streamed to the store (server/corpora/store.ts) and never held whole. The client is
 * the signed cookie's (server/api/client-identity.ts); a request without one gets one.
 * Not handled here: training on a corpus (server runs read it by hash).
 */
import { identifyClient } from '@/server/api/client-identity';
import { corpusRuntime } from '@/server/corpora/runtime';
import { listCorpora, removeCorpus, uploadCorpus } from '@/server/corpora/corpora';
import { SHA256_HEX } from '@/server/corpora/store';
import { getDb } from '@/server/db/client';

export const runtime = 'nodejs';

function json(body: unknown, status: number, setCookie?: string): Response {
  const headers = new Headers({ 'content-type': 'application/json', 'cache-control': 'no-store' });
  if (setCookie) headers.append('set-cookie', setCookie);
  return new Response(JSON.stringify(body), { status, headers });
}

function identify(request: Request) {
  return identifyClient(request.headers, { secure: new URL(request.url).protocol === 'https:' });
}

const SERVER_FAILURE = 'The server could not store this corpus because of an internal error. Try again in a moment.';

export async function POST(request: Request): Promise<Response> {
  const { client, setCookie } = identify(request);
  const url = new URL(request.url);
  const declared = request.headers.get('content-length');
  try {
    const { store, settings } = corpusRuntime();
    const result = await uploadCorpus({
      db: await getDb(),
      store,
      settings,
      client,
      name: url.searchParams.get('name') ?? 'corpus.txt',
      body: request.body,
      declaredBytes: declared === null || !/^\d+$/.test(declared) ? null : Number(declared),
      expectedSha256: url.searchParams.get('sha256'),
    });
    if (!result.ok) return json({ error: result.message, reason: result.reason }, result.status, setCookie);
    return json({ corpus: result.corpus }, result.alreadyHeld ? 200 : 201, setCookie);
  } catch (error) {
    console.error(`[corpora] upload failed: ${error instanceof Error ? error.name : 'unknown'}`);
    return json({ error: SERVER_FAILURE }, 500, setCookie);
  }
}

export async function GET(request: Request): Promise<Response> {
  const { client, setCookie } = identify(request);
  try {
    const { settings } = corpusRuntime();
    const corpora = await listCorpora(await getDb(), client);
    const usedBytes = corpora.reduce((sum, c) => sum + c.bytes, 0);
    return json({ corpora, usedBytes, quotaBytes: settings.quotaBytes, maxFileBytes: settings.maxFileBytes }, 200, setCookie);
  } catch (error) {
    console.error(`[corpora] list failed: ${error instanceof Error ? error.name : 'unknown'}`);
    return json({ error: 'The server could not list your corpus files. Try again in a moment.' }, 500, setCookie);
  }
}

export async function DELETE(request: Request): Promise<Response> {
  const { client, setCookie } = identify(request);
  const sha256 = new URL(request.url).searchParams.get('sha256') ?? '';
  if (!SHA256_HEX.test(sha256)) return json({ error: 'Say which corpus to remove by its sha256 (64 hexadecimal digits).' }, 400, setCookie);
  try {
    const { store } = corpusRuntime();
    const removed = await removeCorpus(await getDb(), store, client, sha256);
    return removed ? json({ removed: sha256 }, 200, setCookie) : json({ error: 'You hold no corpus file with this checksum here.' }, 404, setCookie);
  } catch (error) {
    console.error(`[corpora] remove failed: ${error instanceof Error ? error.name : 'unknown'}`);
    return json({ error: 'The server could not remove this corpus. Try again in a moment.' }, 500, setCookie);
  }
}

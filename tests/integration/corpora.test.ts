/**
 * Corpus uploads against real databases (in-memory PGlite always, PostgreSQL too when
 * DATABASE_URL is set) and a real store folder: a whole file is kept under its sha256, a broken
 * or refused upload leaves nothing behind, quotas are per signed-cookie client and refused with
 * a sentence, and the hash is checked on the way in and on the way out.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCorpora, removeCorpus, uploadCorpus } from '@/server/corpora/corpora';
import type { CorpusSettings } from '@/server/corpora/settings';
import { CorpusStore } from '@/server/corpora/store';
import { openDatabase, type DatabaseTarget, type OpenDatabase } from '@/server/db/client';

const targets: Array<{ name: string; target: DatabaseTarget }> = [{ name: 'PGlite (in memory)', target: { driver: 'pglite', dataDir: 'memory://' } }];
if (process.env.DATABASE_URL) targets.push({ name: 'PostgreSQL (DATABASE_URL)', target: { driver: 'postgres', url: process.env.DATABASE_URL } });

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const bytesOf = (text: string) => new TextEncoder().encode(text);

/** A byte stream of `data` in `parts` pieces; with `breakAfter`, it errors after that many. */
function streamOf(data: Uint8Array, parts = 8, breakAfter?: number): ReadableStream<Uint8Array> {
  let sent = 0;
  const size = Math.ceil(data.length / parts);
  return new ReadableStream({
    pull(controller) {
      if (breakAfter !== undefined && sent === breakAfter) {
        controller.error(new Error('connection reset'));
        return;
      }
      const chunk = data.subarray(sent * size, (sent + 1) * size);
      sent++;
      if (chunk.length === 0) controller.close();
      else controller.enqueue(chunk);
    },
  });
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

describe.each(targets)('corpus uploads on $name', ({ target }) => {
  let open: OpenDatabase;
  let dir: string;
  let store: CorpusStore;
  const settings = (over: Partial<CorpusSettings> = {}): CorpusSettings => ({ maxFileBytes: 1_000_000, quotaBytes: 2_500_000, dir, ...over });
  // Unique per run, so a shared PostgreSQL never mixes runs.
  const clientName = (name: string) => `c:test-${name}-${process.pid}-${Date.now()}`;

  beforeAll(async () => {
    open = await openDatabase(target);
    dir = await mkdtemp(path.join(os.tmpdir(), 'tokenloom-corpora-test-'));
    store = new CorpusStore(dir);
  });
  afterAll(async () => {
    await open.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps a streamed upload under its sha256 and reads it back verified', async () => {
    const data = bytesOf('the cat sat on the mat\r\nଓଡ଼ିଆ 😀\n'.repeat(2000));
    const client = clientName('keep');
    const result = await uploadCorpus({ db: open.db, store, settings: settings(), client, name: 'cats.txt', body: streamOf(data, 13) });
    expect(result).toMatchObject({ ok: true, alreadyHeld: false, corpus: { sha256: sha(data), bytes: data.length, name: 'cats.txt' } });
    const back: Uint8Array[] = [];
    for await (const chunk of store.read(sha(data))) back.push(chunk);
    expect(Buffer.concat(back).equals(Buffer.from(data))).toBe(true);
    // The same bytes again: held once, counted once.
    const again = await uploadCorpus({ db: open.db, store, settings: settings(), client, name: 'cats-again.txt', body: streamOf(data) });
    expect(again).toMatchObject({ ok: true, alreadyHeld: true });
    expect((await listCorpora(open.db, client)).map((c) => c.bytes)).toEqual([data.length]);
  });

  it('never keeps an upload that broke off: no file under a hash, no part file, no row, no quota used', async () => {
    const data = bytesOf('x'.repeat(400_000));
    const client = clientName('broken');
    const before = await filesUnder(dir);
    const result = await uploadCorpus({ db: open.db, store, settings: settings(), client, name: 'half.txt', body: streamOf(data, 10, 4) });
    expect(result).toEqual({ ok: false, status: 400, reason: 'aborted', message: 'The upload broke off before the end, so nothing was kept. Upload the file again.' });
    expect(await filesUnder(dir)).toEqual(before);
    expect(await store.has(sha(data.subarray(0, 160_000)))).toBe(false);
    expect(await listCorpora(open.db, client)).toEqual([]);
    // Its bytes in flight were released: the whole quota is still there.
    const full = await uploadCorpus({ db: open.db, store, settings: settings({ quotaBytes: 400_000 }), client, name: 'whole.txt', body: streamOf(data) });
    expect(full.ok).toBe(true);
  });

  it('checks the hash the browser sent and keeps nothing when the bytes differ', async () => {
    const data = bytesOf('some corpus text\n'.repeat(100));
    const client = clientName('hash');
    const wrong = sha(bytesOf('another text'));
    const refused = await uploadCorpus({ db: open.db, store, settings: settings(), client, name: 'a.txt', body: streamOf(data), expectedSha256: wrong });
    expect(refused).toMatchObject({ ok: false, status: 422, reason: 'hash-mismatch' });
    expect(await store.has(sha(data))).toBe(false);
    const bad = await uploadCorpus({ db: open.db, store, settings: settings(), client, name: 'a.txt', body: streamOf(data), expectedSha256: 'abc' });
    expect(bad).toMatchObject({ ok: false, status: 400, message: 'The checksum sent with this file is not a sha256 (64 hexadecimal digits).' });
    const good = await uploadCorpus({ db: open.db, store, settings: settings(), client, name: 'a.txt', body: streamOf(data), expectedSha256: sha(data).toUpperCase() });
    expect(good).toMatchObject({ ok: true, corpus: { sha256: sha(data) } });
  });

  it('refuses a file over the limit, by its declared size at once and by its bytes as they arrive', async () => {
    const data = bytesOf('y'.repeat(1_200_000));
    const client = clientName('large');
    const message = 'This file is over 1 MB, the largest corpus file this server takes. Upload a part of it, or train on it in your browser.';
    let pulled = 0;
    const counting = new ReadableStream<Uint8Array>({ pull: (c) => (pulled++ < 100 ? c.enqueue(data.subarray(0, 1000)) : c.close()) });
    const declared = await uploadCorpus({ db: open.db, store, settings: settings(), client, name: 'big.txt', body: counting, declaredBytes: data.length });
    expect(declared).toEqual({ ok: false, status: 413, reason: 'too-large', message });
    expect(pulled).toBeLessThanOrEqual(1); // refused before reading the body
    const before = await filesUnder(dir);
    const streamed = await uploadCorpus({ db: open.db, store, settings: settings(), client, name: 'big.txt', body: streamOf(data, 12) });
    expect(streamed).toEqual({ ok: false, status: 413, reason: 'too-large', message });
    expect(await filesUnder(dir)).toEqual(before);
  });

  it("refuses past the client's quota with a sentence, and leaves other clients' quotas alone", async () => {
    const client = clientName('quota');
    const files = [0, 1, 2].map((i) => bytesOf(String(i).repeat(900_000)));
    expect((await uploadCorpus({ db: open.db, store, settings: settings(), client, name: '0.txt', body: streamOf(files[0]!) })).ok).toBe(true);
    expect((await uploadCorpus({ db: open.db, store, settings: settings(), client, name: '1.txt', body: streamOf(files[1]!) })).ok).toBe(true);
    const refused = await uploadCorpus({ db: open.db, store, settings: settings(), client, name: '2.txt', body: streamOf(files[2]!), declaredBytes: 900_000 });
    expect(refused).toEqual({
      ok: false,
      status: 507,
      reason: 'quota',
      message: 'Your corpus files on this server already take 1.8 MB of your 2.5 MB, so this file (900 kB) does not fit. Remove a corpus you no longer need, or train on the file in your browser.',
    });
    // Without a declared size it is refused as the bytes pass the quota, and nothing is kept.
    const streamed = await uploadCorpus({ db: open.db, store, settings: settings(), client, name: '2.txt', body: streamOf(files[2]!) });
    expect(streamed).toMatchObject({ ok: false, status: 507, reason: 'quota' });
    expect(await store.has(sha(files[2]!))).toBe(false);
    // Two uploads at once cannot both squeeze into the space left.
    const other = clientName('quota-other');
    const both = await Promise.all(
      [files[0]!, files[2]!].map((f, i) => uploadCorpus({ db: open.db, store, settings: settings({ quotaBytes: 1_000_000 }), client: other, name: `${i}.txt`, body: streamOf(f, 30) })),
    );
    expect(both.filter((r) => r.ok)).toHaveLength(1);
    // Removing a corpus frees its room.
    expect(await removeCorpus(open.db, store, client, sha(files[1]!))).toBe(true);
    expect((await uploadCorpus({ db: open.db, store, settings: settings(), client, name: '2.txt', body: streamOf(files[2]!) })).ok).toBe(true);
  });

  it('fails a read whose bytes no longer match their name', async () => {
    const data = bytesOf('original corpus\n'.repeat(50));
    const client = clientName('tamper');
    await uploadCorpus({ db: open.db, store, settings: settings(), client, name: 't.txt', body: streamOf(data) });
    await writeFile(store.pathOf(sha(data)), 'changed on disk');
    const read = async () => {
      for await (const chunk of store.read(sha(data))) void chunk;
    };
    await expect(read()).rejects.toThrow('no longer has the bytes it was uploaded with');
  });
});

describe('/api/corpora route', () => {
  const url = 'http://localhost/api/corpora';
  const cookieOf = (response: Response) => response.headers.get('set-cookie')!.split(';')[0]!;

  it('files uploads under the signed-cookie client, which a forged cookie cannot borrow', async () => {
    const { DELETE, GET, POST } = await import('@/app/api/corpora/route');
    const data = bytesOf(`route test ${Date.now()}\n`.repeat(500));
    // A first request without a cookie is given one (and counts as the anonymous budget).
    const cookie = cookieOf(await GET(new Request(url)));
    expect(cookie).toMatch(/^tl_client=v1\./);
    const created = await POST(new Request(`${url}?name=r.txt`, { method: 'POST', body: streamOf(data), duplex: 'half', headers: { cookie } } as RequestInit));
    expect(created.status).toBe(201);
    expect(created.headers.get('set-cookie')).toBeNull();
    expect(await created.json()).toMatchObject({ corpus: { sha256: sha(data), bytes: data.length, name: 'r.txt' } });

    const mine = await (await GET(new Request(url, { headers: { cookie } }))).json();
    expect(mine.corpora.map((c: { sha256: string }) => c.sha256)).toEqual([sha(data)]);
    expect(mine).toMatchObject({ usedBytes: data.length, quotaBytes: 2_000_000_000, maxFileBytes: 1_000_000_000 });
    const forged = cookie.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    const theirs = await GET(new Request(url, { headers: { cookie: forged } }));
    expect((await theirs.json()).corpora).toEqual([]);
    expect(theirs.headers.get('set-cookie')).toMatch(/^tl_client=v1\./); // a new identity, not the forged one

    const removed = await DELETE(new Request(`${url}?sha256=${sha(data)}`, { method: 'DELETE', headers: { cookie } }));
    expect(removed.status).toBe(200);
    expect((await (await GET(new Request(url, { headers: { cookie } }))).json()).corpora).toEqual([]);
  });

  it('answers a broken upload with a sentence and status 400', async () => {
    const { POST } = await import('@/app/api/corpora/route');
    const response = await POST(new Request(`${url}?name=b.txt`, { method: 'POST', body: streamOf(bytesOf('z'.repeat(10_000)), 5, 2), duplex: 'half' } as RequestInit));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'The upload broke off before the end, so nothing was kept. Upload the file again.', reason: 'aborted' });
  });
});

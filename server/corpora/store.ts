/**
 * Corpus files stored by content: a file's name is the sha256 of its bytes, under a folder of the
 * data directory (`.data/corpora/ab/ab12…` by default, settings.ts).
 *
 *   const store = new CorpusStore('/srv/tokenloom/corpora');
 *   const { sha256, bytes } = await store.write(request.body, { maxBytes: 1e9 });
 *   for await (const chunk of store.read(sha256)) …      // verified against sha256 as it is read
 *
 * Why files and not PostgreSQL large objects (also with DATABASE_URL): a corpus is written once
 * and read as one stream, which is what a file system does best; Node streams it in 64 kB pieces
 * with no database connection held for minutes. PGlite keeps its whole database in one process
 * (WASM), so a gigabyte of large objects would pass through that process's memory and its WAL;
 * on PostgreSQL, large objects need a transaction open for the whole upload and `lo_unlink`
 * bookkeeping, and they bloat backups of what is otherwise a small database of graphs. The
 * database keeps only who holds which hash (schema.ts, `corpus`). With several app instances,
 * point TOKENLOOM_CORPUS_DIR at storage they share.
 *
 * Never half-used: bytes are written to `tmp/<random>.part` (owner-only), hashed as they arrive,
 * and renamed to their hash only when the stream has ended, within the size limit and, when the
 * client said which hash to expect, with that hash. A broken-off or refused upload leaves no
 * file under a hash name (its part file is removed). Reading re-hashes the bytes and fails at
 * the end if they no longer match their name (a file changed on disk is never trained on
 * silently).
 *
 * Not handled here: quotas and who owns what (corpora.ts), deleting files no client holds.
 */
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';

export const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Why a write was refused; `reason` lets the caller choose its sentence and status. */
export class CorpusWriteError extends Error {
  constructor(
    readonly reason: 'too-large' | 'hash-mismatch' | 'aborted' | 'refused',
    message: string,
  ) {
    super(message);
    this.name = 'CorpusWriteError';
  }
}

export interface WriteOptions {
  maxBytes: number;
  /** Hex sha256 the client computed; the write fails unless the bytes have it. */
  expectedSha256?: string;
  /** Called with the byte count after each chunk; throw (a CorpusWriteError) to refuse. */
  onBytes?: (bytes: number) => void;
}

export class CorpusStore {
  constructor(readonly dir: string) {}

  /** Where the file of `sha256` lives (whether or not it exists). */
  pathOf(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new Error('not a sha256');
    return path.join(this.dir, sha256.slice(0, 2), sha256);
  }

  async has(sha256: string): Promise<boolean> {
    return stat(this.pathOf(sha256)).then((s) => s.isFile(), () => false);
  }

  async size(sha256: string): Promise<number | null> {
    return stat(this.pathOf(sha256)).then((s) => s.size, () => null);
  }

  /** Streams `body` into the store; resolves when the file is complete under its hash. */
  async write(body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>, options: WriteOptions): Promise<{ sha256: string; bytes: number }> {
    const tmpDir = path.join(this.dir, 'tmp');
    await mkdir(tmpDir, { recursive: true, mode: 0o700 });
    const partFile = path.join(tmpDir, `${randomBytes(12).toString('hex')}.part`);
    const out = createWriteStream(partFile, { flags: 'wx', mode: 0o600 });
    const hash = createHash('sha256');
    let bytes = 0;
    try {
      const source = Symbol.asyncIterator in body ? (body as AsyncIterable<Uint8Array>) : Readable.fromWeb(body as never);
      for await (const chunk of source) {
        const data = chunk as Uint8Array;
        bytes += data.byteLength;
        if (bytes > options.maxBytes) throw new CorpusWriteError('too-large', `over ${options.maxBytes} bytes`);
        options.onBytes?.(bytes);
        hash.update(data);
        if (!out.write(data)) await once(out, 'drain');
      }
      out.end();
      await finished(out);
      const sha256 = hash.digest('hex');
      if (options.expectedSha256 !== undefined && options.expectedSha256 !== sha256) {
        throw new CorpusWriteError('hash-mismatch', `expected ${options.expectedSha256}, got ${sha256}`);
      }
      const target = this.pathOf(sha256);
      await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
      await rename(partFile, target); // atomic: the hash name appears only for a whole file
      return { sha256, bytes };
    } catch (error) {
      out.destroy();
      await rm(partFile, { force: true });
      if (error instanceof CorpusWriteError) throw error;
      throw new CorpusWriteError('aborted', error instanceof Error ? error.message : String(error));
    }
  }

  /**
   * The file's bytes, chunk by chunk, hashed as they go: the last step throws if they are not
   * the bytes named `sha256` (or the file is missing).
   */
  async *read(sha256: string, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
    const hash = createHash('sha256');
    const stream = createReadStream(this.pathOf(sha256), { highWaterMark: 1 << 20, signal });
    for await (const chunk of stream) {
      hash.update(chunk as Buffer);
      yield chunk as Buffer;
    }
    if (hash.digest('hex') !== sha256) throw new Error(`The corpus file ${sha256.slice(0, 12)}… on the server no longer has the bytes it was uploaded with.`);
  }

  async remove(sha256: string): Promise<void> {
    await rm(this.pathOf(sha256), { force: true });
  }
}

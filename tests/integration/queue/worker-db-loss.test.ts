/**
 * A worker that loses its database stops taking runs and comes back by itself. The worker
 * reaches PostgreSQL (DATABASE_URL, from scripts/with-postgres.sh) through a TCP relay in this
 * test, which cuts every connection and refuses new ones (the network gone), then listens again
 * on the same port. The web side (a run manager in this process) talks to PostgreSQL directly.
 * Both use a database of their own on DATABASE_URL's server, apart from the other queue files.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '@/nodes/engine/executor';
import type { RunManager } from '@/server/run/run-manager';
import { pipelineDoc } from '../run-http-server';
import { startWorker, useOwnDatabase, type WorkerProcess } from './workers';

function createRelay(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;
  const open = () =>
    new Promise<void>((resolve) => {
      server = net.createServer((socket) => {
        const upstream = net.connect(target.port, target.host);
        for (const s of [socket, upstream]) {
          sockets.add(s);
          s.on('error', () => undefined);
          s.on('close', () => sockets.delete(s));
        }
        socket.pipe(upstream).pipe(socket);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as net.AddressInfo).port;
        resolve();
      });
    });
  return {
    open,
    port: () => port,
    async cut() {
      await new Promise<void>((resolve) => {
        server!.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
  };
}

describe('a worker that loses the database (kept away by a relay that cuts it)', () => {
  let worker: WorkerProcess;
  let web: RunManager;
  let relay: ReturnType<typeof createRelay>;

  beforeAll(async () => {
    expect(process.env.DATABASE_URL, 'run this file with scripts/with-postgres.sh').toMatch(/^postgres/);
    // A database of its own on the same server, so the other queue files' runs (on at the same
    // time) are never taken by this file's worker, nor this file's by theirs.
    const url = await useOwnDatabase('tokenloom_db_loss');
    const { createRunManager } = await import('@/server/run/run-manager'); // reads DATABASE_URL when loaded
    relay = createRelay({ host: url.hostname, port: Number(url.port) });
    await relay.open();
    const relayed = new URL(url);
    relayed.port = String(relay.port());
    worker = await startWorker({ DATABASE_URL: relayed.toString() });
    web = createRunManager();
  });

  afterAll(async () => {
    await web?.close();
    await worker?.stop();
  });

  it('stops taking runs while the database is gone, says so, and takes runs again once it is back', async () => {
    await relay.cut();
    await worker.waitFor(/lost the database .*not taking runs until it is back/, 30_000);
    await relay.open();
    await worker.waitFor(/reconnected to postgres:\/\/.*taking runs again/, 60_000);

    const before = worker.took().length;
    const events: RunEvent[] = [];
    for await (const message of web.start({ doc: pipelineDoc('after the outage'), client: 'back', runId: 'r', signal: new AbortController().signal })) {
      if (message.type !== 'run:accepted') events.push(message);
    }
    expect(events.at(-1)).toMatchObject({ type: 'run:done', cancelled: false });
    expect(worker.took().length).toBe(before + 1);
  });
});

/**
 * Engine processes run below the web server's scheduling priority (server/run/engine-child.ts,
 * ENGINE_NICE), so busy runs leave the CPU to the thread that answers everyone's requests; and
 * a niced process still runs a graph. Real engine processes from the real entry file.
 */
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ENGINE_NICE, forkEngineProcess, type EngineProcess } from '@/server/run/engine-child';

const procs: EngineProcess[] = [];
afterAll(() => {
  for (const proc of procs) proc.child.kill('SIGKILL');
});

describe('engine process priority', () => {
  it('starts each engine process niced below its parent, and the niced process still runs a graph to its end', async () => {
    const proc = forkEngineProcess({
      entryFile: path.join(process.cwd(), 'server', 'run', 'engine-process.mjs'),
      memoryMb: 512,
      cacheBytesPerProcess: 16 * 1024 * 1024,
      hardStopMs: 2000,
      closing: () => true,
      onResult: () => undefined,
      onGone: () => undefined,
      onClosed: () => undefined,
    });
    procs.push(proc);
    // Inherited from this process unless lowered; never raised above what this process has.
    expect(os.getPriority(proc.child.pid!)).toBe(Math.max(os.getPriority(), ENGINE_NICE));
    await proc.loaded;

    const events: string[] = [];
    await new Promise<void>((resolve, reject) => {
      proc.current = { runId: 1, onEvent: (e) => events.push(e.type), sawDone: false, started: performance.now(), killed: false, resolve, reject };
      proc.busy = true;
      proc.child.send({
        type: 'run',
        runId: 1,
        doc: { schemaVersion: 1, title: 'niced', edges: [], nodes: [{ id: 'n', type: 'note', params: { text: 'still runs' }, position: { x: 0, y: 0 } }] },
      });
    });
    expect(events[0]).toBe('run:start');
    expect(events.at(-1)).toBe('run:done');
  }, 60_000);
});

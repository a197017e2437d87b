/**
 * An engine process never outlives its parent: a web server or queue worker killed with
 * SIGKILL while one of its engine processes is stuck in a hung run (the catastrophic regex of
 * the test faults, TOKENLOOM_TEST_FAULTS=1, see server/run/engine-process.ts) leaves no process
 * spinning. The parent here is a bare Node process that forks the real engine entry, as
 * process-engine.ts does, and prints its child's pid once the hung run has started.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const PARENT = `
const { fork } = require('node:child_process');
const child = fork('server/run/engine-process.mjs', [], { serialization: 'advanced', env: { ...process.env, TOKENLOOM_TEST_FAULTS: '1' } });
child.on('message', (m) => {
  if (m.type === 'ready') child.send({ type: 'run', runId: 1, doc: { schemaVersion: 1, title: 'hang', edges: [],
    nodes: [{ id: 'n', type: 'note', params: { text: 'TOKENLOOM_TEST_FAULT:hang' }, position: { x: 0, y: 0 } }] } });
  if (m.type === 'event' && m.event.type === 'node:start') console.log('hung ' + child.pid);
});
`;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('engine processes and their parent', () => {
  it('ends an engine process stuck in a hung run within seconds of its parent being killed (kill -9)', async () => {
    const parent = spawn(process.execPath, ['-e', PARENT], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
    const childPid = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the engine process never started the hung run')), 60_000);
      parent.stdout.on('data', (chunk: Buffer) => {
        const m = /hung (\d+)/.exec(chunk.toString());
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
    });
    // The fault waits 50 ms before it hangs; be well inside the hang before killing the parent.
    await new Promise((r) => setTimeout(r, 500));
    expect(alive(childPid)).toBe(true);
    parent.kill('SIGKILL');
    const t0 = Date.now();
    while (alive(childPid) && Date.now() - t0 < 15_000) await new Promise((r) => setTimeout(r, 100));
    const survived = alive(childPid);
    if (survived) process.kill(childPid, 'SIGKILL'); // never leave it spinning, even when the test fails
    expect(survived).toBe(false);
  });
});

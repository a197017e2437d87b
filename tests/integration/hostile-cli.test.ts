/**
 * Hostile graph files and arguments against scripts/run-graph.ts, spawned as a user runs it:
 * each ends in the JSON report (exit 0 or 3) or one line on stderr (exit 1 or 2), never a
 * stack trace or "Cannot read properties of undefined".
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectUserFacing } from '../unit/engine/hostile-fixtures';
import { pipelineDoc } from './run-http-server';

const TSX = path.join(process.cwd(), 'node_modules', '.bin', 'tsx');

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(TSX, ['scripts/run-graph.ts', ...args], { cwd: process.cwd(), timeout: 90_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

interface Report {
  issues: Array<{ code: string; message: string }>;
  nodes: Array<{ id: string; status: string; message?: string }>;
}

describe('scripts/run-graph.ts on hostile input', () => {
  let dir: string;
  const file = (name: string) => path.join(dir, name);

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tokenloom-hostile-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a node typed __proto__ with a sentence naming node 0', async () => {
    const doc = { schemaVersion: 1, title: 'proto', nodes: [{ id: 'node-0', type: '__proto__', params: {}, position: { x: 0, y: 0 } }], edges: [] };
    await writeFile(file('proto.json'), JSON.stringify(doc));
    const { code, stdout, stderr } = await runCli([file('proto.json')]);
    expect(stderr).toBe('');
    expect(code).toBe(3);
    const report = JSON.parse(stdout) as Report;
    expect(report.issues).toEqual([{ code: 'unknown-type', nodeId: 'node-0', message: "Node 'node-0' has an unknown type '__proto__'." }]);
    expect(report.nodes).toEqual([{ id: 'node-0', type: '__proto__', status: 'error', message: "Node 'node-0' has an unknown type '__proto__'." }]);
  });

  it('refuses {schemaVersion: 0, nodes: [1, null, "x"]} in one line naming each index', async () => {
    await writeFile(file('entries.json'), JSON.stringify({ schemaVersion: 0, nodes: [1, null, 'x'] }));
    const { code, stdout, stderr } = await runCli([file('entries.json')]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/Node 0 is not an object.*Node 1 is not an object.*Node 2 is not an object/);
    expectUserFacing(stderr);
  });

  it('refuses --set of a param named __proto__ or toString, naming the params there are', async () => {
    await writeFile(file('pipeline.json'), JSON.stringify(pipelineDoc('I love NLP')));
    for (const param of ['__proto__', 'toString']) {
      const { code, stderr } = await runCli([file('pipeline.json'), '--set', `clean.${param}=1`]);
      expect(code).toBe(1);
      expect(stderr).toMatch(new RegExp(`Node 'clean' \\(clean\\) has no param '${param}' \\(its params: form, `));
    }
  });

  it('refuses Clean replacing "." by "$&"×250 on 1,000,000 characters as a node error, and a lookbehind by name', async () => {
    await writeFile(file('big.txt'), 'x'.repeat(1_000_000));
    await writeFile(file('pipeline.json'), JSON.stringify(pipelineDoc('I love NLP')));
    const big = await runCli([file('pipeline.json'), '--text', `text=${file('big.txt')}`, '--set', 'clean.replacePattern=.', '--set', `clean.replaceWith=${'$&'.repeat(250)}`]);
    expect(big.code).toBe(3);
    const report = JSON.parse(big.stdout) as Report;
    expect(report.nodes.find((n) => n.id === 'clean')).toMatchObject({ status: 'error', message: expect.stringMatching(/would make a text of 250\.0 million characters/) });

    const behind = await runCli([file('pipeline.json'), '--set', 'clean.replacePattern=(?<=a)b']);
    expect(behind.code).toBe(3);
    expect((JSON.parse(behind.stdout) as Report).issues[0]?.message).toMatch(/Lookbehind \(\?<=…\) is not supported/);
  });
});

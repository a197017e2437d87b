/**
 * scripts/run-graph.ts, spawned as a user would run it (tsx), on graph files in a temp folder.
 * Checks the JSON it prints against the same executor run in-process, and its one-line errors.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pretokenize } from '@/nodes/pretokenize/pretokenize';
import { pipelineDoc } from './run-http-server';

const TSX = path.join(process.cwd(), 'node_modules', '.bin', 'tsx');

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(TSX, ['scripts/run-graph.ts', ...args], { cwd: process.cwd(), timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

interface CliNode {
  id: string;
  status: string;
  ms?: number;
  view?: Record<string, unknown>;
  message?: string;
  by?: string;
}

describe('scripts/run-graph.ts', () => {
  let dir: string;
  let graphFile: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tokenloom-cli-'));
    graphFile = path.join(dir, 'graph.json');
    await writeFile(graphFile, JSON.stringify(pipelineDoc('I love NLP')));
    await writeFile(path.join(dir, 'corpus.txt'), 'HELLO Wörld, ଓଡ଼ିଆ text\n');
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints each node’s status, ms and view as JSON, with --set and --text applied', async () => {
    const corpus = path.join(dir, 'corpus.txt');
    const { code, stdout, stderr } = await runCli([graphFile, '--set', 'clean.lowercase=true', '--set', 'pretokenize.mode=whitespace', '--text', `text=${corpus}`]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { title: string; ms: number; nodes: CliNode[] };
    expect(result.nodes.map((n) => [n.id, n.status])).toEqual([
      ['text', 'done'],
      ['clean', 'done'],
      ['pretokenize', 'done'],
    ]);
    // Nodes run one after another inside the run: each time is a real duration, and together
    // they fit in the run's total (each is rounded to 0.1 ms).
    const nodeMs = result.nodes.map((n) => n.ms ?? Number.NaN);
    for (const ms of nodeMs) expect(ms >= 0 && Number.isFinite(ms), String(ms)).toBe(true);
    expect(nodeMs.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(result.ms + 0.05 * (nodeMs.length + 1));
    expect(result.nodes[0]?.view).toMatchObject({ origin: 'file:corpus.txt', codeUnits: 'HELLO Wörld, ଓଡ଼ିଆ text\n'.length });
    const expected = pretokenize('hello wörld, ଓଡ଼ିଆ text\n', 'whitespace');
    expect(result.nodes[2]?.view).toMatchObject({ mode: 'whitespace', count: expected.length, pieces: expected });
  });

  it('reports a failing node in the JSON and exits with 3', async () => {
    const { code, stdout } = await runCli([graphFile, '--set', 'clean.replacePattern="("']);
    expect(code).toBe(3);
    const nodes = (JSON.parse(stdout) as { nodes: CliNode[] }).nodes;
    expect(nodes.find((n) => n.id === 'clean')?.status).toBe('error');
    expect(nodes.find((n) => n.id === 'pretokenize')).toMatchObject({ status: 'blocked', by: 'clean' });
  });

  // Independent processes: run side by side to keep the suite short.
  it.concurrent.each([
    [['missing.json'], 1, /^Cannot read .*missing\.json: no such file\.$/],
    [['--set', 'clean.lowercase=true'], 2, /^usage: npx tsx scripts\/run-graph\.ts/],
    [['GRAPH', '--set', 'nobody.text=x'], 1, /^No node 'nobody' in this graph \(its nodes: text, clean, pretokenize\)\.$/],
    [['GRAPH', '--set', 'clean.colour=red'], 1, /^Node 'clean' \(clean\) has no param 'colour' \(its params: form, lowercase, .*\)\.$/],
    [['GRAPH', '--text', 'clean=GRAPH'], 1, /^--text sets a Text node's text; 'clean' is a clean node\.$/],
    [['GRAPH', '--set', 'nodot=1'], 2, /^--set expects <nodeId>\.<param>=<value>, got 'nodot=1'\.$/],
  ])('refuses %j with one line and exit code %i', async (args, exitCode, message) => {
    const { code, stdout, stderr } = await runCli(args.map((a) => a.replace('GRAPH', graphFile)));
    expect(code).toBe(exitCode);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr.trimEnd()).toMatch(message);
  });

  it('refuses a file that is not a graph with loadGraphDoc’s message', async () => {
    const bad = path.join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ schemaVersion: 1, nodes: [{ id: 'a', type: 'text' }], edges: [] }));
    const { code, stderr } = await runCli([bad]);
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(`${bad}: The graph is malformed: node 'a' (text): position is missing.`);
  });
});

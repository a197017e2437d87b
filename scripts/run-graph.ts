/**
 * Run an exported graph headless in Node and print what each node's inspector would show.
 *
 *   npx tsx scripts/run-graph.ts <graph.json> [--set <nodeId>.<param>=<value>]... [--text <nodeId>=<file>]...
 *
 * - `--set clean.lowercase=true` sets a param; the value is parsed as JSON when it parses
 *   (true, 3, "x", ["a"]), else taken as a string (`--set pre.mode=gpt2`).
 * - `--text text=corpus.txt` sets the Text node's `text` param from a UTF-8 file.
 *
 * Prints one JSON object to stdout: the title, total ms, graph issues, and for each node in
 * run order its status (done, error, blocked), ms and view. Uses the same executor and
 * registry as the browser and the server (where: 'server', shipped files from public/).
 * Exit codes: 0 every node ran; 3 some node failed or was blocked (the JSON says which);
 * 1 a bad file, graph, node id or param (one line on stderr); 2 a usage error.
 * Not handled here: watching files, the server's limits, saving results.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { createRecipeCache } from '@/nodes/engine/cache';
import { execute, type RunEvent } from '@/nodes/engine/executor';
import { loadGraphDoc, type GraphDoc } from '@/nodes/engine/graph-doc';
import { registry } from '@/nodes/index';
import { kindOf } from '@/nodes/engine/validate';
import { serverResources } from '@/server/run/engine';

const USAGE = 'usage: npx tsx scripts/run-graph.ts <graph.json> [--set <nodeId>.<param>=<value>]... [--text <nodeId>=<file>]...';

class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

interface Options {
  file: string;
  sets: Array<{ nodeId: string; param: string; value: unknown }>;
  texts: Array<{ nodeId: string; file: string }>;
}

/** JSON when it parses, else the raw string: `3` → 3, `true` → true, `gpt2` → "gpt2". */
function parseValue(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

function splitOnce(text: string, separator: string): [string, string] | undefined {
  const at = text.indexOf(separator);
  return at <= 0 ? undefined : [text.slice(0, at), text.slice(at + separator.length)];
}

function parseArgs(argv: string[]): Options {
  const options: Options = { file: '', sets: [], texts: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--set' || arg === '--text') {
      const value = argv[++i];
      if (value === undefined) throw new CliError(`${arg} needs a value. ${USAGE}`, 2);
      const assignment = splitOnce(value, '=');
      if (arg === '--set') {
        const target = assignment && splitOnce(assignment[0], '.');
        if (!assignment || !target) throw new CliError(`--set expects <nodeId>.<param>=<value>, got '${value}'.`, 2);
        options.sets.push({ nodeId: target[0], param: target[1], value: parseValue(assignment[1]) });
      } else {
        if (!assignment) throw new CliError(`--text expects <nodeId>=<file>, got '${value}'.`, 2);
        options.texts.push({ nodeId: assignment[0], file: assignment[1] });
      }
    } else if (arg.startsWith('-')) {
      throw new CliError(`Unknown option '${arg}'. ${USAGE}`, 2);
    } else if (options.file) {
      throw new CliError(`One graph file at a time (got '${options.file}' and '${arg}').`, 2);
    } else {
      options.file = arg;
    }
  }
  if (!options.file) throw new CliError(USAGE, 2);
  return options;
}

function findNode(doc: GraphDoc, nodeId: string) {
  const node = doc.nodes.find((n) => n.id === nodeId);
  if (!node) throw new CliError(`No node '${nodeId}' in this graph (its nodes: ${doc.nodes.map((n) => n.id).join(', ')}).`);
  return node;
}

/** The param names a node kind accepts, when its schema is a zod object. */
function paramNames(type: string): string[] | undefined {
  const schema = kindOf(registry, type)?.params;
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : undefined;
}

async function loadDoc(options: Options): Promise<GraphDoc> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(options.file, 'utf8'));
  } catch (error) {
    const reason = error instanceof SyntaxError ? `not JSON (${error.message})` : (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error);
    throw new CliError(`Cannot read ${options.file}: ${reason}.`);
  }
  const loaded = loadGraphDoc(raw);
  if (!loaded.ok) throw new CliError(`${options.file}: ${loaded.message}`);
  const doc = loaded.doc;

  for (const { nodeId, param, value } of options.sets) {
    const node = findNode(doc, nodeId);
    const names = paramNames(node.type);
    if (names && !names.includes(param)) {
      throw new CliError(`Node '${nodeId}' (${node.type}) has no param '${param}' (its params: ${names.join(', ')}).`);
    }
    node.params = { ...node.params, [param]: value };
  }
  for (const { nodeId, file } of options.texts) {
    const node = findNode(doc, nodeId);
    if (node.type !== 'text') throw new CliError(`--text sets a Text node's text; '${nodeId}' is a ${node.type} node.`);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new CliError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error)}.`);
    }
    node.params = { ...node.params, text, origin: `file:${path.basename(file)}` };
  }
  return doc;
}

type NodeReport =
  | { id: string; type: string; status: 'done' | 'cached'; ms: number; key: string; view: unknown }
  | { id: string; type: string; status: 'error'; message: string }
  | { id: string; type: string; status: 'blocked'; by: string };

async function runGraphFile(options: Options) {
  const doc = await loadDoc(options);
  const types = new Map(doc.nodes.map((n) => [n.id, n.type]));
  const nodes: NodeReport[] = [];
  const onEvent = (e: RunEvent) => {
    const type = 'nodeId' in e ? (types.get(e.nodeId) ?? '?') : '';
    if (e.type === 'node:done' || e.type === 'node:cached') {
      nodes.push({ id: e.nodeId, type, status: e.type === 'node:done' ? 'done' : 'cached', ms: Math.round(e.ms * 10) / 10, key: e.key, view: e.view });
    } else if (e.type === 'node:error') nodes.push({ id: e.nodeId, type, status: 'error', message: e.message });
    else if (e.type === 'node:blocked') nodes.push({ id: e.nodeId, type, status: 'blocked', by: e.by });
  };
  const report = await execute(doc, { registry, cache: createRecipeCache(), where: 'server', resources: serverResources(), onEvent });
  return { title: doc.title, ms: Math.round(report.ms * 10) / 10, issues: report.issues, nodes };
}

async function main() {
  try {
    const result = await runGraphFile(parseArgs(process.argv.slice(2)));
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    process.exitCode = result.nodes.some((n) => n.status === 'error' || n.status === 'blocked') ? 3 : 0;
  } catch (error) {
    const cli = error instanceof CliError ? error : new CliError(`run-graph failed: ${error instanceof Error ? error.message : String(error)}`);
    process.stderr.write(`${cli.message.replace(/\s*\n\s*/g, ' ')}\n`);
    process.exitCode = cli.exitCode;
  }
}

await main();

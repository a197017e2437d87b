/**
 * The students of bench/server-load.ts: CLIENTS loops of server runs of the starter pipeline,
 * each loop one client with its own cookie, until a line arrives on stdin; then the runs' figures
 * as one JSON line on stdout.
 *
 * In a class the students' browsers are other machines. Here they share the server's cores, so
 * this process lowers its own priority (nice 10, as the engine processes run): the server and
 * the light request measured beside it get the CPU first, and the runs get what is left. Their
 * SSE parsing also stays out of the event loop that times the light request.
 *
 * Run (by bench/server-load.ts): node --import tsx bench/run-clients.ts <trpc url> <uncached|cached> <clients>
 */
import { setPriority } from 'node:os';
import { EventSource } from 'eventsource';
import { createServerRunner } from '@/components/canvas/server-runner';
import { STARTER_GRAPH } from '@/components/canvas/starter';
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import { percentile } from './serve';

export interface ClientRuns {
  runsCompleted: number;
  runsPerSecond: number;
  runP50: number;
  runErrors: number;
}

const [trpc, mode, clients] = process.argv.slice(2) as [string, 'uncached' | 'cached', string];

function starterWith(text: string): GraphDoc {
  const doc = structuredClone(STARTER_GRAPH);
  const textNode = doc.nodes.find((n) => n.type === 'text')!;
  textNode.params = { ...textNode.params, text, origin: 'typed' };
  return doc;
}

const BASE_TEXT = 'Students type their own sentences into the Text node, and every edit runs again. ';
/** Uncached: every run its own ~20 KB text, so every run computes. Cached: the identical starter graph. */
const makeDoc = (client: number, round: number): GraphDoc =>
  mode === 'uncached' ? starterWith(`${client}:${round} ${BASE_TEXT.repeat(250)}`.slice(0, 20_000)) : STARTER_GRAPH;

/** A client cookie of its own, as a browser gets it: the server sets it on a first request. */
async function newClientCookie(): Promise<string> {
  const response = await fetch(`${trpc}/run.info`);
  const cookie = response.headers.get('set-cookie')?.split(';')[0];
  if (!cookie) throw new Error('the server set no client cookie');
  return cookie;
}

try {
  setPriority(10);
} catch {
  /* not allowed here: the runs compete at normal priority */
}

let stopped = false;
process.stdin.once('data', () => (stopped = true));
const durations: number[] = [];
let errors = 0;
const t0 = performance.now();
await Promise.all(
  Array.from({ length: Number(clients) }, async (_, client) => {
    const runner = createServerRunner({ url: trpc, EventSource, headers: { cookie: await newClientCookie() } });
    for (let round = 0; !stopped; round++) {
      const started = performance.now();
      try {
        await runner.runOnServer(makeDoc(client, round), { onEvent: () => undefined });
        durations.push(performance.now() - started);
      } catch {
        errors += 1;
      }
    }
  }),
);
durations.sort((a, b) => a - b);
const seconds = (performance.now() - t0) / 1000;
const result: ClientRuns = { runsCompleted: durations.length, runsPerSecond: durations.length / seconds, runP50: percentile(durations, 0.5), runErrors: errors };
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);

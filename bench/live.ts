/**
 * Live class fan-out: how long from the teacher's "next" to 200 students receiving the step?
 *
 * Starts the production build (`next build` first): one `next start` on PGlite in memory, or,
 * when DATABASE_URL is set (scripts/with-postgres.sh), two `next start` instances on that one
 * PostgreSQL: the teacher on the first, the 200 students on the second, so every step crosses
 * instances through LISTEN/NOTIFY. The students are SSE clients (the `eventsource` package
 * through the app's own live client), each joined by code. The teacher advances STEPS times,
 * waiting until every student has the step (or 10 s) and 200 ms more each time.
 * Meanwhile a light request (`graph.get` of a saved graph, autocannon, 10 connections) runs on
 * the students' instance. Prints p50/p95 of step delivery (every student × every step) and of
 * the light request, beside the light request idle.
 *
 * Run: npx next build && npx tsx bench/live.ts   (or scripts/with-postgres.sh npx tsx bench/live.ts)
 * Not handled here: answers under load (each answer is one row and one NOTIFY, like a step).
 */
import autocannon from 'autocannon';
import { EventSource } from 'eventsource';
import { createApiClient } from '@/trpc/client';
import { STARTER_GRAPH } from '@/components/canvas/starter';
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import { percentile, startServer } from './serve';

const STUDENTS = 200;
const STEPS = 20;
/** BENCH_LIVE_PORTS=3250,3251 where other servers hold the defaults. */
const PORTS = (process.env.BENCH_LIVE_PORTS ?? '3193,3194').split(',').map(Number);
const LIGHT_SECONDS = 8;

function lessonOf(steps: number): GraphDoc {
  const doc = structuredClone(STARTER_GRAPH);
  doc.lesson = {
    steps: Array.from({ length: steps }, (_, i) => ({ nodeId: 'pretokenize', question: `Step ${i + 1}`, note: '', lookAt: '' })),
    controls: { hidePalette: false, lockGraph: false, visibleParams: {} },
  };
  return doc;
}

async function light(url: string, seconds: number) {
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections: 10, duration: seconds }, (error, done) => (error ? reject(error) : resolve(done)));
    instance.on('response', (_c, _s, _b, responseTime) => times.push(responseTime));
  });
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p95: percentile(times, 0.95), rps: result.requests.average, errors: result.errors + result.non2xx };
}

async function main() {
  const twoInstances = Boolean(process.env.DATABASE_URL);
  const servers = [await startServer(PORTS[0]!)];
  try {
    if (twoInstances) servers.push(await startServer(PORTS[1]!));
    const teacherUrl = `${servers[0]!.url}/api/trpc`;
    const studentBase = servers[servers.length - 1]!.url;
    const teacher = createApiClient({ url: teacherUrl, EventSource });
    const studentsApi = createApiClient({ url: `${studentBase}/api/trpc`, EventSource });

    const saved = (await (
      await fetch(`${studentBase}/api/trpc/graph.create`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ doc: STARTER_GRAPH }) })
    ).json()) as { result: { data: { id: string } } };
    const lightUrl = `${studentBase}/api/trpc/graph.get?input=${encodeURIComponent(JSON.stringify({ id: saved.result.data.id }))}`;
    const idle = await light(lightUrl, 4);

    const { classId, code, controlSecret } = await teacher.live.start.mutate({ doc: lessonOf(STEPS + 1) });
    const seenAt: Map<number, number>[] = Array.from({ length: STUDENTS }, () => new Map());
    let waiting: { step: number; resolve(): void } | undefined;
    const allHave = (step: number) => seenAt.every((m) => m.has(step));
    const subscriptions = [];
    for (let i = 0; i < STUDENTS; i++) {
      await studentsApi.live.join.mutate({ code, displayName: `Student ${i}` });
      subscriptions.push(
        studentsApi.live.follow.subscribe(
          { classId },
          {
            onData: ({ data }) => {
              if (!seenAt[i]!.has(data.step)) seenAt[i]!.set(data.step, performance.now());
              if (waiting && allHave(waiting.step)) waiting.resolve();
            },
          },
        ),
      );
    }
    const t0 = performance.now();
    while (!allHave(0) && performance.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 100));

    const latencies: number[] = [];
    let missed = 0;
    const lightDuring = light(lightUrl, LIGHT_SECONDS);
    for (let step = 1; step <= STEPS; step++) {
      const sent = performance.now();
      const everyone = new Promise<void>((resolve) => {
        waiting = { step, resolve };
        setTimeout(resolve, 10_000);
      });
      await teacher.live.advance.mutate({ classId, controlSecret, step });
      await everyone;
      for (const seen of seenAt) {
        const at = seen.get(step);
        if (at === undefined) missed += 1;
        else latencies.push(at - sent);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const during = await lightDuring;
    for (const s of subscriptions) s.unsubscribe();
    await teacher.live.end.mutate({ classId, controlSecret });
    latencies.sort((a, b) => a - b);
    const where = twoInstances ? 'PostgreSQL, two instances (teacher on one, students on the other)' : 'PGlite, one instance';
    console.log(`Live class on ${where}: ${STUDENTS} SSE students, ${STEPS} steps; light request graph.get, 10 connections`);
    console.table({
      'teacher next → student has it': { 'p50 ms': latencies.length ? percentile(latencies, 0.5).toFixed(1) : '—', 'p95 ms': latencies.length ? percentile(latencies, 0.95).toFixed(1) : '—', deliveries: latencies.length, missed, goal: 'p95 < 500 ms' },
      'light request, idle': { 'p50 ms': idle.p50.toFixed(1), 'p95 ms': idle.p95.toFixed(1), deliveries: `${idle.rps.toFixed(0)} req/s`, missed: idle.errors, goal: '' },
      'light request, during the class': { 'p50 ms': during.p50.toFixed(1), 'p95 ms': during.p95.toFixed(1), deliveries: `${during.rps.toFixed(0)} req/s`, missed: during.errors, goal: 'p95 < 200 ms' },
    });
  } finally {
    for (const server of servers) server.stop();
  }
}

await main();
process.exit(0);

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { nodeKinds, type ViewOf } from '@/nodes';
import { createRecipeCache } from '@/nodes/engine/cache';
import type { Resources } from '@/nodes/engine/define-node';
import { execute, type NodeOutcome, type RunEvent } from '@/nodes/engine/executor';
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import { buildNotebook } from '@/nodes/export/notebook';
import { ndjsonLines, normalizeOllamaUrl, versionAtLeast } from '@/nodes/shared/ollama';
import { contentSecurityPolicy, ollamaOriginsFrom } from '@/server/http/csp';
import { parseServerEnv } from '@/server/env';
import { createInProcessEngine, serverResources } from '@/server/run/engine';
import { nodeResources } from '../unit/engine/fixtures';
import { closedPortUrl, startFakeOllama, type FakeOllama } from './ollama-fake-server';

interface Reference {
  prompts: { prompt: string; input_ids: number[]; top5: { id: number; text: string; prob: number }[]; greedy: { ids: number[]; text: string } }[];
}
const reference = JSON.parse(readFileSync('public/models/tokenloom-tiny/reference.json', 'utf8')) as Reference;
const iLove = reference.prompts.find((p) => p.prompt === 'I love')!;

function pipeline(text: string, node: [id: string, type: string, params: Record<string, unknown>]): GraphDoc {
  const nodes: [string, string, Record<string, unknown>][] = [['text', 'text', { text }], ['tok', 'pretrained', { model: 'gpt2' }], ['ids', 'ids', {}], node];
  return {
    schemaVersion: 1,
    title: 't',
    nodes: nodes.map(([id, type, params]) => ({ id, type, params, position: { x: 0, y: 0 } })),
    edges: [
      { id: 'e1', source: 'text', sourcePort: 'text', target: 'tok', targetPort: 'text' },
      { id: 'e2', source: 'tok', sourcePort: 'tokens', target: 'ids', targetPort: 'tokens' },
      { id: 'e3', source: 'tok', sourcePort: 'tokenizer', target: 'ids', targetPort: 'tokenizer' },
      { id: 'e4', source: 'ids', sourcePort: 'ids', target: node[0], targetPort: 'ids' },
    ],
  };
}

async function run(graph: GraphDoc, options: { where?: 'browser' | 'server'; resources?: Resources; onEvent?: (e: RunEvent) => void } = {}) {
  const { where = 'server', resources = nodeResources, onEvent } = options;
  return execute(graph, { registry: nodeKinds, cache: createRecipeCache(), where, resources, signal: new AbortController().signal, ...(onEvent ? { onEvent } : {}) });
}

function done<T>(outcome: NodeOutcome | undefined): { view: T; outputs: Record<string, unknown> } {
  if (outcome?.status !== 'done') throw new Error(`node did not finish: ${JSON.stringify(outcome)}`);
  return outcome as unknown as { view: T; outputs: Record<string, unknown> };
}

function errorOf(outcome: NodeOutcome | undefined): string {
  if (outcome?.status !== 'error') throw new Error(`expected an error, got ${JSON.stringify(outcome)?.slice(0, 300)}`);
  return outcome.message;
}

const ollamaParams = (url: string, extra: Record<string, unknown> = {}) => ({ model: 'ollama', ollamaUrl: url, ollamaModel: 'tokenloom-tiny', ...extra });

describe('Ollama as a model source (a loopback Ollama answering from tokenloom-tiny)', () => {
  let ollama: FakeOllama;
  let allowed: Resources;
  beforeAll(async () => {
    ollama = await startFakeOllama();
    allowed = { ...nodeResources, ollamaUrl: ollama.url };
  }, 60_000);
  afterAll(() => ollama?.close());

  it("shows tokenloom-tiny's own top-5 for \"I love\" through Ollama's top_logprobs, within 1e-4", async () => {
    const report = await run(pipeline('I love', ['model', 'transformer', ollamaParams(ollama.url, { topK: 5 })]), { resources: allowed });
    const { view } = done<ViewOf<'transformer'>>(report.outcomes.get('model'));
    expect(view.backend).toBe('ollama');
    const candidates = view.ollama!.candidates;
    expect(candidates.map((c) => c.token)).toEqual(iLove.top5.map((c) => c.text));
    candidates.forEach((c, i) => expect(Math.abs(c.prob - iLove.top5[i]!.prob)).toBeLessThan(1e-4));
    expect(candidates.map((c) => c.bytes)).toEqual(iLove.top5.map((c) => [...new TextEncoder().encode(c.text)]));
    // No IDs, attention or embeddings from Ollama, and the view says so in words.
    expect(view.topK[0]!.candidates.every((c) => c.id === -1)).toBe(true);
    expect(view.attention).toBeNull();
    expect(view.embedding).toBeNull();
    expect(view.ollama!.noIds).toMatch(/^Ollama does not expose its tokenizer: these are the model’s own tokens as text, without IDs/);
    expect(view.ollama!.noInternals).toMatch(/Attention and embeddings are not available from Ollama/);
    expect(view.ollama!.suggestedTokenizer?.name).toBe('gpt2');
    expect(ollama.requests).toContain('POST /api/generate');
  });

  it('talks to the URL the node names when it runs in the browser', async () => {
    const report = await run(pipeline('I love', ['model', 'transformer', ollamaParams(`${ollama.url}/`, { topK: 3 })]), { where: 'browser' });
    const { view } = done<ViewOf<'transformer'>>(report.outcomes.get('model'));
    expect(view.ollama!.candidates.map((c) => c.token)).toEqual(iLove.top5.slice(0, 3).map((c) => c.text));
  });

  it('streams Generate tokens from /api/generate as progress, and its greedy text is the reference continuation', async () => {
    const events: RunEvent[] = [];
    const report = await run(pipeline('I love', ['gen', 'generate', ollamaParams(ollama.url, { strategy: 'greedy', maxNewTokens: 20 })]), {
      resources: allowed,
      onEvent: (e) => events.push(e),
    });
    const { view, outputs } = done<ViewOf<'generate'>>(report.outcomes.get('gen'));
    expect(view.text).toBe(iLove.greedy.text);
    expect(view.steps).toHaveLength(20);
    expect(view.stopped).toBe('length');
    expect(view.backend).toBe('ollama');
    expect(view.ollama!.note).toMatch(/Ollama does not expose its tokenizer/);
    const streamed = events.flatMap((e) => (e.type === 'node:progress' && e.nodeId === 'gen' && e.message?.startsWith(' ') ? [e.message] : []));
    expect(streamed.length).toBeGreaterThanOrEqual(20);
    expect(streamed[0]!.length).toBeLessThan(streamed.at(-1)!.length);
    expect(streamed.at(-1)).toBe(iLove.greedy.text);
    const ids = outputs.ids as { ids: number[] };
    expect(ids.ids.slice(0, 2)).toEqual(iLove.input_ids);
  });

  it('exports a notebook that says it does not redo the Ollama node, instead of asserting the lab’s Ollama numbers against tokenloom-tiny', async () => {
    const doc = pipeline('I love', ['model', 'transformer', ollamaParams(ollama.url)]);
    const report = await run(doc, { resources: allowed });
    const views: Record<string, unknown> = {};
    for (const [id, outcome] of report.outcomes) if (outcome.status === 'done') views[id] = outcome.view;
    expect(Object.keys(views)).toContain('model');
    const sources = buildNotebook({ doc, views, bpe: {} }).notebook.cells.map((c) => (Array.isArray(c.source) ? c.source.join('') : String(c.source)));
    expect(sources.some((s) => s.includes("This node asked the Ollama model 'tokenloom-tiny'; the notebook does not redo it"))).toBe(true);
    expect(sources.some((s) => s.includes('top_k_next(model_model'))).toBe(false);
  });

  it("passes Generate's sampling settings to Ollama as options, with a raw prompt decoded from the IDs", async () => {
    const params = ollamaParams(ollama.url, { strategy: 'sample', temperature: 0.7, topK: 12, topP: 0.9, seed: 7, maxNewTokens: 5 });
    const report = await run(pipeline('I love', ['gen', 'generate', params]), { resources: allowed });
    const { view } = done<ViewOf<'generate'>>(report.outcomes.get('gen'));
    expect(view.steps.length).toBeGreaterThan(0);
    expect(view.steps.length).toBeLessThanOrEqual(5);
    expect(ollama.generateBodies.at(-1)).toMatchObject({
      model: 'tokenloom-tiny',
      prompt: 'I love',
      raw: true,
      stream: true,
      options: { temperature: 0.7, top_k: 12, top_p: 0.9, seed: 7, num_predict: 5 },
    });
  });

  it('says the model is not pulled when Ollama answers 404 model not found', async () => {
    const report = await run(pipeline('I love', ['model', 'transformer', ollamaParams(ollama.url, { ollamaModel: 'llama3.2' })]), { resources: allowed });
    expect(errorOf(report.outcomes.get('model'))).toMatch(/^The model 'llama3\.2' is not pulled in this Ollama: run `ollama pull llama3\.2`, then run again\. Pulled here: tokenloom-tiny:latest\.$/);
    const gen = await run(pipeline('I love', ['gen', 'generate', ollamaParams(ollama.url, { ollamaModel: 'llama3.2' })]), { resources: allowed });
    expect(errorOf(gen.outcomes.get('gen'))).toMatch(/^The model 'llama3\.2' is not pulled in this Ollama/);
  });

  it("refuses, on the server, an Ollama URL other than the operator's, without connecting to it", async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    try {
      const report = await run(pipeline('I love', ['model', 'transformer', ollamaParams('http://10.1.2.3:11434')]), { resources: allowed });
      expect(errorOf(report.outcomes.get('model'))).toMatch(new RegExp(`^This server talks only to the Ollama at ${ollama.url.replace(/\./g, '\\.')}`));
      const gen = await run(pipeline('I love', ['gen', 'generate', ollamaParams('http://10.1.2.3:11434')]), { resources: allowed });
      expect(errorOf(gen.outcomes.get('gen'))).toMatch(/^This server talks only to the Ollama at/);
      expect(fetchSpy.mock.calls.some(([url]) => String(url).includes('10.1.2.3'))).toBe(false);
    } finally {
      fetchSpy.mockRestore();
    }
  });

  it("runs on the server engine against TOKENLOOM_OLLAMA_URL, and refuses there a graph naming another Ollama", async () => {
    const engine = createInProcessEngine({ cacheBytes: 16 << 20, resources: serverResources(process.cwd(), { TOKENLOOM_OLLAMA_URL: ollama.url }) });
    try {
      const events: RunEvent[] = [];
      const signal = new AbortController().signal;
      await engine.run(pipeline('I love', ['model', 'transformer', ollamaParams(ollama.url)]), { signal, onEvent: (e) => events.push(e) });
      const finished = events.find((e) => e.type === 'node:done' && e.nodeId === 'model');
      expect(finished?.type === 'node:done' && (finished.view as ViewOf<'transformer'>).backend).toBe('ollama');
      events.length = 0;
      await engine.run(pipeline('I love', ['model', 'transformer', ollamaParams('http://localhost:11434')]), { signal, onEvent: (e) => events.push(e) });
      const refused = events.find((e) => e.type === 'node:error' && e.nodeId === 'model');
      expect(refused?.type === 'node:error' && refused.message).toMatch(/^This server talks only to the Ollama at http:\/\/127\.0\.0\.1:\d+; it never connects to an address named in a graph/);
    } finally {
      await engine.close();
    }
  });

  it('refuses Ollama on a server whose operator set no TOKENLOOM_OLLAMA_URL', async () => {
    const report = await run(pipeline('I love', ['model', 'transformer', ollamaParams(ollama.url)]));
    expect(errorOf(report.outcomes.get('model'))).toMatch(/^This server talks to no Ollama: its operator has not set TOKENLOOM_OLLAMA_URL/);
  });
});

describe('Ollama errors a learner can act on', () => {
  it("says Ollama isn't running when nothing listens at the URL", async () => {
    const url = await closedPortUrl();
    const report = await run(pipeline('I love', ['model', 'transformer', ollamaParams(url)]), { where: 'browser' });
    expect(errorOf(report.outcomes.get('model'))).toMatch(new RegExp(`^Ollama isn't running at ${url.replace(/\./g, '\\.')}\\. Start it with \`ollama serve\``));
  });

  it('says an Ollama older than 0.12.11 is too old for probabilities', async () => {
    const old = await startFakeOllama({ version: '0.12.0', logprobs: false });
    try {
      const report = await run(pipeline('I love', ['model', 'transformer', ollamaParams(old.url)]), { where: 'browser' });
      expect(errorOf(report.outcomes.get('model'))).toBe(
        'This Ollama is too old for probabilities (needs 0.12.11 or newer; it is 0.12.0). Update Ollama and run again.',
      );
      expect(old.requests).not.toContain('POST /api/generate');
    } finally {
      await old.close();
    }
  }, 60_000);

  it('says it is too old when the answer carries no logprobs, whatever version it claims', async () => {
    const quiet = await startFakeOllama({ version: '0.12.11', logprobs: false });
    try {
      const report = await run(pipeline('I love', ['model', 'transformer', ollamaParams(quiet.url)]), { where: 'browser' });
      expect(errorOf(report.outcomes.get('model'))).toMatch(/^This Ollama is too old for probabilities \(needs 0\.12\.11 or newer; it is 0\.12\.11\)/);
      expect(quiet.requests).toContain('POST /api/generate');
    } finally {
      await quiet.close();
    }
  }, 60_000);
});

describe('the Ollama plumbing', () => {
  it('reads NDJSON lines split anywhere across chunks, including a last line without a newline', async () => {
    const bytes = new TextEncoder().encode('{"response":" of"}\n{"response":" é"}\n\n{"done":true}');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 5) controller.enqueue(bytes.slice(i, i + 5));
        controller.close();
      },
    });
    const lines: unknown[] = [];
    for await (const line of ndjsonLines(stream)) lines.push(line);
    expect(lines).toEqual([{ response: ' of' }, { response: ' é' }, { done: true }]);
  });

  it('compares versions by number, not as text', () => {
    expect(versionAtLeast('0.12.11', '0.12.11')).toBe(true);
    expect(versionAtLeast('0.12.9', '0.12.11')).toBe(false);
    expect(versionAtLeast('0.13.0', '0.12.11')).toBe(true);
    expect(versionAtLeast('1.0.0-rc1', '0.12.11')).toBe(true);
  });

  it('rejects a non-http Ollama address with a sentence', () => {
    expect(() => normalizeOllamaUrl('file:///etc/passwd')).toThrow(/is not an Ollama address: type one like http:\/\/127\.0\.0\.1:11434\./);
    expect(normalizeOllamaUrl(' http://localhost:11434/ ')).toBe('http://localhost:11434');
  });

  it('takes the allowed Ollama URL from TOKENLOOM_OLLAMA_URL, and env validation refuses a non-http one', () => {
    expect(serverResources('/srv', { TOKENLOOM_OLLAMA_URL: 'http://ollama.internal:11434' }).ollamaUrl).toBe('http://ollama.internal:11434');
    expect(serverResources('/srv', {}).ollamaUrl).toBeUndefined();
    expect(() => parseServerEnv({ TOKENLOOM_OLLAMA_URL: 'ftp://x' })).toThrow(/TOKENLOOM_OLLAMA_URL must be an http:\/\/ or https:\/\/ URL/);
  });

  it("lets the page connect to a local Ollama and to the operator's", () => {
    const csp = contentSecurityPolicy({ nonce: 'n', dev: false, frameAncestors: "'self'", ollamaOrigins: ollamaOriginsFrom('https://ollama.school.edu/') });
    const connect = csp.split('; ').find((d) => d.startsWith('connect-src'))!;
    expect(connect).toContain('http://127.0.0.1:11434');
    expect(connect).toContain('http://localhost:11434');
    expect(connect).toContain('https://ollama.school.edu');
  });
});

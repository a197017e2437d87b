/**
 * A loopback HTTP server (127.0.0.1, port 0) that speaks the part of Ollama's documented API the
 * lab uses — GET /api/version, GET /api/tags, POST /api/show, POST /api/generate (NDJSON stream
 * or one JSON answer, with logprobs / top_logprobs) — answering from the shipped tokenloom-tiny
 * model through onnxruntime-node, so the probabilities the nodes show are real model output.
 *
 * Prompts are tokenized with the shipped GPT-2 tokenizer (`raw` prompts, no template); each new
 * token is a full forward pass over the sequence so far (as reference.json was computed).
 * Greedy when temperature is 0 or top_k is 1, else seeded sampling (nodes/transformer/sampling.ts).
 *
 * Not handled here: /api/chat, keep_alive, contexts, images, pulls, stop strings.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SHIPPED_MODEL } from '@/nodes/shared/model-ref';
import { forward, loadModel } from '@/nodes/transformer/run-model';
import { argmax, chooseNext, seededRandom, softmax, topCandidates } from '@/nodes/transformer/sampling';
import { loadPretrained } from '@/nodes/shared/tokenizer-ref';
import { nodeResources } from '../unit/engine/fixtures';

export interface FakeOllamaOptions {
  /** What /api/version answers (default 0.13.0). */
  version?: string;
  /** Whether /api/generate honours `logprobs` (an old Ollama ignores it). Default true. */
  logprobs?: boolean;
  /** Port on 127.0.0.1 (default 0: any free one). */
  port?: number;
}

export interface FakeOllama {
  url: string;
  /** Every request as "METHOD /path". */
  requests: string[];
  /** The JSON body of every POST /api/generate. */
  generateBodies: Record<string, unknown>[];
  close(): Promise<void>;
}

const MODEL_NAMES = new Set(['tokenloom-tiny', 'tokenloom-tiny:latest']);

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

export async function startFakeOllama(options: FakeOllamaOptions = {}): Promise<FakeOllama> {
  const version = options.version ?? '0.13.0';
  const withLogprobs = options.logprobs ?? true;
  const loaded = await loadModel(SHIPPED_MODEL, { preference: 'auto', where: 'server', resources: nodeResources });
  const { tokenizer } = await loadPretrained('gpt2', nodeResources);
  const eos = loaded.eosId ?? 50256;
  const text = (id: number) => tokenizer.decode([id], { skip_special_tokens: false });
  const entry = (id: number, logprobs: Float64Array) => ({ token: text(id), logprob: Math.log(logprobs[id]!), bytes: [...new TextEncoder().encode(text(id))] });
  const requests: string[] = [];
  const generateBodies: Record<string, unknown>[] = [];

  const server: Server = createServer((request, response) => {
    void (async () => {
      const path = new URL(request.url ?? '/', 'http://x').pathname;
      requests.push(`${request.method} ${path}`);
      // As Ollama does by default: pages on localhost origins may call it from the browser.
      const origin = request.headers.origin;
      if (origin && /^https?:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/.test(origin)) {
        response.setHeader('access-control-allow-origin', origin);
        response.setHeader('access-control-allow-headers', 'content-type');
        response.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
      }
      if (request.method === 'OPTIONS') return void response.writeHead(204).end();
      const send = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      };
      if (request.method === 'GET' && path === '/api/version') return send(200, { version });
      if (request.method === 'GET' && path === '/api/tags') {
        return send(200, { models: [{ name: 'tokenloom-tiny:latest', model: 'tokenloom-tiny:latest', details: { family: 'gpt2', families: ['gpt2'] } }] });
      }
      if (request.method !== 'POST') return send(404, { error: 'not found' });
      const body = await readJson(request);
      const model = String(body.model ?? '');
      if (!MODEL_NAMES.has(model)) return send(404, { error: `model '${model}' not found` });
      if (path === '/api/show') return send(200, { details: { family: 'gpt2', families: ['gpt2'], format: 'onnx' }, model_info: { 'general.architecture': 'gpt2' } });
      if (path !== '/api/generate') return send(404, { error: 'not found' });
      generateBodies.push(body);

      const opts = (body.options ?? {}) as { temperature?: number; top_k?: number; top_p?: number; seed?: number; num_predict?: number };
      const greedy = opts.temperature === 0 || opts.top_k === 1;
      const random = seededRandom(opts.seed ?? 0);
      const k = typeof body.top_logprobs === 'number' ? body.top_logprobs : 0;
      const ids: number[] = tokenizer.encode(String(body.prompt ?? ''), { add_special_tokens: false });
      const limit = Math.min(opts.num_predict ?? 128, 64);
      const stream = body.stream !== false;
      const lines: Record<string, unknown>[] = [];
      let doneReason = 'length';
      if (stream) response.writeHead(200, { 'content-type': 'application/x-ndjson' });
      for (let step = 0; step < limit; step++) {
        const { logits } = await forward(loaded, ids);
        const row = logits.subarray((ids.length - 1) * loaded.vocabSize, ids.length * loaded.vocabSize);
        const probs = softmax(row);
        const id = greedy ? argmax(row) : chooseNext(row, { strategy: 'sample', temperature: opts.temperature ?? 0.8, topK: opts.top_k ?? 40, topP: opts.top_p ?? 0.9 }, random).id;
        ids.push(id);
        if (id === eos) {
          doneReason = 'stop';
          break;
        }
        const line: Record<string, unknown> = { model, created_at: new Date().toISOString(), response: text(id), done: false };
        if (withLogprobs && body.logprobs === true) {
          line.logprobs = [{ ...entry(id, probs), top_logprobs: k > 0 ? topCandidates(probs, k).map((c) => entry(c.id, probs)) : [] }];
        }
        if (stream) response.write(JSON.stringify(line) + '\n');
        lines.push(line);
      }
      const final = { model, created_at: new Date().toISOString(), response: '', done: true, done_reason: doneReason, eval_count: lines.length };
      if (stream) return response.end(JSON.stringify(final) + '\n');
      const logprobs = lines.flatMap((l) => (l.logprobs as unknown[] | undefined) ?? []);
      return send(200, { ...final, response: lines.map((l) => l.response).join(''), ...(withLogprobs && body.logprobs === true ? { logprobs } : {}) });
    })().catch((error: unknown) => {
      // Mid-stream, Ollama reports an error as one more NDJSON line.
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: String(error) }) + '\n');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    generateBodies,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** An address where nothing listens: a port that was just opened and closed. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

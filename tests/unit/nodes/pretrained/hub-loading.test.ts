/**
 * The hub path, run for real but offline: a tiny HTTP server on 127.0.0.1 serves public/hub in
 * the Hugging Face URL layout (/<owner>/<name>/resolve/<revision>/<file>), and transformers.js'
 * env.remoteHost points at it. Nothing here reaches the internet.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { env } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWithPieces, loadPretrainedTokenizer } from '@/nodes/pretrained/pretrained';

const HUB = join(__dirname, '..', '..', '..', '..', 'public', 'hub');
/** Hub ids this fake hub knows, and the shipped folder each one serves. */
const FAKE_HUB: Record<string, string> = { 'openai-community/gpt2': 'gpt2', 'TinyLlama/TinyLlama-1.1B-Chat-v1.0': 'tinyllama' };

let server: Server;
let hubUrl: string;
const requests: string[] = [];

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const url = request.url ?? '';
    requests.push(url);
    const match = /^\/(.+)\/resolve\/[^/]+\/(tokenizer(?:_config)?\.json)$/.exec(url);
    const folder = match ? FAKE_HUB[decodeURIComponent(match[1]!)] : undefined;
    if (!match || !folder) {
      response.writeHead(404).end('Entry not found');
      return;
    }
    const body = await readFile(join(HUB, folder, match[2]!));
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hubUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** A loopback port with nothing listening: what "offline" looks like to fetch. */
async function closedPortUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}/`;
}

describe('loading a hub id through transformers.js', () => {
  it('downloads tokenizer.json and tokenizer_config.json from the hub URL and encodes with them', async () => {
    env.remoteHost = hubUrl;
    env.remotePathTemplate = '{model}/resolve/{revision}/';
    const loaded = await loadPretrainedTokenizer('openai-community/gpt2', { localModelPath: HUB, cacheDownloads: false });
    expect(loaded.source).toBe('hub');
    expect(encodeWithPieces(loaded, 'I love NLP').ids).toEqual([40, 1842, 399, 19930]);
    expect(requests).toContain('/openai-community/gpt2/resolve/main/tokenizer.json');
    expect(requests).toContain('/openai-community/gpt2/resolve/main/tokenizer_config.json');
  });

  it('loads TinyLlama by its real hub id with the same IDs as the shipped copy', async () => {
    env.remoteHost = hubUrl;
    const loaded = await loadPretrainedTokenizer('TinyLlama/TinyLlama-1.1B-Chat-v1.0', { localModelPath: HUB, cacheDownloads: false });
    expect(encodeWithPieces(loaded, 'I love NLP').ids).toEqual([1, 306, 5360, 405, 13208]);
  });

  it('says the id does not exist (and names the shipped ones) when the hub answers 404', async () => {
    env.remoteHost = hubUrl;
    const attempt = loadPretrainedTokenizer('nobody/no-such-model', { localModelPath: HUB, cacheDownloads: false });
    await expect(attempt).rejects.toThrow(/no tokenizer\.json and tokenizer_config\.json for it/);
    await expect(attempt).rejects.toThrow(/gpt2, bert-base-uncased, tinyllama/);
    expect(requests.some((r) => r.startsWith('/nobody/no-such-model/'))).toBe(true);
  });

  it('fails offline with a message naming the shipped tokenizers', async () => {
    env.remoteHost = await closedPortUrl();
    const attempt = loadPretrainedTokenizer('google-bert/bert-base-cased', { localModelPath: HUB, cacheDownloads: false });
    await expect(attempt).rejects.toThrow(
      /Could not load the tokenizer 'google-bert\/bert-base-cased': it is not shipped with Tokenloom and the Hugging Face hub could not be reached .*Offline, use one of the shipped tokenizers: gpt2, bert-base-uncased, tinyllama\./,
    );
  });

  it('fails the same way, without any request, when remote loading is switched off', async () => {
    env.remoteHost = hubUrl;
    const before = requests.length;
    await expect(loadPretrainedTokenizer('openai-community/gpt2-medium', { localModelPath: HUB, allowRemote: false })).rejects.toThrow(
      /remote loading is switched off\)\. Offline, use one of the shipped tokenizers: gpt2, bert-base-uncased, tinyllama\./,
    );
    expect(requests.length).toBe(before);
  });

  it('still loads the shipped names from local files with the hub unreachable', async () => {
    env.remoteHost = await closedPortUrl();
    const loaded = await loadPretrainedTokenizer('bert-base-uncased', { localModelPath: HUB, allowRemote: true });
    expect(loaded.source).toBe('shipped');
    expect(encodeWithPieces(loaded, 'I love NLP').ids).toEqual([101, 1045, 2293, 17953, 2361, 102]);
  });
});

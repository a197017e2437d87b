/**
 * Entry point of the browser's engine Web Worker: the registry of node kinds and the engine's
 * run host, wired to postMessage. It lives beside the registry, not in engine/, because the
 * engine names no kind.
 * Loaded by the canvas with `new Worker(new URL(...), { type: 'module' })`.
 */
import './shared/zod-jitless';
import { registry } from './index';
import { createRunHost, type HostMessage, type HostRequest } from './engine/worker-host';
import { handleLocalCorpusRequest, type LocalCorpusMessage, type LocalCorpusRequest } from './shared/corpus-file';

interface WorkerScope {
  postMessage(message: HostMessage | LocalCorpusMessage): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<HostRequest | LocalCorpusRequest>) => void): void;
}

const scope = globalThis as unknown as WorkerScope;
const host = createRunHost({
  registry,
  where: 'browser',
  // The app serves public/ at the site root; the hub is reachable when the user is online.
  resources: { hubPath: '/hub/', modelPath: '/models/', allowRemote: true },
  post: (m) => scope.postMessage(m),
});
scope.addEventListener('message', (event) => {
  // Local corpus files (shared/corpus-file.ts) are kept beside the engine, not in it.
  if (event.data.type === 'local-corpus') void handleLocalCorpusRequest(event.data, (m) => scope.postMessage(m));
  else void host.handle(event.data);
});

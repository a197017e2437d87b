/**
 * Entry point of the browser's engine Web Worker: the registry of node kinds and the engine's
 * run host, wired to postMessage. It lives beside the registry, not in engine/, because the
 * engine names no kind.
 * Loaded by the canvas with `new Worker(new URL(...), { type: 'module' })`.
 */
import './shared/zod-jitless';
import { registry } from './index';
import { createRunHost, type HostMessage, type HostRequest } from './engine/worker-host';

interface WorkerScope {
  postMessage(message: HostMessage): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<HostRequest>) => void): void;
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
  void host.handle(event.data);
});

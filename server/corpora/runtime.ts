/**
 * The process's corpus store and settings, made once (cached on globalThis: Next bundles route
 * handlers separately, and every bundle must agree on one store, like server/db/client.ts).
 * Not handled here: the store itself (store.ts), the settings (settings.ts).
 */
import { readCorpusSettings, type CorpusSettings } from './settings';
import { CorpusStore } from './store';

const holder = globalThis as typeof globalThis & { __tokenloomCorpora?: { store: CorpusStore; settings: CorpusSettings } };

export function corpusRuntime(): { store: CorpusStore; settings: CorpusSettings } {
  if (!holder.__tokenloomCorpora) {
    const settings = readCorpusSettings();
    holder.__tokenloomCorpora = { settings, store: new CorpusStore(settings.dir) };
  }
  return holder.__tokenloomCorpora;
}

/** Forget the cached store (tests that change the environment). */
export function resetCorpusRuntime(): void {
  holder.__tokenloomCorpora = undefined;
}

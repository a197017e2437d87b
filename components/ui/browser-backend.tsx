'use client';
/**
 * This browser's own choice of model backend (Auto / WebGPU / WASM), kept in localStorage so it
 * holds for every graph opened here and never travels with a shared graph. The engine applies it
 * to model nodes left on Auto (withBrowserBackend in nodes/transformer/model-choice.ts); a change
 * re-runs the graph (use-engine subscribes).
 *
 * Not handled here: what Auto decides (nodes/transformer/backend-choice.ts).
 */
import { useSyncExternalStore } from 'react';
import { DEVICE_PREFERENCES, type DevicePreference } from '@/nodes/transformer/model-choice';

export const BROWSER_BACKEND_KEY = 'tokenloom:model-backend';
const listeners = new Set<() => void>();

export function browserBackend(): DevicePreference {
  try {
    const stored = localStorage.getItem(BROWSER_BACKEND_KEY);
    return (DEVICE_PREFERENCES as readonly string[]).includes(stored ?? '') ? (stored as DevicePreference) : 'auto';
  } catch {
    return 'auto'; // storage off (private mode) or no window (server render)
  }
}

export function setBrowserBackend(preference: DevicePreference) {
  try {
    localStorage.setItem(BROWSER_BACKEND_KEY, preference);
  } catch {
    // Storage may be off; the choice then cannot be remembered.
  }
  for (const listener of listeners) listener();
}

export function onBrowserBackendChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const LABELS: Record<DevicePreference, string> = { auto: 'Auto (measured)', webgpu: 'WebGPU', wasm: 'WASM' };

/** The select in the model inspectors: "Model backend in this browser". */
export function BrowserBackendSelect({ nodeDevice }: { nodeDevice: string }) {
  const value = useSyncExternalStore(onBrowserBackendChange, browserBackend, () => 'auto' as const);
  return (
    <label className="flex flex-wrap items-center gap-2 text-xs text-slate-600 dark:text-slate-300">
      Model backend in this browser:
      <select
        className="rounded border border-slate-300 bg-white px-1 py-0.5 dark:border-slate-600 dark:bg-slate-900"
        value={value}
        onChange={(e) => setBrowserBackend(e.target.value as DevicePreference)}
        data-testid="browser-backend"
      >
        {DEVICE_PREFERENCES.map((p) => (
          <option key={p} value={p}>
            {LABELS[p]}
          </option>
        ))}
      </select>
      {nodeDevice !== 'auto' && <span className="text-slate-500">(this node’s Device setting, {nodeDevice}, comes first)</span>}
    </label>
  );
}

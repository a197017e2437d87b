/**
 * Which WebGPU adapter this browser (or worker) offers, and whether it is real hardware. A
 * software adapter (SwiftShader, llvmpipe, or any adapter flagged `isFallbackAdapter`) runs a
 * model of this size about 100× slower than WASM, so `auto` choices must never pick it.
 *
 *   await webGpuAdapter()   // { name: 'google swiftshader', hardware: false } in headless Chromium
 *                           // null where there is no navigator.gpu or no adapter
 *
 * Not handled here: probing speed (a hardware GPU can still lose to WASM on a tiny model), and
 * what to run on the adapter (the Transformer and Fine-tune nodes decide).
 */
export interface WebGpuAdapterInfo {
  /** vendor, architecture and description, as the adapter reports them. */
  name: string;
  hardware: boolean;
}

interface GpuAdapterLike {
  isFallbackAdapter?: boolean;
  info?: { vendor?: string; architecture?: string; description?: string; isFallbackAdapter?: boolean };
}

let asked: Promise<WebGpuAdapterInfo | null> | null = null;

/** The adapter, asked once per realm. */
export function webGpuAdapter(): Promise<WebGpuAdapterInfo | null> {
  asked ??= (async () => {
    const gpu = (globalThis as { navigator?: { gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> } } }).navigator?.gpu;
    if (!gpu) return null;
    try {
      const adapter = await gpu.requestAdapter();
      if (!adapter) return null;
      const info = adapter.info ?? {};
      const name = [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || 'unknown adapter';
      const software = adapter.isFallbackAdapter === true || info.isFallbackAdapter === true || /swiftshader|llvmpipe|software/i.test(name);
      return { name, hardware: !software };
    } catch {
      return null;
    }
  })();
  return asked;
}

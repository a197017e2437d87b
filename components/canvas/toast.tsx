'use client';
/** The one message line over the canvas: errors stay 6 s, information 3.5 s, or until dismissed. */
import { useEffect } from 'react';
import { useLab } from './store';

export function Toast() {
  const toast = useLab((s) => s.toast);
  const dismiss = useLab((s) => s.dismissToast);
  useEffect(() => {
    if (!toast) return;
    const t = setTimeout(dismiss, toast.tone === 'error' ? 6000 : 3500);
    return () => clearTimeout(t);
  }, [toast, dismiss]);
  if (!toast) return null;
  return (
    <div
      role={toast.tone === 'error' ? 'alert' : 'status'}
      data-testid="toast"
      className={`absolute top-3 left-1/2 z-50 max-w-xl -translate-x-1/2 rounded-lg px-4 py-2 text-sm shadow-lg ${
        toast.tone === 'error' ? 'bg-rose-600 text-white' : 'bg-slate-800 text-white'
      }`}
    >
      {toast.message}
      <button type="button" className="ml-3 opacity-70 hover:opacity-100" onClick={dismiss} aria-label="Dismiss">
        ×
      </button>
    </div>
  );
}

'use client';
/** The shortcuts popover (the same list the key handler runs) and the engine's run budget setting. */
import { MAX_RUN_BUDGET_S, MIN_RUN_BUDGET_S, useLab } from './store';
import { SHORTCUTS } from './use-shortcuts';

export function ShortcutsHelp({ onClose }: { onClose(): void }) {
  return (
    <div role="dialog" aria-label="Keyboard shortcuts" className="absolute top-12 right-3 z-50 w-80 rounded-xl border border-slate-200 bg-white p-4 text-sm shadow-xl dark:border-slate-700 dark:bg-slate-900">
      <div className="mb-2 flex items-center justify-between">
        <h2 className="font-semibold">Keyboard shortcuts</h2>
        <button type="button" className="btn" onClick={onClose} aria-label="Close shortcuts">
          ×
        </button>
      </div>
      <table className="w-full">
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.action} className="border-t border-slate-100 dark:border-slate-800">
              <td className="py-1 pr-2 font-mono text-xs whitespace-nowrap">{s.keys}</td>
              <td className="py-1">{s.action}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <RunBudgetSetting />
    </div>
  );
}

/** How long a node may hold the browser's engine without yielding before the watchdog stops it. */
function RunBudgetSetting() {
  const budget = useLab((s) => s.runBudgetS);
  const setRunBudget = useLab((s) => s.setRunBudget);
  return (
    <label className="mt-3 flex items-center gap-2 border-t border-slate-100 pt-3 text-xs dark:border-slate-800">
      Stop a node that holds the browser engine for over
      <input
        type="number"
        min={MIN_RUN_BUDGET_S}
        max={MAX_RUN_BUDGET_S}
        className="w-16 rounded border border-slate-300 px-1 dark:border-slate-600 dark:bg-slate-800"
        data-testid="run-budget"
        value={budget}
        onChange={(e) => setRunBudget(Number(e.target.value))}
      />
      s
    </label>
  );
}

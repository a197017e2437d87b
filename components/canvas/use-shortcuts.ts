'use client';
/**
 * The keyboard shortcuts, in one list: the handler runs the first entry that matches a key
 * press, and the help popover shows the same list, so it says exactly what the handler does.
 * Entries without `match` are done by React Flow itself (deleting, box-selecting) and are listed
 * for completeness.
 *
 * While the user types in a field, only the entries marked `whileTyping` (undo, redo, save)
 * apply; every other key goes to the field.
 *
 * Not handled here: lesson mode's keys (presenter.tsx, which takes them first while presenting).
 */
import { useEffect } from 'react';
import { useLab } from './store';

/** What the shortcuts do beyond the store: the canvas's view, the help popover, saving. */
export interface ShortcutActions {
  fitView(): void;
  autoLayout(): void;
  toggleDark(): void;
  toggleHelp(): void;
  closeHelp(): void;
  save(): void;
}

interface Shortcut {
  keys: string;
  action: string;
  /** `key` is e.key lower-cased; `mod` is Ctrl or ⌘. */
  match?(e: KeyboardEvent, key: string, mod: boolean): boolean;
  run?(actions: ShortcutActions, key: string): void;
  whileTyping?: boolean;
  /** Keep the browser's own meaning of the keys from happening too (select all text, save page). */
  preventDefault?: boolean;
}

export const SHORTCUTS: readonly Shortcut[] = [
  {
    keys: 'Ctrl/⌘ Z',
    action: 'Undo',
    match: (e, key, mod) => mod && key === 'z' && !e.shiftKey,
    run: () => useLab.getState().undo(),
    whileTyping: true,
    preventDefault: true,
  },
  {
    keys: 'Ctrl/⌘ Shift Z, Ctrl Y',
    action: 'Redo',
    match: (e, key, mod) => mod && ((key === 'z' && e.shiftKey) || key === 'y'),
    run: () => useLab.getState().redo(),
    whileTyping: true,
    preventDefault: true,
  },
  {
    keys: 'Ctrl/⌘ S',
    action: 'Save (gives a link to share)',
    match: (_e, key, mod) => mod && key === 's',
    run: (actions) => actions.save(),
    whileTyping: true,
    preventDefault: true,
  },
  {
    keys: 'Ctrl/⌘ C / V',
    action: 'Copy / paste selected nodes',
    match: (_e, key, mod) => mod && (key === 'c' || key === 'v'),
    run: (_actions, key) => {
      const state = useLab.getState();
      if (key === 'v') {
        state.paste();
        return;
      }
      const n = state.copySelection();
      if (n) state.showToast(`Copied ${n} node${n === 1 ? '' : 's'}.`, 'info');
    },
  },
  {
    keys: 'Ctrl/⌘ A',
    action: 'Select all nodes',
    match: (_e, key, mod) => mod && key === 'a',
    run: () => useLab.getState().selectAll(),
    preventDefault: true,
  },
  { keys: 'Delete, Backspace', action: 'Delete selection' },
  { keys: 'Shift + drag', action: 'Box-select' },
  { keys: 'Shift + click', action: 'Add to selection' },
  { keys: 'F', action: 'Fit the graph in view', match: (_e, key, mod) => !mod && key === 'f', run: (actions) => actions.fitView() },
  { keys: 'L', action: 'Auto-layout left to right', match: (_e, key, mod) => !mod && key === 'l', run: (actions) => actions.autoLayout() },
  { keys: 'D', action: 'Dark / light mode', match: (_e, key, mod) => !mod && key === 'd', run: (actions) => actions.toggleDark() },
  {
    keys: 'Esc',
    action: 'Close the inspector, clear selection',
    match: (e, _key, mod) => !mod && e.key === 'Escape',
    run: (actions) => {
      actions.closeHelp();
      useLab.getState().inspect(null);
    },
  },
  { keys: '?', action: 'Show these shortcuts', match: (e, _key, mod) => !mod && e.key === '?', run: (actions) => actions.toggleHelp() },
];

export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** Runs the shortcut a key press stands for, if any; true when one ran. */
export function handleShortcut(e: KeyboardEvent, actions: ShortcutActions): boolean {
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.toLowerCase();
  const typing = isTypingTarget(e.target);
  const shortcut = SHORTCUTS.find((s) => s.match?.(e, key, mod) && (s.whileTyping || !typing));
  if (!shortcut?.run) return false;
  if (shortcut.preventDefault) e.preventDefault();
  shortcut.run(actions, key);
  return true;
}

/** The lab's keyboard: SHORTCUTS on window keydown. `actions` may change between renders. */
export function useShortcuts(actions: ShortcutActions) {
  const { fitView, autoLayout, toggleDark, toggleHelp, closeHelp, save } = actions;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => void handleShortcut(e, { fitView, autoLayout, toggleDark, toggleHelp, closeHelp, save });
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [fitView, autoLayout, toggleDark, toggleHelp, closeHelp, save]);
}

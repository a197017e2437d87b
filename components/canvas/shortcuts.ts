/** The keyboard shortcuts, in one table: the help popover lists exactly what the handler does. */
export const SHORTCUTS = [
  { keys: 'Ctrl/⌘ Z', action: 'Undo' },
  { keys: 'Ctrl/⌘ Shift Z, Ctrl Y', action: 'Redo' },
  { keys: 'Ctrl/⌘ C / V', action: 'Copy / paste selected nodes' },
  { keys: 'Ctrl/⌘ A', action: 'Select all nodes' },
  { keys: 'Delete, Backspace', action: 'Delete selection' },
  { keys: 'Shift + drag', action: 'Box-select' },
  { keys: 'Shift + click', action: 'Add to selection' },
  { keys: 'F', action: 'Fit the graph in view' },
  { keys: 'L', action: 'Auto-layout left to right' },
  { keys: 'D', action: 'Dark / light mode' },
  { keys: 'Esc', action: 'Close the inspector, clear selection' },
  { keys: '?', action: 'Show these shortcuts' },
] as const;

export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

'use client';
/**
 * The lab's header: the graph's title, undo/redo and view buttons, templates, lesson, sharing,
 * where the graph runs (browser or server) and the run's status with Stop, and Run again once
 * something was stopped (a stopped training continues from the step it reached).
 */
import { FilePlus, GraduationCap, HelpCircle, LayoutGrid, LayoutTemplate, Maximize, Moon, Play, Redo2, Square, Sun, Undo2 } from 'lucide-react';
import { formatMs } from '@/components/ui/format';
import { ShareMenu } from './share-menu';
import { useShallow } from 'zustand/react/shallow';
import { useLab } from './store';
import type { useSharing } from './use-sharing';
import { StoredFormToggle } from '@/components/ui/token-display';
import { LiveClassBadge } from '@/components/live/teacher-panel';

export interface ToolbarProps {
  dark: boolean;
  lessonOpen: boolean;
  sharing: ReturnType<typeof useSharing>;
  onFit(): void;
  onLayout(): void;
  onToggleDark(): void;
  onToggleHelp(): void;
  onOpenTemplates(): void;
  /** "New blank graph" (it asks first when there are unsaved edits). */
  onNewBlank(): void;
  onToggleLesson(): void;
  onStop(): void;
  onRunAgain(): void;
}

export function Toolbar({ dark, lessonOpen, sharing, onFit, onLayout, onToggleDark, onToggleHelp, onOpenTemplates, onNewBlank, onToggleLesson, onStop, onRunAgain }: ToolbarProps) {
  // Only what the header shows: a keystroke or a node's result re-renders none of it.
  const lab = useLab(
    useShallow((s) => ({
      presenting: s.presenting,
      title: s.title,
      setTitle: s.setTitle,
      undo: s.undo,
      redo: s.redo,
      canUndo: s.past.length > 0,
      canRedo: s.future.length > 0,
      readOnly: s.readOnly,
      run: s.run,
      setRunOn: s.setRunOn,
      stopped: Object.values(s.runtime).some((r) => r.status === 'stopped'),
    })),
  );
  const stopped = lab.stopped;
  return (
    <header hidden={Boolean(lab.presenting)} className="flex flex-wrap items-center gap-2 border-b border-slate-200 bg-white px-3 py-2 dark:border-slate-800 dark:bg-slate-950 [&_.btn]:shrink-0 [&_.btn]:whitespace-nowrap">
      <span className="font-semibold tracking-tight">Tokenloom</span>
      <input
        aria-label="Graph title"
        className="field w-40 min-w-0 2xl:w-64"
        value={lab.title}
        onChange={(e) => lab.setTitle(e.target.value)}
      />
      <div className="ml-2 flex items-center gap-1">
        <button type="button" className="btn" onClick={lab.undo} disabled={!lab.canUndo} aria-label="Undo" title="Undo (Ctrl/⌘ Z)">
          <Undo2 size={16} />
        </button>
        <button type="button" className="btn" onClick={lab.redo} disabled={!lab.canRedo} aria-label="Redo" title="Redo (Ctrl/⌘ Shift Z)">
          <Redo2 size={16} />
        </button>
        <button type="button" className="btn" onClick={onFit} aria-label="Fit view" title="Fit view (F)">
          <Maximize size={16} />
        </button>
        <button type="button" className="btn" onClick={onLayout} aria-label="Auto-layout" title="Auto-layout (L)">
          <LayoutGrid size={16} />
        </button>
        <button type="button" className="btn" onClick={onToggleDark} aria-label="Toggle dark mode" title="Dark mode (D)">
          {dark ? <Sun size={16} /> : <Moon size={16} />}
        </button>
        <button type="button" className="btn" onClick={onToggleHelp} aria-label="Keyboard shortcuts" title="Shortcuts (?)">
          <HelpCircle size={16} />
        </button>
      </div>
      <StoredFormToggle />
      <button type="button" className="btn" onClick={onNewBlank} data-testid="new-blank-graph">
        <FilePlus size={14} /> New blank graph
      </button>
      <button type="button" className="btn" onClick={onOpenTemplates} data-testid="open-templates">
        <LayoutTemplate size={14} /> Templates
      </button>
      <button type="button" className="btn" onClick={onToggleLesson} aria-expanded={lessonOpen} data-testid="open-lesson">
        <GraduationCap size={14} /> Lesson
      </button>
      {lab.readOnly && (
        <span data-testid="read-only" className="rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-800 dark:bg-amber-900 dark:text-amber-100">
          Read-only · fork to edit
        </span>
      )}
      <ShareMenu sharing={sharing} />
      <LiveClassBadge />
      <div className="ml-auto flex min-w-0 grow basis-40 items-center justify-end gap-2 text-xs text-slate-500">
        <div role="radiogroup" aria-label="Run on" className="flex shrink-0 overflow-hidden rounded-md border border-slate-200 dark:border-slate-700">
          {(['browser', 'server'] as const).map((where) => (
            <button
              type="button"
              role="radio"
              aria-checked={lab.run.where === where}
              key={where}
              data-testid={`run-on-${where}`}
              onClick={() => lab.run.where !== where && lab.setRunOn(where)}
              className={`px-2 py-1 ${lab.run.where === where ? 'bg-sky-600 text-white' : 'bg-white dark:bg-slate-900'}`}
              title={where === 'browser' ? 'Run in this browser, in a Web Worker' : 'Run on the server, with the same engine'}
            >
              {where === 'browser' ? 'Browser' : 'Server'}
            </button>
          ))}
        </div>
        <span data-testid="run-status" className="flex min-w-0 items-center gap-2">
          {lab.run.running ? (
            <>
              <span className="animate-pulse truncate">Running {lab.run.where === 'browser' ? 'in the browser' : 'on the server'}…</span>
              <button type="button" className="btn" onClick={onStop} aria-label="Stop">
                <Square size={12} /> Stop
              </button>
            </>
          ) : (
            <>
              <span className="truncate">
                {lab.run.where === 'browser' ? 'Browser · Web Worker' : 'Server · Node'}
                {lab.run.cancelled ? ' · last run stopped' : lab.run.ms !== undefined ? ` · last run ${formatMs(lab.run.ms)}` : ''}
              </span>
              {stopped && (
                <button type="button" className="btn" onClick={onRunAgain} data-testid="run-again" title="Run the graph again: a stopped training continues from the step it reached">
                  <Play size={12} /> Run again
                </button>
              )}
            </>
          )}
        </span>
      </div>
    </header>
  );
}

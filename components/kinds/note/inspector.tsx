'use client';
import { NOTE_COLORS } from '@/nodes/note';
import type { InspectorProps } from '../types';

export function NoteInspector({ params, setParams, view }: InspectorProps<'note'>) {
  return (
    <div className="grid gap-3 text-sm">
      <p>Notes carry explanations for whoever opens this graph: a class, a colleague, you next week. They compute nothing.</p>
      <div className="flex gap-2">
        {NOTE_COLORS.map((c) => (
          <button
            type="button"
            key={c}
            className={`btn ${params.color === c ? 'ring-2 ring-sky-400' : ''}`}
            onClick={() => setParams({ color: c })}
          >
            {c}
          </button>
        ))}
      </div>
      <p className="text-xs text-slate-500">{view.words} words</p>
    </div>
  );
}

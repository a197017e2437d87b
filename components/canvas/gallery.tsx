'use client';
/** The template gallery: one card per beginner's question, each opening as a running graph. */
import { TEMPLATES, type Template } from '@/nodes/templates';
import { GraphThumbnail } from './thumbnail';

export function Gallery({ onOpen, compact = false }: { onOpen(template: Template): void; compact?: boolean }) {
  return (
    <div className={`grid gap-2 ${compact ? '' : 'sm:grid-cols-2 lg:grid-cols-3'}`} data-testid="gallery">
      {TEMPLATES.map((t) => (
        <button
          type="button"
          key={t.id}
          data-testid={`template-${t.id}`}
          onClick={() => onOpen(t)}
          className="grid grid-cols-[auto_1fr] items-center gap-3 rounded-xl border border-slate-200 bg-white p-2 text-left hover:border-sky-400 dark:border-slate-700 dark:bg-slate-900"
        >
          <GraphThumbnail doc={t.doc} width={compact ? 96 : 140} height={compact ? 54 : 70} />
          <span>
            <span className="block text-sm font-semibold">{t.title}</span>
            <span className="block text-xs text-slate-500 dark:text-slate-400">{t.description}</span>
            {t.doc.lesson && <span className="text-[11px] text-sky-700 dark:text-sky-300">{t.doc.lesson.steps.length}-step lesson</span>}
          </span>
        </button>
      ))}
    </div>
  );
}

export function GalleryDialog({ onOpen, onClose }: { onOpen(template: Template): void; onClose(): void }) {
  return (
    <div role="dialog" aria-label="Templates" className="absolute inset-0 z-50 grid place-items-center bg-slate-900/40 p-6" onClick={onClose}>
      <div className="max-h-full w-full max-w-5xl overflow-y-auto rounded-2xl bg-slate-50 p-5 shadow-2xl dark:bg-slate-950" onClick={(e) => e.stopPropagation()}>
        <div className="mb-3 flex items-center justify-between">
          <h2 className="text-lg font-semibold">Start from a question</h2>
          <button type="button" className="btn" onClick={onClose} aria-label="Close templates">
            ×
          </button>
        </div>
        <Gallery onOpen={onOpen} />
      </div>
    </div>
  );
}

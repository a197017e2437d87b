'use client';
/**
 * The lab: palette, canvas, inspector and toolbar around one graph. Edits go to the store; the
 * engine hook runs the graph in a Web Worker and streams results back into it.
 */
import '@/nodes/shared/zod-jitless';
import {
  Background,
  Controls,
  ReactFlow,
  ReactFlowProvider,
  ViewportPortal,
  useConnection,
  useReactFlow,
  type Connection,
  type FinalConnectionState,
} from '@xyflow/react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { FilePlus, GraduationCap, HelpCircle, LayoutGrid, LayoutTemplate, Maximize, Moon, Redo2, Square, Sun, Undo2 } from 'lucide-react';
import { connectionRefusal } from '@/nodes/engine/validate';
import { loadGraphDoc, type GraphDoc } from '@/nodes/engine/graph-doc';
import { decodeGraphFromHash, editSecretFor, loadDraft } from './sharing';
import { ShareMenu } from './share-menu';
import { findTemplate, type Template } from '@/nodes/templates';
import { Gallery, GalleryDialog } from './gallery';
import { LessonPanel } from './lesson-panel';
import { PresenterPanel, usePresenterKeys } from './presenter';
import { useAutosave, useSharing } from './use-sharing';
import { registry, nodeKinds, portSpec, NODE_TYPES, type NodeType } from '@/nodes';
import { PORT_COLOR } from '@/components/ui/ports';
import { formatMs } from '@/components/ui/format';
import { uiOf } from '@/components/kinds';
import { InspectorPanel } from './inspector-panel';
import { NodeCard } from './node-card';
import { DRAG_MIME, Palette } from './palette';
import { layoutLeftToRight } from './layout';
import { SHORTCUTS, isTypingTarget } from './shortcuts';
import { useEngine } from './use-engine';
import { MAX_RUN_BUDGET_S, MIN_RUN_BUDGET_S, useLab } from './store';
import type { LabNode } from './graph-convert';
import { useConfirm } from './confirm-dialog';
import { CanvasMinimap, MinimapToggle, useMinimapSetting, useReadableFit, useRefitOnFirstResults } from './canvas-view';
import { EmptyCanvasHint } from './empty-canvas-hint';
import { useBeforeDelete, useForgetEmptiedTemplate, useNewBlankGraph } from './use-graph-lifecycle';

/** React Flow's component per node type: the shared node card, or a kind's own card (the Note). */
const nodeTypes = Object.fromEntries(
  NODE_TYPES.map((type) => {
    const ui = uiOf(type);
    return [type, 'card' in ui ? ui.card : NodeCard];
  }),
);

/** Where a kind with its own card says how big a new one starts. */
const newSize = (type: NodeType) => {
  const ui = uiOf(type);
  return 'newSize' in ui ? ui.newSize : undefined;
};

/** While a wire is dragged over a port it cannot join, say why, next to the pointer. */
function ConnectionHint() {
  const connection = useConnection();
  if (!connection.inProgress || !connection.toHandle || !connection.toNode || connection.isValid !== false) return null;
  const from = connection.fromHandle;
  const to = connection.toHandle;
  const source = from.type === 'source' ? { node: connection.fromNode, port: from.id } : { node: connection.toNode, port: to.id };
  const target = from.type === 'source' ? { node: connection.toNode, port: to.id } : { node: connection.fromNode, port: from.id };
  const reason =
    (source.node.type &&
      target.node.type &&
      connectionRefusal(registry, { type: source.node.type, port: source.port ?? '' }, { type: target.node.type, port: target.port ?? '' })) ||
    'An output joins an input: drag from a right-side port to a left-side one.';
  return (
    <ViewportPortal>
      <div
        data-testid="connection-hint"
        className="pointer-events-none absolute rounded-md bg-rose-600 px-2 py-1 text-xs text-white shadow"
        style={{ transform: `translate(${connection.to.x + 14}px, ${connection.to.y + 14}px)` }}
      >
        {reason}
      </div>
    </ViewportPortal>
  );
}

function useDarkMode(): [boolean, () => void] {
  const [dark, setDark] = useState(false);
  useEffect(() => {
    const stored = localStorage.getItem('tokenloom:dark');
    setDark(stored ? stored === '1' : window.matchMedia('(prefers-color-scheme: dark)').matches);
  }, []);
  useEffect(() => {
    document.documentElement.classList.toggle('dark', dark);
  }, [dark]);
  const toggle = useCallback(() => {
    setDark((d) => {
      localStorage.setItem('tokenloom:dark', d ? '0' : '1');
      return !d;
    });
  }, []);
  return [dark, toggle];
}

function Toast() {
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

function ShortcutsHelp({ onClose }: { onClose(): void }) {
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

/**
 * Which graph the canvas opens: a saved one (editable when this browser holds its secret, with
 * any unsaved draft restored), one carried in the URL hash (read-only), the local draft of the
 * start page, or the given starter.
 */
function openInitialGraph(initial: GraphDoc, graphId: string | undefined) {
  const lab = useLab.getState();
  const same = (a: GraphDoc, b: GraphDoc) => JSON.stringify(a) === JSON.stringify(b);
  if (graphId) {
    const canEdit = Boolean(editSecretFor(graphId));
    const draft = canEdit ? loadDraft(graphId) : undefined;
    if (draft && !same(draft, initial)) {
      lab.load(draft, { graphId, readOnly: false });
      lab.showToast('Restored your unsaved edits to this graph.', 'info');
    } else {
      lab.load(initial, { graphId, readOnly: !canEdit, saved: true });
    }
    return;
  }
  const template = findTemplate(new URLSearchParams(window.location.search).get('template') ?? '');
  if (template) {
    lab.load(template.doc);
    lab.inspect(template.focus);
    return;
  }
  const fromHash = decodeGraphFromHash(window.location.hash);
  if (fromHash?.ok) {
    lab.load(fromHash.doc, { readOnly: true });
    return;
  }
  if (fromHash && !fromHash.ok) lab.showToast(fromHash.message);
  const draft = loadDraft('local');
  if (draft && !same(draft, initial)) {
    lab.load(draft);
    lab.showToast('Restored your unsaved graph from last time.', 'info');
    return;
  }
  const loaded = loadGraphDoc(initial);
  if (loaded.ok) lab.load(loaded.doc);
  else lab.showToast(loaded.message);
}

function Canvas({ initial, graphId }: { initial: GraphDoc; graphId?: string }) {
  const lab = useLab();
  const { screenToFlowPosition, fitView, getViewport } = useReactFlow();
  const { stop } = useEngine();
  const sharing = useSharing();
  const { save } = sharing;
  useAutosave();
  const [dark, toggleDark] = useDarkMode();
  const [help, setHelp] = useState(false);
  const { dialog, ask } = useConfirm();
  const [minimapShown, toggleMinimap] = useMinimapSetting();
  const fitReadable = useReadableFit(minimapShown && !lab.presenting);
  useForgetEmptiedTemplate();
  const onMoveStart = useRefitOnFirstResults(fitReadable);
  const onBeforeDelete = useBeforeDelete(ask);

  const fitViewRef = useRef(fitView);
  fitViewRef.current = fitView;
  const fitReadableRef = useRef(fitReadable);
  fitReadableRef.current = fitReadable;
  useEffect(() => {
    openInitialGraph(initial, graphId);
    // A lesson link opens straight into lesson mode at step 1.
    if (new URLSearchParams(window.location.search).get('lesson') === '1') useLab.getState().present(0);
    requestAnimationFrame(() => void fitReadableRef.current());
  }, [initial, graphId]);

  const [galleryOpen, setGalleryOpen] = useState(false);
  const [lessonOpen, setLessonOpen] = useState(false);
  usePresenterKeys();
  const openTemplate = useCallback(
    (t: Template) => {
      const state = useLab.getState();
      state.load(t.doc, { keepHistory: true });
      state.inspect(t.focus);
      window.history.replaceState(null, '', `/?template=${t.id}`);
      setGalleryOpen(false);
      // The lesson editor was about the graph before; it would sit beside one it does not describe.
      setLessonOpen(false);
      requestAnimationFrame(() => void fitReadable(300));
    },
    [fitReadable],
  );
  // Presenting is the lesson itself: the editor closes, and the canvas has the palette back after.
  const presentingNow = Boolean(lab.presenting);
  useEffect(() => {
    if (presentingNow) setLessonOpen(false);
  }, [presentingNow]);
  const newBlankGraph = useNewBlankGraph(
    ask,
    useCallback(() => {
      setLessonOpen(false);
      setGalleryOpen(false);
    }, []),
  );

  // Lesson mode: the camera follows the step's node.
  const presentingStep = lab.presenting?.step;
  const presentingNode = presentingStep === undefined ? undefined : lab.lesson?.steps[presentingStep]?.nodeId;
  useEffect(() => {
    if (presentingNode) requestAnimationFrame(() => void fitViewRef.current({ nodes: [{ id: presentingNode }], duration: 400, padding: 0.35, maxZoom: 1.3 }));
    else if (presentingStep === undefined) requestAnimationFrame(() => void fitReadableRef.current(300));
  }, [presentingNode, presentingStep]);

  const autoLayout = useCallback(() => {
    const { nodes, edges, setPositions } = useLab.getState();
    setPositions(layoutLeftToRight(nodes, edges));
    requestAnimationFrame(() => void fitReadable(300));
  }, [fitReadable]);

  const addAtCenter = useCallback(
    (type: NodeType) => {
      const { x, y, zoom } = getViewport();
      const el = document.querySelector('.react-flow');
      const w = el?.clientWidth ?? 800;
      const h = el?.clientHeight ?? 600;
      const jitter = (useLab.getState().nodes.length % 5) * 24;
      useLab.getState().addNode(type, { x: (w / 2 - x) / zoom - 140 + jitter, y: (h / 2 - y) / zoom - 80 + jitter }, {}, newSize(type));
    },
    [getViewport],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      const state = useLab.getState();
      const key = e.key.toLowerCase();
      if (mod && key === 'z') {
        e.preventDefault();
        if (e.shiftKey) state.redo();
        else state.undo();
        return;
      }
      if (mod && key === 'y') {
        e.preventDefault();
        state.redo();
        return;
      }
      if (mod && key === 's') {
        e.preventDefault();
        void save();
        return;
      }
      if (isTypingTarget(e.target)) return;
      if (mod && key === 'c') {
        const n = state.copySelection();
        if (n) state.showToast(`Copied ${n} node${n === 1 ? '' : 's'}.`, 'info');
      } else if (mod && key === 'v') {
        state.paste();
      } else if (mod && key === 'a') {
        e.preventDefault();
        state.selectAll();
      } else if (mod) {
        return;
      } else if (key === 'f') {
        void fitReadable(300);
      } else if (key === 'l') {
        autoLayout();
      } else if (key === 'd') {
        toggleDark();
      } else if (e.key === '?') {
        setHelp((h) => !h);
      } else if (e.key === 'Escape') {
        setHelp(false);
        state.inspect(null);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [fitReadable, autoLayout, toggleDark, save]);

  const onConnect = useCallback((c: Connection) => {
    const refusal = useLab.getState().connect(c);
    if (refusal) useLab.getState().showToast(refusal);
  }, []);

  const onConnectEnd = useCallback((_: MouseEvent | TouchEvent, state: FinalConnectionState) => {
    if (state.isValid !== false || !state.toHandle || !state.toNode || !state.fromHandle) return;
    const fromSource = state.fromHandle.type === 'source';
    const connection: Connection = fromSource
      ? { source: state.fromNode!.id, sourceHandle: state.fromHandle.id ?? null, target: state.toNode.id, targetHandle: state.toHandle.id ?? null }
      : { source: state.toNode.id, sourceHandle: state.toHandle.id ?? null, target: state.fromNode!.id, targetHandle: state.fromHandle.id ?? null };
    const refusal = useLab.getState().connect(connection);
    if (refusal) useLab.getState().showToast(refusal);
  }, []);

  const isValidConnection = useCallback((c: Connection | { source: string; target: string; sourceHandle?: string | null; targetHandle?: string | null }) => {
    const { nodes } = useLab.getState();
    const s = nodes.find((n) => n.id === c.source);
    const t = nodes.find((n) => n.id === c.target);
    if (!s?.type || !t?.type || c.source === c.target) return false;
    return connectionRefusal(registry, { type: s.type, port: c.sourceHandle ?? '' }, { type: t.type, port: c.targetHandle ?? '' }) === null;
  }, []);

  const edges = lab.edges.map((e) => {
    const source = lab.nodes.find((n) => n.id === e.source);
    const kind = source?.type ? portSpec(source.type, 'out', e.sourceHandle ?? '')?.kind : undefined;
    return kind ? { ...e, style: { stroke: PORT_COLOR[kind], strokeWidth: 2 } } : e;
  });

  const locked = lab.readOnly || Boolean(lab.lesson?.controls.lockGraph) || Boolean(lab.presenting);
  const showPalette = !lab.readOnly && !lab.lesson?.controls.hidePalette;
  const nodes = presentingNode
    ? lab.nodes.map((n) => (n.id === presentingNode ? n : { ...n, style: { ...n.style, opacity: 0.25 } }))
    : lab.nodes;

  return (
    <div className="flex h-screen flex-col">
      <header hidden={Boolean(lab.presenting)} className="flex items-center gap-2 border-b border-slate-200 bg-white px-3 py-2 dark:border-slate-800 dark:bg-slate-950">
        <span className="font-semibold tracking-tight">Tokenloom</span>
        <input
          aria-label="Graph title"
          className="field w-64"
          value={lab.title}
          onChange={(e) => lab.setTitle(e.target.value)}
        />
        <div className="ml-2 flex items-center gap-1">
          <button type="button" className="btn" onClick={lab.undo} disabled={lab.past.length === 0} aria-label="Undo" title="Undo (Ctrl/⌘ Z)">
            <Undo2 size={16} />
          </button>
          <button type="button" className="btn" onClick={lab.redo} disabled={lab.future.length === 0} aria-label="Redo" title="Redo (Ctrl/⌘ Shift Z)">
            <Redo2 size={16} />
          </button>
          <button type="button" className="btn" onClick={() => void fitReadable(300)} aria-label="Fit view" title="Fit view (F)">
            <Maximize size={16} />
          </button>
          <button type="button" className="btn" onClick={autoLayout} aria-label="Auto-layout" title="Auto-layout (L)">
            <LayoutGrid size={16} />
          </button>
          <button type="button" className="btn" onClick={toggleDark} aria-label="Toggle dark mode" title="Dark mode (D)">
            {dark ? <Sun size={16} /> : <Moon size={16} />}
          </button>
          <button type="button" className="btn" onClick={() => setHelp((h) => !h)} aria-label="Keyboard shortcuts" title="Shortcuts (?)">
            <HelpCircle size={16} />
          </button>
        </div>
        <button type="button" className="btn" onClick={() => void newBlankGraph()} data-testid="new-blank-graph">
          <FilePlus size={14} /> New blank graph
        </button>
        <button type="button" className="btn" onClick={() => setGalleryOpen(true)} data-testid="open-templates">
          <LayoutTemplate size={14} /> Templates
        </button>
        <button type="button" className="btn" onClick={() => setLessonOpen((o) => !o)} aria-expanded={lessonOpen} data-testid="open-lesson">
          <GraduationCap size={14} /> Lesson
        </button>
        {lab.readOnly && (
          <span data-testid="read-only" className="rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-800 dark:bg-amber-900 dark:text-amber-100">
            Read-only · fork to edit
          </span>
        )}
        <ShareMenu sharing={sharing} />
        <div className="ml-auto flex items-center gap-2 text-xs text-slate-500">
          <div role="radiogroup" aria-label="Run on" className="flex overflow-hidden rounded-md border border-slate-200 dark:border-slate-700">
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
          <span data-testid="run-status" className="flex items-center gap-2">
            {lab.run.running ? (
              <>
                <span className="animate-pulse">Running {lab.run.where === 'browser' ? 'in the browser' : 'on the server'}…</span>
                <button type="button" className="btn" onClick={stop} aria-label="Stop">
                  <Square size={12} /> Stop
                </button>
              </>
            ) : (
              <span>
                {lab.run.where === 'browser' ? 'Browser · Web Worker' : 'Server · Node'}
                {lab.run.ms !== undefined ? ` · last run ${formatMs(lab.run.ms)}` : ''}
              </span>
            )}
          </span>
        </div>
      </header>
      <div
        className={`grid min-h-0 flex-1 ${
          lab.presenting
            ? 'grid-cols-[1fr_minmax(560px,45%)]'
            : lessonOpen
              ? 'grid-cols-[380px_1fr_440px]'
              : showPalette
                ? 'grid-cols-[220px_1fr_440px]'
                : 'grid-cols-[1fr_440px]'
        }`}
      >
        {/* The lesson editor takes the palette's column while it is open: it never covers the canvas. */}
        {lessonOpen && !lab.presenting ? (
          <LessonPanel onClose={() => setLessonOpen(false)} />
        ) : (
          showPalette && !lab.presenting && <Palette onAdd={addAtCenter} />
        )}
        <div
          className="relative min-h-0"
          onDragOver={(e) => {
            if (e.dataTransfer.types.includes(DRAG_MIME)) {
              e.preventDefault();
              e.dataTransfer.dropEffect = 'move';
            }
          }}
          onDrop={(e) => {
            const type = e.dataTransfer.getData(DRAG_MIME);
            if (!type || !(type in nodeKinds)) return;
            e.preventDefault();
            const p = screenToFlowPosition({ x: e.clientX, y: e.clientY });
            useLab.getState().addNode(type as NodeType, { x: p.x - 140, y: p.y - 30 }, {}, newSize(type as NodeType));
          }}
        >
          <Toast />
          {help && <ShortcutsHelp onClose={() => setHelp(false)} />}
          {galleryOpen && <GalleryDialog onOpen={openTemplate} onClose={() => setGalleryOpen(false)} />}
          {dialog}
          <EmptyCanvasHint onOpenTemplates={() => setGalleryOpen(true)} />
          <ReactFlow<LabNode>
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            onNodesChange={lab.onNodesChange}
            onEdgesChange={lab.onEdgesChange}
            onConnect={onConnect}
            onConnectEnd={onConnectEnd}
            isValidConnection={isValidConnection}
            onBeforeDelete={onBeforeDelete}
            onNodeDragStart={() => useLab.getState().record()}
            onMoveStart={onMoveStart}
            onNodeClick={(_, node) => lab.inspect(node.id)}
            onPaneClick={() => lab.inspect(null)}
            deleteKeyCode={locked ? null : ['Backspace', 'Delete']}
            nodesConnectable={!locked}
            nodesDraggable={!locked}
            selectionKeyCode="Shift"
            multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
            colorMode={dark ? 'dark' : 'light'}
            minZoom={0.2}
            proOptions={{ hideAttribution: false }}
          >
            <Background gap={20} />
            <CanvasMinimap shown={minimapShown && !lab.presenting} />
            <Controls showInteractive={false}>
              <MinimapToggle shown={minimapShown} onToggle={toggleMinimap} />
            </Controls>
            <ConnectionHint />
          </ReactFlow>
        </div>
        {lab.presenting ? <PresenterPanel /> : <InspectorPanel empty={<Gallery onOpen={openTemplate} compact />} />}
      </div>
    </div>
  );
}

export function Lab({ initial, graphId }: { initial: GraphDoc; graphId?: string }) {
  return (
    <ReactFlowProvider>
      <Canvas initial={initial} graphId={graphId} />
    </ReactFlowProvider>
  );
}

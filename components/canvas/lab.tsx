'use client';
/**
 * The lab: palette, canvas, inspector and toolbar around one graph. Edits go to the store; the
 * engine hook runs the graph in a Web Worker and streams results back into it.
 */
import '@/nodes/shared/zod-jitless';
import { Background, Controls, ReactFlow, ReactFlowProvider, useReactFlow, type Connection, type FinalConnectionState } from '@xyflow/react';
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { connectionRefusal } from '@/nodes/engine/validate';
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import type { Template } from '@/nodes/templates';
import { Gallery, GalleryDialog } from './gallery';
import { LessonPanel } from './lesson-panel';
import { PresenterPanel, usePresenterKeys } from './presenter';
import { useAutosave, useSharing } from './use-sharing';
import { registry, nodeKinds, portSpec, NODE_TYPES, type NodeType } from '@/nodes';
import { PORT_COLOR } from '@/components/ui/ports';
import { uiOf } from '@/components/kinds';
import { InspectorPanel } from './inspector-panel';
import { NodeCard } from './node-card';
import { DRAG_MIME, Palette } from './palette';
import { layoutLeftToRight } from './layout';
import { useShortcuts } from './use-shortcuts';
import { useEngine } from './use-engine';
import { useLab } from './store';
import { ConnectionHint } from './connection-hint';
import { useDarkMode } from './use-dark-mode';
import { Toast } from './toast';
import { ShortcutsHelp } from './shortcuts-help';
import { openInitialGraph } from './open-initial-graph';
import { useTeacherLive } from '@/components/live/teacher-live';
import { HiddenAnswers, withAnswerCover } from '@/components/live/answer-cover';
import { nodesHidingAnswer } from '@/nodes/live/hidden-answer';
import { Toolbar } from './toolbar';
import type { LabNode } from './graph-convert';
import { useConfirm } from './confirm-dialog';
import { CanvasMinimap, MinimapToggle, useMinimapSetting, useReadableFit, useRefitOnFirstResults } from './canvas-view';
import { EmptyCanvasHint } from './empty-canvas-hint';
import { useAddInFreeSpace } from './use-add-in-free-space';
import { useBeforeDelete, useForgetEmptiedTemplate, useNewBlankGraph } from './use-graph-lifecycle';

/** React Flow's component per node type: the shared node card, or a kind's own card (the Note). */
export const nodeTypes = Object.fromEntries(
  NODE_TYPES.map((type) => {
    const ui = uiOf(type);
    return [type, withAnswerCover('card' in ui ? ui.card : NodeCard)];
  }),
);

/** Where a kind with its own card says how big a new one starts. */
const newSize = (type: NodeType) => {
  const ui = uiOf(type);
  return 'newSize' in ui ? ui.newSize : undefined;
};

function Canvas({ initial, graphId }: { initial: GraphDoc; graphId?: string }) {
  // What the shell draws, not the whole store: a run's results (runtime) re-render only the
  // cards and the inspector that show them, and an edit (nodes, edges) only the flow (FlowCanvas).
  const lab = useLab(
    useShallow((s) => ({
      presenting: s.presenting,
      readOnly: s.readOnly,
      lesson: s.lesson,
      inspect: s.inspect,
    })),
  );
  const { screenToFlowPosition, fitView } = useReactFlow();
  const { stop, rerun } = useEngine();
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
    void useTeacherLive.getState().resume(); // a reload in the middle of a live class keeps teaching it
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
  // A class's answers, once opened (End class from the header, or Answers), are in the lesson
  // panel: open it, unless the presenter view shows them already.
  const viewingClass = useTeacherLive((s) => s.viewing?.code);
  useEffect(() => {
    if (viewingClass && !useLab.getState().presenting) setLessonOpen(true);
  }, [viewingClass]);
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

  const addAtCenter = useAddInFreeSpace(minimapShown, newSize);

  const fit = useCallback(() => void fitReadable(300), [fitReadable]);
  const toggleHelp = useCallback(() => setHelp((h) => !h), []);
  const closeHelp = useCallback(() => setHelp(false), []);
  const saveNow = useCallback(() => void save(), [save]);
  useShortcuts({ fitView: fit, autoLayout, toggleDark, toggleHelp, closeHelp, save: saveNow });

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

  const locked = lab.readOnly || Boolean(lab.lesson?.controls.lockGraph) || Boolean(lab.presenting);
  const showPalette = !lab.readOnly && !lab.lesson?.controls.hidePalette;
  const presentingRevealed = lab.presenting?.revealed ?? true;

  return (
    <div className="flex h-screen flex-col">
      <Toolbar
        dark={dark}
        lessonOpen={lessonOpen}
        sharing={sharing}
        onFit={fit}
        onLayout={autoLayout}
        onToggleDark={toggleDark}
        onToggleHelp={toggleHelp}
        onOpenTemplates={() => setGalleryOpen(true)}
        onNewBlank={() => void newBlankGraph()}
        onToggleLesson={() => setLessonOpen((o) => !o)}
        onStop={stop}
        onRunAgain={rerun}
      />
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
          onKeyDown={(e) => {
            // Enter on a node reached with Tab opens its inspector, as a click does (React Flow selects it).
            const focused = e.target instanceof HTMLElement && e.target.classList.contains('react-flow__node') ? e.target.dataset.id : undefined;
            if (e.key === 'Enter' && focused) lab.inspect(focused);
          }}
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
          <FlowCanvas
            locked={locked}
            dark={dark}
            minimapShown={minimapShown}
            toggleMinimap={toggleMinimap}
            presenting={presentingNow}
            presentingNode={presentingNode}
            presentingRevealed={presentingRevealed}
            onConnect={onConnect}
            onConnectEnd={onConnectEnd}
            isValidConnection={isValidConnection}
            onBeforeDelete={onBeforeDelete}
            onMoveStart={onMoveStart}
          />
        </div>
        {lab.presenting ? <PresenterPanel /> : <InspectorPanel empty={<Gallery onOpen={openTemplate} compact />} />}
      </div>
    </div>
  );
}

interface FlowCanvasProps {
  locked: boolean;
  dark: boolean;
  minimapShown: boolean;
  toggleMinimap(): void;
  presenting: boolean;
  /** In lesson mode, the step's node: the others are dimmed. */
  presentingNode: string | undefined;
  presentingRevealed: boolean;
  onConnect(c: Connection): void;
  onConnectEnd(event: MouseEvent | TouchEvent, state: FinalConnectionState): void;
  isValidConnection: NonNullable<Parameters<typeof ReactFlow<LabNode>>[0]['isValidConnection']>;
  onBeforeDelete: NonNullable<Parameters<typeof ReactFlow<LabNode>>[0]['onBeforeDelete']>;
  onMoveStart: NonNullable<Parameters<typeof ReactFlow<LabNode>>[0]['onMoveStart']>;
}

/**
 * The flow itself: the only part of the lab that reads the nodes and edges, so a keystroke in a
 * node (new params) renders React Flow and that node's card, not the header, palette and inspector
 * around them.
 */
const FlowCanvas = memo(function FlowCanvas(props: FlowCanvasProps) {
  const { locked, dark, minimapShown, toggleMinimap, presenting, presentingNode, presentingRevealed } = props;
  const flow = useLab(useShallow((s) => ({ nodes: s.nodes, edges: s.edges, onNodesChange: s.onNodesChange, onEdgesChange: s.onEdgesChange, inspect: s.inspect })));
  // Coloured by the source's port kind; a keystroke (new params) keeps the edges as they are.
  const typeById = useLab(useShallow((s) => Object.fromEntries(s.nodes.map((n) => [n.id, n.type]))));
  const edges = useMemo(
    () =>
      flow.edges.map((e) => {
        const type = typeById[e.source];
        const kind = type ? portSpec(type, 'out', e.sourceHandle ?? '')?.kind : undefined;
        return kind ? { ...e, style: { stroke: PORT_COLOR[kind], strokeWidth: 2 } } : e;
      }),
    [flow.edges, typeById],
  );
  const nodes = presentingNode
    ? flow.nodes.map((n) => (n.id === presentingNode ? n : { ...n, style: { ...n.style, opacity: 0.25 } }))
    : flow.nodes;
  // On the projector, what answers the open question stays covered until the reveal.
  const hiddenAnswers = useMemo(
    () => nodesHidingAnswer({ nodes: flow.nodes, edges: flow.edges }, presentingNode, presentingRevealed),
    [flow.nodes, flow.edges, presentingNode, presentingRevealed],
  );
  return (
    <HiddenAnswers.Provider value={hiddenAnswers}>
      <ReactFlow<LabNode>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={flow.onNodesChange}
        onEdgesChange={flow.onEdgesChange}
        onConnect={props.onConnect}
        onConnectEnd={props.onConnectEnd}
        isValidConnection={props.isValidConnection}
        onBeforeDelete={props.onBeforeDelete}
        onNodeDragStart={() => useLab.getState().record()}
        onMoveStart={props.onMoveStart}
        onNodeClick={(_, node) => flow.inspect(node.id)}
        onPaneClick={() => flow.inspect(null)}
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
        <CanvasMinimap shown={minimapShown && !presenting} />
        {/* Fit is the toolbar's readable fit (F); React Flow's own would fit at any zoom, under the minimap. */}
        <Controls showInteractive={false} showFitView={false}>
          <MinimapToggle shown={minimapShown} onToggle={toggleMinimap} />
        </Controls>
        <ConnectionHint />
      </ReactFlow>
    </HiddenAnswers.Provider>
  );
});

export function Lab({ initial, graphId }: { initial: GraphDoc; graphId?: string }) {
  return (
    <ReactFlowProvider>
      <Canvas initial={initial} graphId={graphId} />
    </ReactFlowProvider>
  );
}

'use client';
/**
 * A student's page in a live class (/live/<code>): join (a display name is optional), then the
 * teacher's current step, the graph running in this browser, the prediction question, and at the
 * reveal the true answer (computed by the teacher's running graph), the class's answers and the
 * node's inspector. "Explore on my own" makes the graph an editable local copy (nothing is saved
 * or sent); "Back to the class" reloads the teacher's graph and follows the steps again.
 * The join (class id, participant token) is kept in localStorage per code, so a reload keeps the seat.
 * Not handled here: joining (join-form.tsx), the answer form (answer-form.tsx), the server's checks (server/live/).
 */
import '@/nodes/shared/zod-jitless';
import { Background, Controls, ReactFlow, ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { loadGraphDoc } from '@/nodes/engine/graph-doc';
import { api, describeApiError } from '@/trpc/client';
import { nodeTypes } from '@/components/canvas/lab';
import { useEngine } from '@/components/canvas/use-engine';
import { useLab } from '@/components/canvas/store';
import type { LabNode } from '@/components/canvas/graph-convert';
import { NodeAnswer } from '@/components/canvas/inspector-panel';
import type { LiveState } from '@/server/live/live-state';
import { AnswerForm } from './answer-form';
import { JoinForm, type Joined } from './join-form';
import { AnswerHistogram } from './histogram';
import { HiddenAnswers } from './answer-cover';
import { nodesHidingAnswer } from '@/nodes/live/hidden-answer';


const joinKey = (code: string) => `tokenloom:live:${code}`;

function StudentClass({ joined, onLeft }: { joined: Joined; onLeft(): void }) {
  useEngine();
  const { fitView } = useReactFlow();
  const [state, setState] = useState<LiveState | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [exploring, setExploring] = useState(false);
  const [answers, setAnswers] = useState<Record<number, string>>({});
  const loadedRevision = useRef(0);
  const lab = useLab();

  const loadTeacherGraph = useCallback(async () => {
    const { doc, docRevision } = await api.live.doc.query({ classId: joined.classId });
    const loaded = loadGraphDoc(doc);
    if (!loaded.ok) return setProblem(loaded.message);
    loadedRevision.current = docRevision;
    useLab.getState().load(loaded.doc, { readOnly: true });
  }, [joined.classId]);

  useEffect(() => {
    const subscription = api.live.follow.subscribe(
      { classId: joined.classId },
      {
        onData: (event) => {
          setState(event.data);
          setProblem(null);
        },
        onError: (error) => {
          const message = describeApiError(error);
          if (/no live class/i.test(message)) onLeft();
          else setProblem(message);
        },
      },
    );
    api
      .live.mine.query({ classId: joined.classId, participantToken: joined.participantToken })
      .then((mine) => setAnswers(Object.fromEntries(mine.answers.map((a) => [a.step, a.value]))))
      .catch(() => onLeft()); // this browser's seat is gone: join again
    return () => subscription.unsubscribe();
  }, [joined, onLeft]);

  // Follow the teacher's graph while following the class.
  const revision = state?.docRevision;
  useEffect(() => {
    if (revision === undefined || exploring || revision === loadedRevision.current) return;
    loadTeacherGraph().catch((error: unknown) => setProblem(describeApiError(error)));
  }, [revision, exploring, loadTeacherGraph]);

  const stepNode = state?.current?.nodeId;
  useEffect(() => {
    if (exploring || !stepNode) return;
    useLab.getState().inspect(stepNode);
    requestAnimationFrame(() => void fitView({ nodes: [{ id: stepNode }], duration: 300, padding: 0.4, maxZoom: 1.2 }));
  }, [stepNode, exploring, fitView, lab.nodes.length]);

  const backToClass = async () => {
    setExploring(false);
    await loadTeacherGraph().catch((error: unknown) => setProblem(describeApiError(error)));
  };

  if (state?.status === 'ended') {
    return (
      <main className="mx-auto grid max-w-md gap-3 p-8" data-testid="live-ended">
        <h1 className="text-2xl font-semibold">The class has ended</h1>
        <p className="[overflow-wrap:anywhere]">Thank you for taking part{joined.displayName ? `, ${joined.displayName}` : ''}.</p>
      </main>
    );
  }

  const nodes = !exploring && stepNode ? lab.nodes.map((n) => (n.id === stepNode ? n : { ...n, style: { ...n.style, opacity: 0.35 } })) : lab.nodes;
  const current = state?.current;
  const mine = current ? answers[current.index] : undefined;
  const inspected = exploring ? lab.inspected : stepNode;
  // Following the class, what answers the open question stays hidden until the teacher reveals it.
  const hiddenAnswers = nodesHidingAnswer(lab, exploring ? undefined : stepNode, state?.revealed ?? false);
  return (
    // A phone (narrower than 768 px) gets the graph above and the question below, each scrolling
    // on its own; wider screens put the question panel beside the graph.
    <div className="grid h-dvh grid-rows-[minmax(0,2fr)_minmax(0,3fr)] md:grid-cols-[1fr_460px] md:grid-rows-1">
      <div className="relative min-h-0">
        {exploring && (
          <p className="absolute top-2 left-2 z-10 rounded bg-amber-100 px-2 py-1 text-xs text-amber-900" data-testid="live-exploring">
            Your own copy: edit and run it here. The class is on step {(state?.step ?? 0) + 1}.
          </p>
        )}
        <HiddenAnswers.Provider value={hiddenAnswers}>
          <ReactFlow<LabNode>
            nodes={nodes}
            edges={lab.edges}
            nodeTypes={nodeTypes}
            onNodesChange={lab.onNodesChange}
            onEdgesChange={lab.onEdgesChange}
            onConnect={(c) => {
              const refusal = useLab.getState().connect(c);
              if (refusal) setProblem(refusal);
            }}
            onNodeClick={(_, node) => exploring && lab.inspect(node.id)}
            nodesDraggable={exploring}
            nodesConnectable={exploring}
            deleteKeyCode={exploring ? ['Backspace', 'Delete'] : null}
            fitView
            minZoom={0.2}
          >
            <Background gap={20} />
            <Controls showInteractive={false} />
          </ReactFlow>
        </HiddenAnswers.Provider>
      </div>
      <aside className="grid min-h-0 min-w-0 content-start gap-4 overflow-y-auto border-t border-slate-200 p-4 md:border-t-0 md:border-l md:p-5 dark:border-slate-800" data-testid="live-student" aria-live="polite">
        <div className="flex items-center justify-between gap-3 text-sm text-slate-500">
          <span className="shrink-0" data-testid="live-progress">
            {state ? `Step ${state.step + 1} of ${state.totalSteps}` : 'Connecting…'}
          </span>
          {/* A long name without spaces wraps anywhere rather than pushing the panel sideways. */}
          <span className="min-w-0 text-right [overflow-wrap:anywhere]">{joined.displayName ? `You: ${joined.displayName}` : 'You joined without a name'}</span>
        </div>
        {current && (
          <>
            <h1 className="text-2xl leading-snug font-semibold" data-testid="live-question">
              {current.question}
            </h1>
            {current.prediction && (
              <section className="grid gap-2 rounded-lg border border-sky-200 bg-sky-50 p-3 dark:border-sky-900 dark:bg-sky-950">
                <p className="font-medium" data-testid="live-student-prompt">
                  {current.prediction.prompt}
                </p>
                {!state.revealed ? (
                  <AnswerForm
                    prediction={current.prediction}
                    mine={mine}
                    send={async (value) => {
                      const saved = await api.live.answer.mutate({ classId: joined.classId, participantToken: joined.participantToken, step: current.index, value });
                      setAnswers((a) => ({ ...a, [saved.step]: saved.value }));
                    }}
                  />
                ) : (
                  <div className="grid gap-2" data-testid="live-reveal">
                    {state.answer && (
                      <p className="text-lg">
                        The graph’s answer: <strong className="font-mono" data-testid="live-revealed-answer">{state.answer.label}</strong>
                      </p>
                    )}
                    <p className="text-sm" data-testid="live-verdict">
                      {mine === undefined ? 'You did not answer this one.' : mine === state.answer?.value ? 'You got it right.' : `You answered ${mine}.`}
                    </p>
                    {state.histogram && <AnswerHistogram histogram={state.histogram} />}
                  </div>
                )}
              </section>
            )}
            {state.revealed && (current.note || current.lookAt) && (
              <div className="grid gap-1">
                {current.note && <p className="text-amber-700 dark:text-amber-300">{current.note}</p>}
                {current.lookAt && <p className="text-sm text-slate-500">Look at: {current.lookAt}</p>}
              </div>
            )}
          </>
        )}
        <div className="flex gap-2">
          {exploring ? (
            <button type="button" className="btn" onClick={() => void backToClass()} data-testid="live-back">
              Back to the class
            </button>
          ) : (
            <button
              type="button"
              className="btn"
              onClick={() => {
                setExploring(true);
                useLab.getState().setReadOnly(false);
              }}
              data-testid="live-explore"
            >
              Explore on my own
            </button>
          )}
        </div>
        {problem && (
          <p role="alert" className="text-sm text-rose-600">
            {problem}
          </p>
        )}
        {inspected && !hiddenAnswers.has(inspected) && (
          <div className="rounded-lg border border-slate-200 p-3 dark:border-slate-700" data-testid="live-node-answer">
            <NodeAnswer nodeId={inspected} />
          </div>
        )}
      </aside>
    </div>
  );
}

export function LiveStudent({ code: linkCode }: { code: string }) {
  const [code, setCode] = useState(linkCode);
  const [joined, setJoined] = useState<Joined | null>(null);
  const [ready, setReady] = useState(false);
  useEffect(() => {
    try {
      const stored = linkCode ? localStorage.getItem(joinKey(linkCode)) : null;
      if (stored) setJoined(JSON.parse(stored) as Joined);
    } catch {
      // Storage off or unreadable: join again.
    }
    setReady(true);
  }, [linkCode]);
  const onJoined = useCallback((next: Joined, joinedCode: string) => {
    try {
      localStorage.setItem(joinKey(joinedCode), JSON.stringify(next));
    } catch {
      // The seat lasts for this page.
    }
    // Joined from /live by typing the code: the address becomes the class's link, so a reload keeps the seat.
    if (window.location.pathname !== `/live/${joinedCode}`) window.history.replaceState(null, '', `/live/${joinedCode}`);
    setCode(joinedCode);
    setJoined(next);
  }, []);
  const onLeft = useCallback(() => {
    localStorage.removeItem(joinKey(code));
    setJoined(null);
  }, [code]);
  if (!ready) return null;
  if (!joined) return <JoinForm code={code} onJoined={onJoined} />;
  return (
    <ReactFlowProvider>
      <StudentClass joined={joined} onLeft={onLeft} />
    </ReactFlowProvider>
  );
}

'use client';
/**
 * "Connect to…" in the inspector: wires one of this node's outputs to an input of another node
 * without dragging, so the graph can be built from the keyboard (Tab to a node, Enter opens its
 * inspector, pick the input, Connect). React Flow 12 makes nodes focusable and selectable by
 * keyboard but has no keyboard path for drawing an edge between handles, hence this menu.
 * It offers only the inputs that take the output's kind (connectionRefusal, the canvas's own
 * check); the store's connect() still refuses a cycle, with its sentence.
 * Not handled here: removing an edge (select it on the canvas and press Delete).
 */
import { useId, useState } from 'react';
import { nodeKinds, registry, type NodeType } from '@/nodes';
import type { PortMap } from '@/nodes/engine/ports';
import { connectionRefusal } from '@/nodes/engine/validate';
import { nodeTitle } from './node-title';
import { useLab } from './store';

interface Choice {
  value: string;
  label: string;
  source: string;
  sourceHandle: string;
  target: string;
  targetHandle: string;
}

function choicesFrom(nodeId: string, type: NodeType, others: readonly { id: string; type?: NodeType; title: string }[]): Choice[] {
  const choices: Choice[] = [];
  for (const [out, outSpec] of Object.entries(nodeKinds[type].outputs as PortMap)) {
    for (const other of others) {
      if (other.id === nodeId || !other.type) continue;
      for (const [input, inSpec] of Object.entries(nodeKinds[other.type].inputs as PortMap)) {
        if (connectionRefusal(registry, { type, port: out }, { type: other.type, port: input }) !== null) continue;
        choices.push({
          value: `${out}|${other.id}|${input}`,
          label: `${outSpec.label} → ${other.title}: ${inSpec.label}`,
          source: nodeId,
          sourceHandle: out,
          target: other.id,
          targetHandle: input,
        });
      }
    }
  }
  return choices;
}

export function ConnectMenu({ nodeId, type }: { nodeId: string; type: NodeType }) {
  const nodes = useLab((s) => s.nodes);
  const others = nodes.map((n) => ({ id: n.id, type: n.type, title: `${nodeTitle(n)} (${n.id})` }));
  const [picked, setPicked] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const selectId = useId();
  const choices = choicesFrom(nodeId, type, others);
  if (Object.keys(nodeKinds[type].outputs).length === 0) return null;
  const choice = choices.find((c) => c.value === picked) ?? choices[0];
  return (
    <section className="grid gap-2 border-t border-slate-200 pt-3 text-sm dark:border-slate-700" data-testid="connect-menu">
      <label htmlFor={selectId} className="font-semibold">
        Connect to…
      </label>
      {choices.length === 0 ? (
        <p className="text-xs text-slate-500">No other node here takes this node’s output. Add one from the palette.</p>
      ) : (
        <div className="flex min-w-0 gap-2">
          <select id={selectId} className="field min-w-0 flex-1 text-xs" value={choice?.value} onChange={(e) => setPicked(e.target.value)} data-testid="connect-target">
            {choices.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="btn"
            data-testid="connect-button"
            onClick={() => {
              if (!choice) return;
              const refusal = useLab.getState().connect(choice);
              setMessage(refusal ?? `Connected to ${choice.label.split(' → ')[1]}.`);
            }}
          >
            Connect
          </button>
        </div>
      )}
      {message && (
        <p role="status" className="text-xs text-slate-600 dark:text-slate-300" data-testid="connect-message">
          {message}
        </p>
      )}
    </section>
  );
}

/**
 * What a node kind shows, typed by its kind: its inspector and its body on the canvas read the
 * view its own `view` returned (ViewOf<K>) and its own params (ParamsOf<K>), with no casts.
 */
import type { ComponentType } from 'react';
import type { NodeProps } from '@xyflow/react';
import type { NodeType, ParamsOf, ViewOf } from '@/nodes';
import type { LabNode } from '@/components/canvas/graph-convert';

export interface InspectorProps<K extends NodeType> {
  nodeId: string;
  view: ViewOf<K>;
  params: ParamsOf<K>;
  setParams(patch: Partial<ParamsOf<K>>): void;
}

/** The inline body of a node card; `view` is undefined until the node has run. */
export interface BodyProps<K extends NodeType> {
  id: string;
  params: ParamsOf<K>;
  view: ViewOf<K> | undefined;
}

interface KindUi<K extends NodeType> {
  inspector: ComponentType<InspectorProps<K>>;
  /** Drawn while the node runs, from the data its progress reports carry (e.g. a loss curve so far). */
  live?: ComponentType<{ data: never }>;
  /** The kind's own settings controls, above the settings form, shown even before the node has run. */
  settings?: ComponentType<{ nodeId: string; params: ParamsOf<K>; setParams(patch: Partial<ParamsOf<K>>): void }>;
  /** Params the settings form leaves out because the kind edits them in place. */
  hiddenParams?: readonly (keyof ParamsOf<K> & string)[];
  /** Labels for the options of an enum param in the settings form, by param then value. */
  optionLabels?: Partial<Record<keyof ParamsOf<K> & string, Record<string, string>>>;
}

/**
 * A kind's UI: its inspector and either a body inside the shared node card (ports, status,
 * errors) or, for a kind that is not a computing step (the Note), its own whole card with the
 * size a new one starts at.
 */
export type NodeUi<K extends NodeType> = KindUi<K> &
  ({ body: ComponentType<BodyProps<K>> } | { card: ComponentType<NodeProps<LabNode>>; newSize: { width: number; height: number } });

import type { NodeType, ParamsOf, ViewOf } from '@/nodes';

export interface InspectorProps<T extends NodeType> {
  nodeId: string;
  view: ViewOf<T>;
  params: ParamsOf<T>;
  setParams(patch: Partial<ParamsOf<T>>): void;
}

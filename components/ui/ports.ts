import type { PortKind } from '@/nodes/engine/ports';

/** One colour per port kind, on handles and edges, so a wrong wire is visible before it is tried. */
export const PORT_COLOR: Record<PortKind, string> = {
  text: '#0ea5e9',
  pretokens: '#8b5cf6',
  tokenizer: '#f59e0b',
  tokens: '#10b981',
  ids: '#f43f5e',
  predictions: '#d946ef',
  model: '#64748b',
};

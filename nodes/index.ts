/**
 * The registry of node kinds. Adding a kind here makes it appear in the palette, run in the
 * engine, and (through the mapped type in components/kinds/index.ts) require its UI: an
 * inspector and a canvas body.
 */
import { ownEntry, type Registry } from './engine/validate';
import type { PortKind, PortMap, PortSpec } from './engine/ports';
import type { PortValueMap } from './engine/define-node';
import type {} from './shared/tokenizer-ref';
import type {} from './shared/model-ref';
import { textNode } from './text';
import { cleanNode } from './clean';
import { pretokenizeNode } from './pretokenize';
import { noteNode } from './note';
import { pretrainedNode } from './pretrained';
import { compareNode } from './compare';
import { bpeNode } from './bpe';
import { wordpieceNode } from './wordpiece';
import { unigramNode } from './unigram';
import { idsNode } from './ids';
import { decodeNode } from './decode';
import { ngramNode } from './ngram';
import { transformerNode } from './transformer';
import { generateNode } from './generate';
import { finetuneNode } from './finetune';
import { trainModelNode } from './train-model';

export const nodeKinds = {
  text: textNode,
  clean: cleanNode,
  pretokenize: pretokenizeNode,
  pretrained: pretrainedNode,
  compare: compareNode,
  bpe: bpeNode,
  wordpiece: wordpieceNode,
  unigram: unigramNode,
  ids: idsNode,
  decode: decodeNode,
  ngram: ngramNode,
  transformer: transformerNode,
  generate: generateNode,
  finetune: finetuneNode,
  'train-model': trainModelNode,
  note: noteNode,
} as const satisfies Registry;

/** Every port kind has a value type (declared in engine/define-node.ts or merged in by shared/). */
type _EveryPortHasAValueType = { [K in PortKind]: PortValueMap[K] };

export type NodeKinds = typeof nodeKinds;
export type NodeType = keyof NodeKinds;
export const NODE_TYPES = Object.keys(nodeKinds) as NodeType[];

/** The inspector data of a node kind: what its `view` returns. */
export type ViewOf<T extends NodeType> = ReturnType<NodeKinds[T]['view']>;
/** The params of a node kind, defaults applied. */
export type ParamsOf<T extends NodeType> = import('zod').output<NodeKinds[T]['params']>;

export function isNodeType(type: string): type is NodeType {
  return Object.hasOwn(nodeKinds, type);
}

export const registry: Registry = nodeKinds;

/** The spec of a node kind's port, or undefined if it has no such port. */
export function portSpec(type: NodeType, side: 'in' | 'out', port: string): PortSpec | undefined {
  const ports: PortMap = side === 'in' ? nodeKinds[type].inputs : nodeKinds[type].outputs;
  return ownEntry(ports, port);
}

/**
 * One inspector per node kind, keyed by the same `type` as the registry: a kind without an
 * inspector is a compile error.
 */
import type { ComponentType } from 'react';
import type { NodeType } from '@/nodes';
import type { InspectorProps } from './types';
import { TextInspector } from './text-inspector';
import { CleanInspector } from './clean-inspector';
import { PretokenizeInspector } from './pretokenize-inspector';
import { NoteInspector } from './note-inspector';
import { PretrainedInspector } from './pretrained-inspector';
import { CompareInspector } from './compare-inspector';
import { BpeInspector } from './bpe-inspector';
import { IdsInspector } from './ids-inspector';
import { DecodeInspector } from './decode-inspector';
import { NgramInspector } from './ngram-inspector';
import { TransformerInspector } from './transformer-inspector';
import { GenerateInspector } from './generate-inspector';
import { FinetuneInspector, FinetuneLiveView } from './finetune-inspector';

export const inspectors = {
  text: TextInspector,
  clean: CleanInspector,
  pretokenize: PretokenizeInspector,
  pretrained: PretrainedInspector,
  compare: CompareInspector,
  bpe: BpeInspector,
  ids: IdsInspector,
  decode: DecodeInspector,
  ngram: NgramInspector,
  transformer: TransformerInspector,
  generate: GenerateInspector,
  finetune: FinetuneInspector,
  note: NoteInspector,
} satisfies { [K in NodeType]: ComponentType<InspectorProps<K>> };

/** Views some nodes draw while they run, from the data their progress reports carry. */
export const liveInspectors: { [K in NodeType]?: ComponentType<{ data: never }> } = {
  finetune: FinetuneLiveView as ComponentType<{ data: never }>,
};

/** Params each inspector's settings form leaves out because the node edits them in place. */
export const hiddenParams: { [K in NodeType]?: readonly string[] } = {
  text: ['text', 'origin'],
  note: ['text', 'color'],
  bpe: ['corpusFile'],
};

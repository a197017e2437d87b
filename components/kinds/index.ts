/**
 * Every node kind's UI, keyed by the same `type` as the registry (nodes/index.ts): a kind
 * without its UI, or with an inspector or body typed for another kind's view, is a compile
 * error.
 *
 * To give a new kind its UI: write components/kinds/<kind>/inspector.tsx (props
 * InspectorProps<'<kind>'>) and body.tsx (BodyProps<'<kind>'>), and add one entry here. A kind
 * folder imports from components/ui and components/canvas, never from another kind's folder
 * (lint-enforced).
 */
import type { NodeType, ViewOf } from '@/nodes';
import { MODE_INFO } from '@/nodes/pretokenize/explain';
import type { NodeUi } from './types';
import { TextInspector } from './text/inspector';
import { TextBody } from './text/body';
import { CleanInspector } from './clean/inspector';
import { CleanBody } from './clean/body';
import { PretokenizeInspector } from './pretokenize/inspector';
import { PretokenizeBody } from './pretokenize/body';
import { PretrainedInspector } from './pretrained/inspector';
import { PretrainedBody } from './pretrained/body';
import { CompareInspector } from './compare/inspector';
import { CompareBody } from './compare/body';
import { BpeInspector } from './bpe/inspector';
import { BpeBody } from './bpe/body';
import { WordpieceInspector } from './wordpiece/inspector';
import { WordpieceBody } from './wordpiece/body';
import { UnigramInspector } from './unigram/inspector';
import { UnigramBody } from './unigram/body';
import { IdsInspector } from './ids/inspector';
import { IdsBody } from './ids/body';
import { DecodeInspector } from './decode/inspector';
import { DecodeBody } from './decode/body';
import { NgramInspector } from './ngram/inspector';
import { NgramBody } from './ngram/body';
import { TransformerInspector } from './transformer/inspector';
import { TransformerBody } from './transformer/body';
import { GenerateInspector } from './generate/inspector';
import { GenerateBody } from './generate/body';
import { FinetuneInspector, FinetuneLiveView } from './finetune/inspector';
import { FinetuneBody } from './finetune/body';
import { TrainModelInspector, TrainModelLiveView } from './train-model/inspector';
import { TrainModelBody } from './train-model/body';
import { NoteInspector } from './note/inspector';
import { NoteCard } from './note/body';
import { BpeCorpusFile } from './bpe/corpus-file';

export type { BodyProps, InspectorProps, NodeUi } from './types';

export const nodeUi = {
  text: { inspector: TextInspector, body: TextBody, hiddenParams: ['text', 'origin'] },
  clean: { inspector: CleanInspector, body: CleanBody },
  pretokenize: {
    inspector: PretokenizeInspector,
    body: PretokenizeBody,
    optionLabels: { mode: Object.fromEntries(Object.entries(MODE_INFO).map(([k, v]) => [k, v.label])) },
  },
  pretrained: { inspector: PretrainedInspector, body: PretrainedBody },
  compare: { inspector: CompareInspector, body: CompareBody },
  bpe: { inspector: BpeInspector, body: BpeBody, settings: BpeCorpusFile, hiddenParams: ['corpusFile'] },
  wordpiece: { inspector: WordpieceInspector, body: WordpieceBody },
  unigram: { inspector: UnigramInspector, body: UnigramBody },
  ids: { inspector: IdsInspector, body: IdsBody },
  decode: { inspector: DecodeInspector, body: DecodeBody },
  ngram: { inspector: NgramInspector, body: NgramBody },
  transformer: { inspector: TransformerInspector, body: TransformerBody },
  generate: { inspector: GenerateInspector, body: GenerateBody },
  finetune: { inspector: FinetuneInspector, body: FinetuneBody, live: FinetuneLiveView },
  'train-model': { inspector: TrainModelInspector, body: TrainModelBody, live: TrainModelLiveView },
  note: { inspector: NoteInspector, card: NoteCard, newSize: { width: 260, height: 120 }, hiddenParams: ['text', 'color'] },
} satisfies { [K in NodeType]: NodeUi<K> };

const byKind: { readonly [K in NodeType]: NodeUi<K> } = nodeUi;

/** The UI of one kind, typed by that kind. */
export function uiOf<K extends NodeType>(type: K): NodeUi<K> {
  return byKind[type];
}

/**
 * A node's view as its kind's UI reads it. Views reach the page from the worker or the server
 * as structured-clone data keyed by node id, so their static type is lost on the way; the
 * engine computed this one with the kind's own `view`, so it is that kind's ViewOf.
 */
export function viewOf<K extends NodeType>(_type: K, view: unknown): ViewOf<K> | undefined {
  return view as ViewOf<K> | undefined;
}

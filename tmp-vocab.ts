import { createRecipeCache } from '@/nodes/engine/cache';
import { execute } from '@/nodes/engine/executor';
import { nodeKinds } from '@/nodes';
import { findTemplate } from '@/nodes/templates';
import { resolve } from 'node:path';
const resources = { hubPath: `${resolve('public/hub')}/`, modelPath: `${resolve('public/models')}/`, allowRemote: false };
const doc = structuredClone(findTemplate('vocab-size-model')!.doc);
doc.nodes.find((n) => n.id === 'corpus')!.params = { text: '', origin: 'corpus:odia-train', corpus: 'odia-train' };
doc.nodes.find((n) => n.id === 'pretokenize')!.params = { mode: 'gpt2-marks' };
for (const n of doc.nodes) if (n.type === 'bpe') n.params = { ...n.params, minFrequency: 2 };
for (const n of doc.nodes) if (n.type === 'train-model') n.params = { ...n.params, prompt: 'ଓଡ଼ିଆ ଭାଷା' };
const t0 = Date.now();
const r = await execute(doc, { registry: nodeKinds, cache: createRecipeCache(), where: 'server', resources, onEvent: (e) => e.type === 'node:done' && console.log((Date.now() - t0) / 1000, e.nodeId) });
for (const id of ['small-vocab', 'large-vocab']) { const o = r.outcomes.get(id) as any; const v = o.view; console.log(id, o.status, o.message ?? v.vocabSize, v?.trainTokens, v?.charsPerToken?.toFixed(2), v?.stepsDone, 'ms', v?.msPerStep?.toFixed(0), 'last', v?.history.filter((h: any) => h.heldOutLoss !== null).at(-1).heldOutLoss.toFixed(3), 'perchar', (v?.history.filter((h: any) => h.heldOutLoss !== null).at(-1).heldOutLoss / v.charsPerToken).toFixed(3), 'uni', v?.baselines.unigram.toFixed(3), 'bi', v?.baselines.bigram.toFixed(3), v?.samples.at(-1).text); }

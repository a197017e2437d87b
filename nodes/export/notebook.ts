/**
 * A graph as a Jupyter notebook (nbformat 4.5) that redoes it in Python with the libraries a
 * learner meets next: Hugging Face `tokenizers` and `transformers`, and `torch`.
 *
 *   const { notebook, files } = buildNotebook({ doc, views, bpe });
 *   // notebook.cells: a markdown cell per node (its question, the answer the lab showed), the
 *   // node's Python, and a cell asserting the lab's values (ids, top-5, merge counts).
 *   // files: what the notebook reads beside it (tokenizers/gpt2/…, bpe/<node>/tokenizer.json,
 *   // models/tokenloom-tiny/…); bundle.ts zips them with the notebook.
 *
 * Every BPE node also gets a cell that needs only Python's standard library and its
 * tokenizer.json (python.ts, stdlibCheckCell), which replays the merges and checks the IDs.
 *
 * Expected values come from the views of the current run (`views`, by node id); a node that has
 * not run gets its Python without assertions. Variables are named `<node id>_<port>`.
 *
 * Not handled here: running the notebook; exact reproduction of sampled text (the lab's random
 * numbers are not torch's) or of fine-tuning losses (same recipe, different arithmetic), which
 * the notebook prints beside the lab's instead of asserting; the lab's user-regex budget.
 */
import type { GraphDoc } from '../engine/graph-doc';
import { kindOf, topologicalOrder } from '../engine/validate';
import { nodeKinds } from '../index';
import { pyName, pyStr } from './python';
import { lines, SHIPPED_MODEL_DIR, NotebookWriter, type Notebook, type NotebookExport, type NotebookInput } from './notebook-writer';
import { writeNodeCells } from './notebook-cells';

export type { BpeNotebookData, Notebook, NotebookCell, NotebookExport, NotebookFile, NotebookInput, TrainedNotebookData } from './notebook-writer';
export { HUB_IDS } from './notebook-writer';

function intro(doc: GraphDoc, usesModel: boolean, hasFiles: boolean): string {
  const usesSpm = doc.nodes.some((n) => n.type === 'unigram');
  return [
    `# ${doc.title}`,
    '',
    'This notebook redoes the Tokenloom graph of the same name in Python, node by node, with the libraries you will use next: Hugging Face `tokenizers` and `transformers`, and `torch`.',
    '',
    `Install them first: run \`pip install tokenizers transformers torch${usesModel ? ' onnx' : ''}${usesSpm ? ' sentencepiece' : ''}\` in a terminal (or \`%pip install …\` in a cell).`,
    '',
    'Each node gets a short explanation with the question it answers and what the lab showed, then its Python, then a cell that **checks the lab’s values** (`assert …`): if Python agrees with the lab, the cell prints a match; if not, it stops and shows where they differ.',
    '',
    'Cells under *Standard library only* need nothing installed: they replay the BPE merges from `tokenizer.json` by hand.',
    ...(hasFiles
      ? ['', 'The folders beside this notebook (`tokenizers/`, `bpe/`, `wordpiece/`, `unigram/`, `models/`, `corpora/`) hold the tokenizers, the model and the corpus the lab used, so it also runs offline. Keep them next to it. Online, the hub ids in the comments load the same tokenizers.']
      : []),
    ...(usesModel
      ? ['', 'The lab’s tiny model is stored as ONNX (the format the browser runs); `load_tokenloom_tiny()` copies its weights into a `transformers` GPT-2, which is why `onnx` is on the install line.']
      : []),
  ].join('\n');
}

const SETUP = `import collections
import json
import os
import unicodedata

import torch
from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers
from transformers import AutoModelForCausalLM, AutoTokenizer, PreTrainedTokenizerFast

os.makedirs('bpe', exist_ok=True)`;

const LOAD_TINY = `from transformers import GPT2Config, GPT2LMHeadModel


def load_tokenloom_tiny(folder=${pyStr(SHIPPED_MODEL_DIR)}):
    """The lab's tiny GPT-2 (its size is in config.json): its weights are the initializers of the ONNX file."""
    import onnx
    from onnx import numpy_helper

    model = GPT2LMHeadModel(GPT2Config.from_pretrained(folder))
    graph = onnx.load(os.path.join(folder, 'onnx', 'model.onnx')).graph
    weights = {w.name: torch.from_numpy(numpy_helper.to_array(w).copy()) for w in graph.initializer if w.name.startswith('transformer.')}
    model.load_state_dict(weights, strict=False)  # the causal-mask buffers and the tied output layer are not stored
    model.tie_weights()
    return model.eval()


def top_k_next(model, ids, k, position=-1):
    """The k most likely next tokens after \`position\` (probabilities in float64, as the lab shows them)."""
    with torch.no_grad():
        logits = model(torch.tensor([ids])).logits[0, position]
    probs = torch.softmax(logits.double(), dim=-1)
    top = torch.topk(probs, k)
    return [(int(i), float(p)) for p, i in zip(top.values, top.indices)]`;

export function buildNotebook(input: NotebookInput): NotebookExport {
  const { doc } = input;
  const w = new NotebookWriter();
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const { order } = topologicalOrder(doc.nodes.map((n) => n.id), doc.edges);
  const usesModel = doc.nodes.some((n) => ['transformer', 'generate', 'finetune', 'train-model'].includes(n.type));

  /** The Python variable holding what is wired into `port` of `nodeId`, if anything. */
  const wired = (nodeId: string, port: string): string | undefined => {
    const edge = doc.edges.find((e) => e.target === nodeId && e.targetPort === port);
    return edge && byId.has(edge.source) ? `${pyName(edge.source)}_${edge.sourcePort}` : undefined;
  };
  /** The shipped model's own tokenizer (GPT-2's), to show its predictions as text. */
  const modelTokenizer = () => `AutoTokenizer.from_pretrained(${pyStr(w.shippedModel())})`;

  w.markdown('', 'intro'); // written last, once the files it mentions are known
  w.code(SETUP, 'setup');
  if (usesModel) {
    w.shippedModel();
    w.code(LOAD_TINY, 'load-model');
  }

  for (const id of order) {
    const node = byId.get(id)!;
    const v = pyName(node.id);
    const def = kindOf(nodeKinds, node.type);
    if (!def) {
      w.markdown(`## \`${node.id}\` (${node.type})\n\nThis kind of node has no Python version here.`, v);
      continue;
    }
    const parsed = def.params.safeParse(node.params);
    const params: Record<string, unknown> = parsed.success ? parsed.data : {};
    const tag = `${node.type}-${node.id}`;
    if ((node.type === 'transformer' || node.type === 'generate') && params.model === 'ollama' && !wired(node.id, 'model')) {
      // An Ollama model lives on the learner's machine, not in the notebook: say so, and pass the
      // prompt IDs on so later cells still run.
      const ids = wired(node.id, 'ids') ?? '[]';
      const mask = ids.replace(/_ids$/, '_attention_mask');
      w.markdown(
        `## \`${node.id}\` (${node.type})\n\nThis node asked the Ollama model ${pyStr(String(params.ollamaModel ?? ''))}; the notebook does not redo it (Ollama is not a Python library, and it does not expose its tokenizer).`,
        tag,
      );
      if (node.type === 'generate') w.code(`${v}_ids = [i for i, m in zip(${ids}, ${mask}) if m]  # the prompt only\n${v}_attention_mask = [1] * len(${v}_ids)`, tag);
      continue;
    }
    writeNodeCells({ w, input, node, v, params, tag, wired, modelTokenizer });
  }
  w.markdown('## Done\n\nEvery check above compared Python with the lab. Change a setting in the lab, export again, and see which numbers move.', 'done');

  const first = w.cells[0]!;
  first.source = lines(intro(doc, usesModel, w.files.size > 0));
  const notebook: Notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' },
      language_info: { name: 'python', version: '3', mimetype: 'text/x-python', file_extension: '.py', pygments_lexer: 'ipython3', codemirror_mode: { name: 'ipython', version: 3 }, nbconvert_exporter: 'python' },
      tokenloom: { title: doc.title },
    },
    cells: w.cells,
  };
  return { notebook, files: [...w.files.values()], stdlibCells: w.stdlibCells };
}
